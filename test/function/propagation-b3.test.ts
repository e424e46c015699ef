import { TraceFlags } from '@opentelemetry/api';
import { B3InjectEncoding, B3Propagator } from '@opentelemetry/propagator-b3';
import { FORMAT_HTTP_HEADERS } from 'opentracing';
import { LogSpanContext } from '../../src/function/log-span-context';
import { LogTracer } from '../../src/function/log-tracer';
import { extractContext } from '../../src/function/propagation';
import { traced } from '../../src/function/traced';
import { capitalized, otelExtract, otelInject } from './helpers/otel';
import { decodeAll, lambdaContext } from './helpers/lambda';

// Interop with OpenTelemetry's B3Propagator, single header (its default) and multi header.
const single = new B3Propagator();
const multi = new B3Propagator({ injectEncoding: B3InjectEncoding.MULTI_HEADER });

const TRACE = '80f198ee56343ba864fe8b2a57d3eff7';
const SPAN = 'e457b5a2e4d86bd1';

function b3Tracer(propagators: Array<'b3' | 'b3multi'>): { tracer: LogTracer; lines: string[] } {
  const lines: string[] = [];
  return { tracer: new LogTracer({ componentName: 'lambda_function', emit: (line) => lines.push(line), propagators }), lines };
}

async function invoke(tracer: LogTracer, headers: Record<string, string>): Promise<void> {
  await traced(
    async (_event: unknown, _context, span) => {
      tracer.startSpan('child', { childOf: span }).finish();
      return { statusCode: 200 };
    },
    { tracer },
  )({ headers }, lambdaContext());
}

describe.each([
  ['single header (b3)', single],
  ['multi header (x-b3-*)', multi],
])('OpenTelemetry B3Propagator, %s, injects -> we extract', (_label, propagator) => {
  test('sampled: joined, the 128-bit trace id kept whole in the span line', async () => {
    const sent = otelInject(propagator, { traceId: TRACE, spanId: SPAN, traceFlags: TraceFlags.SAMPLED });
    const { tracer, lines } = b3Tracer(['b3']);
    await invoke(tracer, capitalized(sent));
    const [child, execution] = decodeAll(lines);
    expect(execution).toMatchObject({ traceId: TRACE, parentSpanId: SPAN });
    expect(child).toMatchObject({ traceId: TRACE, parentSpanId: execution.spanId });
  });

  test('unsampled: no line for the invocation or its child', async () => {
    const sent = otelInject(propagator, { traceId: TRACE, spanId: SPAN, traceFlags: TraceFlags.NONE });
    expect(sent.b3 ?? sent['x-b3-sampled']).toMatch(/(^|-)0$/); // b3: …-0, or x-b3-sampled: 0
    const { tracer, lines } = b3Tracer(['b3']);
    await invoke(tracer, sent);
    expect(lines).toEqual([]);
    expect(extractContext(sent)).toMatchObject({ traceId: TRACE, spanId: SPAN, sampled: false });
  });
});

describe('we inject -> OpenTelemetry B3Propagator extracts', () => {
  test.each([
    ['b3', single, (h: Record<string, string>) => expect(Object.keys(h)).toEqual(['b3'])],
    ['b3multi', multi, (h: Record<string, string>) => expect(Object.keys(h).sort()).toEqual(['x-b3-sampled', 'x-b3-spanid', 'x-b3-traceid'])],
  ] as const)('%s: same trace id, span id and sampled flag, both ways of sampling', (name, propagator, shape) => {
    const { tracer } = b3Tracer([name]);
    for (const sampled of [true, false]) {
      const headers: Record<string, string> = {};
      tracer.inject(new LogSpanContext(TRACE, SPAN, sampled), FORMAT_HTTP_HEADERS, headers);
      shape(headers);
      expect(otelExtract(propagator, headers).spanContext).toMatchObject({
        traceId: TRACE,
        spanId: SPAN,
        isRemote: true,
        traceFlags: sampled ? TraceFlags.SAMPLED : TraceFlags.NONE,
      });
    }
  });

  test('a 64-bit trace id goes out as it is (B3 allows it); OpenTelemetry pads it to 128 bits', () => {
    const { tracer } = b3Tracer(['b3', 'b3multi']);
    const headers: Record<string, string> = {};
    tracer.inject(new LogSpanContext('64fe8b2a57d3eff7', SPAN, true), FORMAT_HTTP_HEADERS, headers);
    expect(headers.b3).toBe(`64fe8b2a57d3eff7-${SPAN}-1`);
    expect(headers['x-b3-traceid']).toBe('64fe8b2a57d3eff7');
    expect(otelExtract(single, { b3: headers.b3 }).spanContext!.traceId).toBe('000000000000000064fe8b2a57d3eff7');
    expect(otelExtract(multi, { 'x-b3-traceid': headers['x-b3-traceid'], 'x-b3-spanid': SPAN }).spanContext!.traceId).toBe('000000000000000064fe8b2a57d3eff7');
  });

  test('a new root of a B3-only tracer is 64-bit, as today (128-bit roots come with tracecontext)', () => {
    const { tracer } = b3Tracer(['b3']);
    expect(tracer.startSpan('root').context().toTraceId()).toMatch(/^[0-9a-f]{16}$/);
  });
});

