// POST /v1/traces with the real OpenTelemetry SDK's OTLP/HTTP protobuf exporter at the other end.
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { SpanKind, SpanStatusCode, context, trace } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { CompressionAlgorithm } from '@opentelemetry/otlp-exporter-base';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { startCollector, type RunningCollector } from '../../src/collector/server';
import { TraceStore } from '../../src/collector/store';
import { encodeReportRequest } from '../../src/lightstep/wire';
import { otlpType } from '../../src/otlp/wire/schema';
import { postReport } from './proto-report';

function sdk(url: string, compression: CompressionAlgorithm, headers: Record<string, string> = {}) {
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'otel-caller', 'deployment.environment': 'test' }),
    spanProcessors: [new SimpleSpanProcessor(new OTLPTraceExporter({ url, compression, headers }))],
  });
  return { tracer: provider.getTracer('otlp-endpoint-test'), provider };
}

async function post(url: string, body: Buffer | string, headers: Record<string, string>): Promise<Response> {
  return fetch(`${url}/v1/traces`, { method: 'POST', headers, body: typeof body === 'string' ? body : new Uint8Array(body) });
}

describe('POST /v1/traces (OTLP/HTTP)', () => {
  let collector: RunningCollector;
  const reports: Array<{ protocol: string; spans: number }> = [];
  beforeEach(async () => {
    reports.length = 0;
    collector = await startCollector({ port: 0, dbPath: ':memory:', onReport: (info) => reports.push({ protocol: info.protocol, spans: info.spans }) });
  });
  afterEach(() => collector.close());

  it.each([CompressionAlgorithm.GZIP, CompressionAlgorithm.NONE])('stores what the OTel SDK’s protobuf exporter sends (%s): 128-bit ids, kind, status, types, events', async (compression) => {
    const { tracer, provider } = sdk(`${collector.url}/v1/traces`, compression);
    const root = tracer.startSpan('router', { kind: SpanKind.SERVER, attributes: { 'http.method': 'GET', count: 3, ratio: 0.5, cached: false } });
    const child = tracer.startSpan('service-egress', { kind: SpanKind.CLIENT, startTime: [1764045116, 123456789] }, trace.setSpan(context.active(), root));
    child.addEvent('remote request', { status: 503 }, [1764045116, 223456789]);
    child.setStatus({ code: SpanStatusCode.ERROR, message: 'function answered 503' });
    child.end([1764045116, 323456789]);
    root.end();
    await provider.forceFlush();
    await provider.shutdown();

    const traceId = root.spanContext().traceId;
    expect(traceId).toMatch(/^[0-9a-f]{32}$/);
    const spans = collector.store.getTrace(traceId);
    expect(spans.map((s) => s.operation).sort()).toEqual(['router', 'service-egress']);
    const egress = spans.find((s) => s.operation === 'service-egress')!;
    const router = spans.find((s) => s.operation === 'router')!;
    expect(egress).toMatchObject({
      traceId,
      spanId: child.spanContext().spanId,
      parentSpanId: root.spanContext().spanId,
      component: 'otel-caller',
      startMicros: 1764045116123456,
      durationMicros: 200000,
      tags: { 'span.kind': 'client', 'otel.status_code': 'ERROR', 'otel.status_description': 'function answered 503', error: true },
      logs: [{ timestampMicros: 1764045116223456, fields: { event: 'remote request', status: 503 } }],
      resource: { 'service.name': 'otel-caller', 'deployment.environment': 'test' },
    });
    expect(router.tags).toMatchObject({ 'span.kind': 'server', 'http.method': 'GET', count: 3, ratio: 0.5, cached: false });
    expect(router.parentSpanId).toBeUndefined();
    expect(collector.store.listTraces(1)[0]).toMatchObject({ traceId, rootOperation: 'router', rootComponent: 'otel-caller', spanCount: 2, errorCount: 1 });
    expect(reports).toEqual([{ protocol: 'otlp', spans: 1 }, { protocol: 'otlp', spans: 1 }]);
    // The JSON API and the page find it by its 128-bit id and by its lower 64 bits.
    const api = await (await fetch(`${collector.url}/api/traces/${traceId.toUpperCase()}`)).json();
    expect(api.spans).toHaveLength(2);
    expect((await fetch(`${collector.url}/api/traces/${traceId.slice(16)}`)).status).toBe(200);
    const page = await (await fetch(`${collector.url}/traces/${traceId}`)).text();
    expect(page).toContain(`Trace <b class="mono">${traceId}</b>`);
  });

  it('takes OTLP/JSON (hex ids, string nanoseconds, integer enums), gzip or not', async () => {
    const request = {
      resourceSpans: [{
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'json-caller' } }] },
        scopeSpans: [{ scope: { name: 's' }, spans: [{
          traceId: '5B8EFFF798038103D269B633813FC60C', spanId: 'EEE19B7EC3C1B174', name: 'json-span', kind: 2,
          startTimeUnixNano: '1544712660000000000', endTimeUnixNano: 1544712661000000000 - 0,
          attributes: [{ key: 'n', value: { intValue: '7' } }, { key: 'd', value: { doubleValue: 2.5 } }, { key: 'list', value: { arrayValue: { values: [{ stringValue: 'a' }, { intValue: 1 }] } } }],
          status: { code: 1 },
        }] }],
      }],
    };
    const plain = await post(collector.url, JSON.stringify(request), { 'content-type': 'application/json' });
    expect(plain.status).toBe(200);
    expect(plain.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await plain.json()).toEqual({});
    const zipped = await post(collector.url, gzipSync(JSON.stringify(request)), { 'content-type': 'application/json', 'content-encoding': 'gzip' });
    expect(zipped.status).toBe(200);
    const [span] = collector.store.getTrace('5b8efff798038103d269b633813fc60c');
    expect(span).toMatchObject({
      traceId: '5b8efff798038103d269b633813fc60c',
      spanId: 'eee19b7ec3c1b174',
      component: 'json-caller',
      durationMicros: 1_000_000,
      tags: { n: 7, d: 2.5, list: '["a",1]', 'span.kind': 'server', 'otel.status_code': 'OK' },
    });
    expect(collector.store.countSpans()).toBe(1); // the second copy is a redelivery
  });

  it('keeps the good spans of a request and names the refused ones in a partial success', async () => {
    const good = { traceId: '5b8efff798038103d269b633813fc60c', spanId: 'eee19b7ec3c1b174', name: 'ok' };
    const request = { resourceSpans: [{ scopeSpans: [{ spans: [good, { ...good, spanId: '0000000000000000', name: 'zero' }, { ...good, traceId: 'abc', name: 'short' }] }] }] };
    const res = await post(collector.url, JSON.stringify(request), { 'content-type': 'application/json' });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.partialSuccess.rejectedSpans).toBe(2);
    expect(body.partialSuccess.errorMessage).toMatch(/spans\[1\]: span id is not 8 bytes, or is 0; .*spans\[2\]: trace id is not 16 bytes/);
    expect(collector.store.countSpans()).toBe(1);

    // The protobuf answer is a real ExportTraceServiceResponse.
    const type = otlpType('ExportTraceServiceRequest');
    const bytes = type.encode(type.fromObject({ resourceSpans: [{ scopeSpans: [{ spans: [{ traceId: Buffer.alloc(16), spanId: Buffer.alloc(8, 1), name: 'z' }] }] }] })).finish();
    const proto = await post(collector.url, Buffer.from(bytes), { 'content-type': 'application/x-protobuf' });
    const responseType = otlpType('ExportTraceServiceResponse');
    expect(responseType.toObject(responseType.decode(new Uint8Array(await proto.arrayBuffer())), { longs: Number })).toEqual({
      partialSuccess: { rejectedSpans: 1, errorMessage: 'resourceSpans[0].scopeSpans[0].spans[0]: trace id is not 16 bytes, or is 0' },
    });
  });

  it('answers 400 with a Status for a body that is no request, 415 for another content type, storing nothing', async () => {
    const garbage = await post(collector.url, Buffer.from([0xff, 0xff, 0xff]), { 'content-type': 'application/x-protobuf' });
    expect(garbage.status).toBe(400);
    const status = otlpType('RpcStatus');
    expect(status.toObject(status.decode(new Uint8Array(await garbage.arrayBuffer())))).toMatchObject({ code: 3, message: expect.stringMatching(/not a protobuf ExportTraceServiceRequest/) });
    const badJson = await post(collector.url, '{"resourceSpans": 3}', { 'content-type': 'application/json' });
    expect(badJson.status).toBe(400);
    expect(await badJson.json()).toEqual({ code: 3, message: 'resourceSpans is not a list of objects' });
    const text = await post(collector.url, 'hello', { 'content-type': 'text/plain' });
    expect(text.status).toBe(415);
    expect(collector.store.countSpans()).toBe(0);
  });

  it('checks the lightstep-access-token header when the collector has a token', async () => {
    const guarded = await startCollector({ port: 0, dbPath: ':memory:', accessToken: 'collector-secret-token' });
    try {
      const { tracer, provider } = sdk(`${guarded.url}/v1/traces`, CompressionAlgorithm.NONE, { 'lightstep-access-token': 'wrong-token-0123' });
      tracer.startSpan('refused').end();
      await provider.forceFlush().catch(() => undefined);
      await provider.shutdown().catch(() => undefined);
      expect(guarded.store.countSpans()).toBe(0);
      const accepted = sdk(`${guarded.url}/v1/traces`, CompressionAlgorithm.NONE, { 'lightstep-access-token': 'collector-secret-token' });
      accepted.tracer.startSpan('accepted').end();
      await accepted.provider.forceFlush();
      await accepted.provider.shutdown();
      expect(guarded.store.countSpans()).toBe(1);
    } finally {
      await guarded.close();
    }
  });

  it('shows one trace when its halves come by both wires: OTLP (128-bit) and a LightStep report (the lower 64 bits)', async () => {
    const { tracer, provider } = sdk(`${collector.url}/v1/traces`, CompressionAlgorithm.GZIP);
    const caller = tracer.startSpan('service-egress', { kind: SpanKind.CLIENT });
    caller.end();
    await provider.forceFlush();
    await provider.shutdown();
    const { traceId, spanId } = caller.spanContext();
    // The function's span, as the forwarder's LightStep sink reports it: only the lower 64 bits.
    const report = encodeReportRequest({
      component: 'lambda_function',
      accessToken: 'any',
      spans: [{ traceId, spanId: '00f067aa0ba902b7', parentSpanId: spanId, operation: 'lambda-execution', component: 'lambda_function', startMicros: Date.now() * 1000, durationMicros: 5, tags: {}, logs: [] }],
    });
    expect((await postReport(collector.url, Buffer.from(report))).status).toBe(200);

    const spans = collector.store.getTrace(traceId);
    expect(spans.map((s) => [s.operation, s.traceId, s.parentSpanId])).toEqual(
      expect.arrayContaining([
        ['service-egress', traceId, undefined],
        ['lambda-execution', traceId.slice(16), spanId],
      ]),
    );
    const traces = collector.store.listTraces(10);
    expect(traces).toHaveLength(1);
    expect(traces[0]).toMatchObject({ traceId, spanCount: 2 });
    const page = await (await fetch(`${collector.url}/traces/${traceId.slice(16)}`)).text();
    expect(page).toContain(`Trace <b class="mono">${traceId}</b>`);
    expect(page).toContain(`${traceId.slice(16)} (the lower 64 bits: LightStep reports carry no more)`);
  });
});

