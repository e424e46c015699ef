// `SERVICE_TRACER=otel npm start`: the service traces with the OpenTelemetry SDK and the local
// forwarder exports the function's span lines over OTLP, both to the embedded collector's /v1/traces.
import type { ReportInfo } from '../../src/collector/reports';
import type { LocalStack } from '../../src/local/stack';
import { byOperation, fetchTrace, otGen, pollUntil, startTestStack } from './helpers';

describe('local stack with SERVICE_TRACER=otel', () => {
  let stack: LocalStack;
  const reports: ReportInfo[] = [];

  beforeAll(async () => {
    stack = await startTestStack({ serviceTracer: 'otel', onCollectorReport: (info) => reports.push(info) });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('GET /ot-gen?count=2 → one 128-bit W3C trace: router → 2 service-egress → a lambda-execution under each, the function’s spans over OTLP', async () => {
    const result = await otGen(stack, 'count=2');
    expect(result.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(result.traceUrl).toBe(`${stack.urls.collector}/traces/${result.traceId}`);
    const spans = await pollUntil(
      () => fetchTrace(stack, result.traceId),
      (s) => byOperation(s, 'lambda-execution').length >= 2,
    );
    const [router] = byOperation(spans, 'router');
    const egress = byOperation(spans, 'service-egress');
    const lambda = byOperation(spans, 'lambda-execution');
    expect(egress).toHaveLength(2);
    expect(lambda).toHaveLength(2);
    expect(spans).toHaveLength(5);
    // One trace id, all 128 bits, on every span: the service's (OTel SDK) and the function's (span lines → OTLP sink).
    expect(new Set(spans.map((s) => s.traceId))).toEqual(new Set([result.traceId]));
    for (const span of egress) expect(span.parentSpanId).toBe(router.spanId);
    expect(lambda.map((s) => s.parentSpanId).sort()).toEqual(egress.map((s) => s.spanId).sort());
    for (const span of lambda) {
      expect(span.component).toBe('lambda_function');
      expect(span.resource).toMatchObject({
        'service.name': 'lambda_function',
        'faas.name': 'ot-gen-function',
        'faas.version': '$LATEST',
        'cloud.region': 'us-east-1',
        'cloud.account.id': '000000000000',
      });
    }
    expect(stack.collector.store.listTraces(5)[0]).toMatchObject({ traceId: result.traceId, rootOperation: 'router', spanCount: 5 });
    // Everything came over OTLP: nothing used the LightStep wire.
    expect(reports.length).toBeGreaterThan(0);
    expect(new Set(reports.map((r) => r.protocol))).toEqual(new Set(['otlp']));
  });
});
