import { createDemoHandler } from '../../src/function/demo-handler';
import { capturingTracer, decodeAll, lambdaContext, loadEvent } from './helpers/lambda';
import { startLoopbackCollector } from './helpers/loopback-collector';

// Every format's "not sampled" reaches the demo handler (lambda-execution and its compute child)
// in log mode and in direct mode, and every format's "sampled" is the control.
const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN = '00f067aa0ba902b7';
const FORMATS: Array<[string, Record<string, string>, Record<string, string>]> = [
  ['traceparent', { traceparent: `00-${TRACE}-${SPAN}-00` }, { traceparent: `00-${TRACE}-${SPAN}-01` }],
  ['b3', { b3: `${TRACE}-${SPAN}-0` }, { b3: `${TRACE}-${SPAN}-1` }],
  ['x-b3-*', { 'X-B3-TraceId': TRACE, 'X-B3-SpanId': SPAN, 'X-B3-Sampled': '0' }, { 'X-B3-TraceId': TRACE, 'X-B3-SpanId': SPAN, 'X-B3-Sampled': '1' }],
  ['ot-tracer-*', { 'ot-tracer-traceid': TRACE, 'ot-tracer-spanid': SPAN, 'ot-tracer-sampled': 'false' }, { 'ot-tracer-traceid': TRACE, 'ot-tracer-spanid': SPAN }],
];

/** The HTTP API sample event (it names n, so the demo also starts a compute span), with these tracing headers only. */
function eventWith(headers: Record<string, string>): unknown {
  const event = loadEvent('http-api-v2.json') as { headers: Record<string, string> };
  const plain = Object.fromEntries(Object.entries(event.headers).filter(([name]) => !name.startsWith('ot-')));
  return { ...event, headers: { ...plain, ...headers } };
}

describe.each(FORMATS)('%s', (_format, unsampled, sampled) => {
  test('log mode: unsampled writes no line at all; sampled writes both spans in the caller\'s trace', async () => {
    const { tracer, lines } = capturingTracer();
    const handler = createDemoHandler(tracer);
    expect((await handler(eventWith(unsampled), lambdaContext())).statusCode).toBe(200);
    expect(lines).toEqual([]);
    await handler(eventWith(sampled), lambdaContext());
    const spans = decodeAll(lines);
    expect(spans.map((span) => [span.operation, span.traceId])).toEqual([
      ['compute', TRACE],
      ['lambda-execution', TRACE],
    ]);
    expect(spans[1].parentSpanId).toBe(SPAN);
  });

  test('direct mode (the real lightstep-tracer): unsampled reports no span; sampled joins on the lower 64 bits', async () => {
    const collector = await startLoopbackCollector();
    try {
      const { createDirectReporting } = await import('../../src/function/direct-reporting');
      const direct = createDirectReporting(
        { accessToken: 'sampling-token', collectorHost: '127.0.0.1', collectorPort: collector.port, collectorEncryption: 'none', reportTimeoutMillis: 2000 },
        'lambda_function',
      );
      const errors: unknown[] = [];
      const handler = createDemoHandler(direct.tracer, () => direct.flush().catch((error: unknown) => void errors.push(error)));
      await handler(eventWith(unsampled), lambdaContext());
      expect(collector.reports.flatMap((report) => report.operations)).toEqual([]);
      await handler(eventWith(sampled), lambdaContext());
      const ids = collector.reports.flatMap((report) => report.ids);
      expect(collector.reports.flatMap((report) => report.operations)).toEqual(['compute', 'lambda-execution']);
      // LightStep's wire is 64-bit: the trace id's lower half, in decimal.
      expect(ids.map((id) => id.traceId)).toEqual([BigInt('0x' + TRACE.slice(16)).toString(), BigInt('0x' + TRACE.slice(16)).toString()]);
      expect(ids[1].parentSpanIds).toEqual([BigInt('0x' + SPAN).toString()]);
      expect(errors).toEqual([]);
    } finally {
      await collector.close();
    }
  });
});