describe('TraceStore migration', () => {
  it('opens a file written before 128-bit ids (schema 0) and keeps its spans', () => {
    const dir = mkdtempSync(join(tmpdir(), 'collector-migrate-'));
    const file = join(dir, 'old.sqlite');
    try {
      const old = new Database(file);
      old.exec(`CREATE TABLE spans (trace_id TEXT NOT NULL, span_id TEXT NOT NULL, parent_span_id TEXT, operation TEXT NOT NULL, component TEXT NOT NULL,
          start_micros INTEGER NOT NULL, duration_micros INTEGER NOT NULL, is_error INTEGER NOT NULL, tags TEXT NOT NULL, logs TEXT NOT NULL,
          PRIMARY KEY (trace_id, span_id)) WITHOUT ROWID;
        CREATE TABLE traces (trace_id TEXT PRIMARY KEY, start_micros INTEGER NOT NULL, end_micros INTEGER NOT NULL, span_count INTEGER NOT NULL, error_count INTEGER NOT NULL);
        INSERT INTO spans VALUES ('a3ce929d0e0e4736', '00f067aa0ba902b7', NULL, 'old', 'c', 10, 5, 0, '{}', '[]');
        INSERT INTO traces VALUES ('a3ce929d0e0e4736', 10, 15, 1, 0);`);
      old.close();

      const store = new TraceStore(file);
      expect(store.getTrace('a3ce929d0e0e4736')).toEqual([{ traceId: 'a3ce929d0e0e4736', spanId: '00f067aa0ba902b7', operation: 'old', component: 'c', startMicros: 10, durationMicros: 5, tags: {}, logs: [] }]);
      // The same trace's OTLP half joins it, and names it by its 128-bit id from then on.
      store.addSpans([{ traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b8', parentSpanId: '00f067aa0ba902b7', operation: 'new', component: 'c', startMicros: 11, durationMicros: 1, tags: {}, logs: [] }]);
      expect(store.listTraces(5)).toEqual([expect.objectContaining({ traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanCount: 2 })]);
      store.close();
      // Opening it again is not a second migration.
      const again = new TraceStore(file);
      expect(again.countSpans()).toBe(2);
      again.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
