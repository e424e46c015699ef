/**
 * OpenTelemetry at both ends: an OTel-SDK caller (through the OpenTracing shim, exporting OTLP)
 * → the function's real LogTracer continuing the caller's 128-bit context → span lines → a
 * genuine subscription event → the forwarder Lambda handler with BOTH sinks on (OTLP and
 * LightStep) → embedded collectors. One 128-bit trace on the OTLP side; on the LightStep side the
 * lower 64 bits, so both halves still join there.
 *
 * The function is handed the caller's context as an OpenTracing SpanContext (childOf), the way a
 * handler continues a foreign tracer's context. Extracting a W3C `traceparent` header inside the
 * function is the function side's part of the same issue; once it has landed, this test should
 * invoke the function with the injected headers instead.
 */
import type { CloudWatchLogsEvent, Context } from 'aws-lambda';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { TracerShim } from '@opentelemetry/shim-opentracing';
import { FORMAT_HTTP_HEADERS } from 'opentracing';
import { lambdaContext } from '../../src/common/lambda-context';
import { startCollector, type RunningCollector } from '../../src/collector/server';
import { LogTracer } from '../../src/function';
import type { ForwardSummary } from '../../src/log-span-forwarder/forward';
import { encodeSubscriptionEvent } from '../../src/log-span-forwarder/subscription-event';
import { w3cPropagator } from '../../src/service/otel-tracer';
import { decodeSpanLine, type FinishedSpan } from '../../src/span-line';

const HEADER_SECRET = 'otlp-e2e-header-secret-0123456789';
const LOG_STREAM = '2026/11/25/[$LATEST]0123456789abcdef0123456789abcdef';

function subscriptionEventFor(lines: string[]): CloudWatchLogsEvent {
  const now = Date.now();
  const messages = ['START RequestId: r1 Version: $LATEST', ...lines, 'END RequestId: r1', 'REPORT RequestId: r1\tDuration: 1.00 ms'];
  return encodeSubscriptionEvent({
    messageType: 'DATA_MESSAGE',
    owner: '123456789012',
    logGroup: '/aws/lambda/ot-function',
    logStream: LOG_STREAM,
    subscriptionFilters: ['span-lines'],
    logEvents: messages.map((message, i) => ({ id: `${now}${i}`, timestamp: now, message })),
  });
}

