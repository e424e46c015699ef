// SERVICE_TRACER=otel: the same /ot-gen route, traced by the real OpenTelemetry SDK through the
// OpenTracing shim, W3C context to the function, OTLP to the embedded collector.
import pino from 'pino';
import { startCollector, type RunningCollector } from '../../src/collector/server';
import { embeddedCollectorTarget } from '../../src/lightstep/target';
import { embeddedCollectorOtlpTarget } from '../../src/otlp/target';
import { serviceConfigFromEnv } from '../../src/service/config';
import type { OtGenResponse } from '../../src/service/ot-gen';
import { startService, type RunningService } from '../../src/service/server';
import { startFunctionStub } from './function-stub';

describe('SERVICE_TRACER=otel configuration', () => {
  const LOCAL = { lambdaUrl: 'http://127.0.0.1:3001/' };

  it('exports to the embedded collector’s /v1/traces by default, and to OTEL_EXPORTER_OTLP_* when set', () => {
    expect(serviceConfigFromEnv({ SERVICE_TRACER: 'otel', COLLECTOR_PORT: '4002' }, LOCAL)).toMatchObject({
      otel: { url: 'http://127.0.0.1:4002/v1/traces', headers: {} },
      tracePageBaseUrl: 'http://127.0.0.1:4002',
    });
    const remote = serviceConfigFromEnv({ SERVICE_TRACER: 'otel', OTEL_EXPORTER_OTLP_ENDPOINT: 'https://otlp.example', OTEL_EXPORTER_OTLP_HEADERS: 'k=secret-value-123' }, LOCAL);
    expect(remote.otel).toMatchObject({ url: 'https://otlp.example/v1/traces', headers: { k: 'secret-value-123' } });
    expect(remote.tracePageBaseUrl).toBeUndefined();
    expect(serviceConfigFromEnv({}, LOCAL).otel).toBeUndefined();
    expect(() => serviceConfigFromEnv({ SERVICE_TRACER: 'jaeger' }, LOCAL)).toThrow('SERVICE_TRACER must be "lightstep" or "otel", got "jaeger"');
  });
});

describe('service /ot-gen traced with the OpenTelemetry SDK', () => {
  let collector: RunningCollector;
  let stub: Awaited<ReturnType<typeof startFunctionStub>>;
  let service: RunningService;

  beforeAll(async () => {
    collector = await startCollector({ port: 0, dbPath: ':memory:' });
    stub = await startFunctionStub();
    service = await startService({
      port: 0,
      lambdaUrl: stub.url,
      maxCount: 10,
      tracer: embeddedCollectorTarget(collector.port),
      otel: embeddedCollectorOtlpTarget(collector.port),
      tracePageBaseUrl: collector.url,
      logger: pino({ level: 'silent' }),
    });
  });

  afterAll(async () => {
    await service.close();
    await stub.close();
    await collector.close();
  });

  it('one 128-bit trace: router → service-egress × N, each call carrying its span in traceparent', async () => {
    const response = await fetch(`${service.url}/ot-gen?count=3`);
    const result = (await response.json()) as OtGenResponse;
    expect(result.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(result.traceUrl).toBe(`${collector.url}/traces/${result.traceId}`);
    expect(result.reported).toBe(true);

    const spans = collector.store.getTrace(result.traceId);
    expect(spans).toHaveLength(4);
    expect(spans.every((s) => s.traceId === result.traceId && s.component === 'node-service')).toBe(true);
    const router = spans.find((s) => s.operation === 'router')!;
    const egress = spans.filter((s) => s.operation === 'service-egress');
    expect(egress.map((s) => s.parentSpanId)).toEqual([router.spanId, router.spanId, router.spanId]);
    expect(router.tags).toMatchObject({ 'span.kind': 'server', 'ot-gen.count': 3, 'ot-gen.failed_calls': 0 });

    // W3C trace context, version 00, sampled, naming each egress span as the function's parent.
    const calls = stub.calls.slice(-3);
    const parents = calls.map((call) => String(call.headers.traceparent));
    for (const header of parents) expect(header).toMatch(new RegExp(`^00-${result.traceId}-[0-9a-f]{16}-01$`));
    expect(parents.map((h) => h.split('-')[2]).sort()).toEqual(egress.map((s) => s.spanId).sort());
    expect(calls[0].headers['ot-tracer-traceid']).toBeUndefined();
  });

  it('an error span carries status ERROR and the error log as an exception event', async () => {
    const result = (await (await fetch(`${service.url}/ot-gen?count=1&fail=1`)).json()) as OtGenResponse;
    const egress = collector.store.getTrace(result.traceId).find((s) => s.operation === 'service-egress')!;
    expect(egress.tags).toMatchObject({ error: true, 'otel.status_code': 'ERROR', 'http.status_code': 500 });
    expect(egress.logs.map((l) => l.fields.event)).toEqual(['exception']);
  });
});