describe('B3 forms and their sampling states', () => {
  test.each([
    ['b3 with sampling 1', { b3: `${TRACE}-${SPAN}-1` }, true],
    ['b3 with sampling d (debug)', { b3: `${TRACE}-${SPAN}-d` }, true],
    ['b3 with a parent span id', { b3: `${TRACE}-${SPAN}-0-05e3ac9a4f6e3b90` }, false],
    ['b3 without sampling (defer: recorded)', { b3: `${TRACE}-${SPAN}` }, true],
    ['b3 in uppercase', { B3: `${TRACE.toUpperCase()}-${SPAN.toUpperCase()}-0` }, false],
    ['b3 with a 64-bit trace id', { b3: `64fe8b2a57d3eff7-${SPAN}-1` }, true],
    ['x-b3-sampled 0', { 'x-b3-traceid': TRACE, 'x-b3-spanid': SPAN, 'x-b3-sampled': '0' }, false],
    ['x-b3-sampled false', { 'X-B3-TraceId': TRACE, 'X-B3-SpanId': SPAN, 'X-B3-Sampled': 'false' }, false],
    ['x-b3-sampled true', { 'x-b3-traceid': TRACE, 'x-b3-spanid': SPAN, 'x-b3-sampled': 'true' }, true],
    ['x-b3-flags 1 (debug)', { 'x-b3-traceid': TRACE, 'x-b3-spanid': SPAN, 'x-b3-flags': '1' }, true],
    ['x-b3 without sampled (defer)', { 'x-b3-traceid': TRACE, 'x-b3-spanid': SPAN }, true],
  ])('%s', (_label, headers: Record<string, string>, sampled) => {
    const context = extractContext(headers)!;
    expect(context).not.toBeNull();
    expect(context.sampled).toBe(sampled);
    expect(context.spanId).toBe(SPAN);
    expect(context.traceId).toBe(String(Object.values(headers)[0]).slice(0, context.traceId.length).toLowerCase());
  });

  test.each([
    ['b3: 0', { b3: '0' }],
    ['x-b3-sampled: 0 without ids', { 'X-B3-Sampled': '0' }],
  ])('a deny without ids (%s): nothing recorded, and the deny travels downstream', async (_label, headers) => {
    const { tracer, lines } = b3Tracer(['b3']);
    let downstream: Record<string, string> = {};
    await traced(
      async (_event: unknown, _context, span) => {
        tracer.inject(span, FORMAT_HTTP_HEADERS, downstream);
      },
      { tracer },
    )({ headers }, lambdaContext());
    expect(lines).toEqual([]);
    expect(downstream.b3).toMatch(/^[0-9a-f]{16}-[0-9a-f]{16}-0$/);
  });

  test('b3: 1 or d alone is no context: a new, sampled root', () => {
    expect(extractContext({ b3: '1' })).toBeNull();
    expect(extractContext({ b3: 'd' })).toBeNull();
  });

  test.each([
    ['b3 with a bad sampling state', { b3: `${TRACE}-${SPAN}-2` }],
    ['b3 with a short span id', { b3: `${TRACE}-e457b5a2e4d86b` }],
    ['b3 with zero ids', { b3: `${'0'.repeat(32)}-${'0'.repeat(16)}-1` }],
    ['b3 with a trace id whose lower 64 bits are zero', { b3: `${TRACE.slice(0, 16)}${'0'.repeat(16)}-${SPAN}-1` }],
    ['x-b3 with a bad sampled value', { 'x-b3-traceid': TRACE, 'x-b3-spanid': SPAN, 'x-b3-sampled': 'maybe' }],
    ['x-b3 without a span id', { 'x-b3-traceid': TRACE }],
    ['x-b3 with a 24-hex trace id', { 'x-b3-traceid': TRACE.slice(0, 24), 'x-b3-spanid': SPAN }],
  ])('malformed: %s -> no B3 context; the ot-tracer-* context underneath is used', (_label, headers: Record<string, string>) => {
    expect(extractContext(headers)).toBeNull();
    const withOt = { ...headers, 'ot-tracer-traceid': 'aaaaaaaaaaaaaaaa', 'ot-tracer-spanid': 'bbbbbbbbbbbbbbbb' };
    expect(extractContext(withOt)).toMatchObject({ traceId: 'aaaaaaaaaaaaaaaa', spanId: 'bbbbbbbbbbbbbbbb', sampled: true });
  });
});