describe('end to end with OpenTelemetry: OTel caller → function span lines → forwarder OTLP sink → collector', () => {
  let otlpCollector: RunningCollector;
  let lightStepCollector: RunningCollector;
  const savedEnv = { ...process.env };

  beforeAll(async () => {
    otlpCollector = await startCollector({ port: 0, dbPath: ':memory:', accessToken: HEADER_SECRET });
    lightStepCollector = await startCollector({ port: 0, dbPath: ':memory:' });
  });
  afterAll(async () => {
    process.env = savedEnv;
    await otlpCollector.close();
    await lightStepCollector.close();
  });

  it('one 128-bit trace; lambda-execution’s parent is the caller’s span; span ids as the function wrote them', async () => {
    // The caller: the OpenTelemetry SDK, exporting OTLP to the collector.
    const provider = new BasicTracerProvider({
      resource: resourceFromAttributes({ 'service.name': 'node-service' }),
      spanProcessors: [new SimpleSpanProcessor(new OTLPTraceExporter({ url: `${otlpCollector.url}/v1/traces`, headers: { 'lightstep-access-token': HEADER_SECRET } }))],
    });
    const propagator = w3cPropagator();
    const caller = new TracerShim(provider.getTracer('node-service'), { textMapPropagator: propagator, httpHeadersPropagator: propagator });
    const egress = caller.startSpan('service-egress', { tags: { 'span.kind': 'client' } });
    const headers: Record<string, string> = {};
    caller.inject(egress.context(), FORMAT_HTTP_HEADERS, headers);
    const traceId = egress.context().toTraceId();
    expect(traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(traceId.slice(0, 16)).not.toBe('0000000000000000');
    expect(headers.traceparent).toBe(`00-${traceId}-${egress.context().toSpanId()}-01`);

    // The function: the real LogTracer, continuing the caller's context as a handler continues a
    // foreign tracer's (an OpenTracing SpanContext as childOf), writing span lines.
    const lines: string[] = [];
    const tracer = new LogTracer({ componentName: 'lambda_function', emit: (line) => lines.push(line) });
    const invocation = tracer.startSpan('lambda-execution', { childOf: egress.context(), tags: { 'span.kind': 'server', 'faas.name': 'ot-function' } });
    const child = tracer.startSpan('compute', { childOf: invocation, tags: { n: 7 } });
    child.log({ event: 'step', done: false });
    child.finish();
    invocation.finish();
    egress.finish();
    await provider.forceFlush();
    await provider.shutdown();

    const written = lines.map((l) => decodeSpanLine(l)).flatMap((d) => (d.ok ? [d.span] : [])) as FinishedSpan[];
    expect(written.map((s) => s.operation)).toEqual(['compute', 'lambda-execution']);
    const lambdaSpan = written.find((s) => s.operation === 'lambda-execution')!;
    expect(lambdaSpan.traceId).toBe(traceId); // the span line carries all 128 bits

    // The forwarder Lambda, both sinks on, configured from its environment as in AWS.
    process.env = {
      ...savedEnv,
      AWS_REGION: 'eu-west-1',
      OTEL_EXPORTER_OTLP_ENDPOINT: otlpCollector.url,
      OTEL_EXPORTER_OTLP_HEADERS: `lightstep-access-token=${HEADER_SECRET}`,
      LIGHTSTEP_ACCESS_TOKEN: 'lightstep-e2e-token',
      LIGHTSTEP_COLLECTOR_HOST: '127.0.0.1',
      LIGHTSTEP_COLLECTOR_PORT: String(lightStepCollector.port),
      LIGHTSTEP_COLLECTOR_ENCRYPTION: 'none',
    };
    let forwarderHandler!: (e: CloudWatchLogsEvent, c?: Context) => Promise<ForwardSummary>;
    jest.isolateModules(() => {
      forwarderHandler = require('../../src/log-span-forwarder/handler').handler;
    });
    const forwarderContext = lambdaContext({ functionName: 'log-span-forwarder', functionVersion: '1', awsRequestId: 'f1', deadlineMs: Date.now() + 60_000 });
    const summary = await forwarderHandler(subscriptionEventFor(lines), forwarderContext);
    expect(summary).toMatchObject({ forwarded: written.length, rejected: 0 });

    // OTLP side: one trace, 128-bit, the caller's span and every span the function wrote.
    const spans = otlpCollector.store.getTrace(traceId);
    expect(new Set(spans.map((s) => s.traceId))).toEqual(new Set([traceId]));
    expect(spans).toHaveLength(1 + written.length);
    expect(otlpCollector.store.listTraces(10).map((t) => t.traceId)).toEqual([traceId]);
    const stored = spans.find((s) => s.spanId === lambdaSpan.spanId)!;
    expect(stored).toMatchObject({
      parentSpanId: egress.context().toSpanId(),
      operation: 'lambda-execution',
      component: 'lambda_function',
      startMicros: lambdaSpan.startMicros,
      durationMicros: lambdaSpan.durationMicros,
      resource: {
        'service.name': 'lambda_function',
        'faas.name': 'ot-function',
        'faas.version': '$LATEST',
        'faas.instance': LOG_STREAM,
        'cloud.region': 'eu-west-1',
        'cloud.account.id': '123456789012',
      },
    });
    expect(stored.tags['span.kind']).toBe('server');
    for (const span of written) {
      const match = spans.find((s) => s.spanId === span.spanId)!;
      expect(match.parentSpanId).toBe(span.parentSpanId);
      expect(match.startMicros).toBe(span.startMicros);
    }
    const compute = spans.find((s) => s.operation === 'compute')!;
    expect(compute.tags.n).toBe(7);
    expect(compute.logs).toEqual([{ timestampMicros: written.find((s) => s.operation === 'compute')!.logs[0].timestampMicros, fields: { event: 'step', done: false } }]);
    expect(spans.find((s) => s.operation === 'service-egress')!.component).toBe('node-service');

    // LightStep side: the same spans under the lower 64 bits, parents unchanged, so they join the
    // caller's trace there (LightStep keys a trace by those 64 bits).
    const lower = lightStepCollector.store.getTrace(traceId.slice(16));
    expect(lower.map((s) => [s.traceId, s.spanId, s.parentSpanId]).sort()).toEqual(
      written.map((s) => [traceId.slice(16), s.spanId, s.parentSpanId]).sort(),
    );
  });
});
