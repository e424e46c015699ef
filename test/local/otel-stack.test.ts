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

  it('the service’s trace is 128-bit; the function’s spans arrive through the forwarder’s OTLP sink with their resource', async () => {
    const before = stack.collector.store.countSpans();
    const result = await otGen(stack, 'count=2');
    expect(result.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(result.traceUrl).toBe(`${stack.urls.collector}/traces/${result.traceId}`);
    const serviceSpans = await fetchTrace(stack, result.traceId);
    expect(byOperation(serviceSpans, 'router')).toHaveLength(1);
    expect(byOperation(serviceSpans, 'service-egress')).toHaveLength(2);

    // Two invocations, each a lambda-execution span line, shipped and forwarded over OTLP.
    const lambda = await pollUntil(
      async () =>
        stack.collector.store
          .listTraces(50)
          .flatMap((t) => stack.collector.store.getTrace(t.traceId))
          .filter((s) => s.operation === 'lambda-execution'),
      (spans) => spans.length >= 2,
    );
    expect(lambda).toHaveLength(2);
    expect(stack.collector.store.countSpans() - before).toBeGreaterThanOrEqual(5);
    for (const span of lambda) {
      expect(span.traceId).toMatch(/^[0-9a-f]{32}$/);
      expect(span.resource).toMatchObject({
        'service.name': 'lambda_function',
        'faas.name': 'ot-gen-function',
        'faas.version': '$LATEST',
        'cloud.region': 'us-east-1',
        'cloud.account.id': '000000000000',
      });
    }
    // Everything came over OTLP: nothing used the LightStep wire.
    expect(reports.length).toBeGreaterThan(0);
    expect(new Set(reports.map((r) => r.protocol))).toEqual(new Set(['otlp']));
  });
});
