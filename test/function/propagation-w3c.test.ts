import { isSpanContextValid, TraceFlags } from '@opentelemetry/api';
import { CompositePropagator, TraceState, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import { FORMAT_HTTP_HEADERS } from 'opentracing';
import { LogSpanContext } from '../../src/function/log-span-context';
import { extractContext } from '../../src/function/propagation';
import { LogTracer } from '../../src/function/log-tracer';
import { traced } from '../../src/function/traced';
import { capitalized, otelExtract, otelInject } from './helpers/otel';
import { decodeAll, lambdaContext } from './helpers/lambda';

// Interop with OpenTelemetry's own W3C Trace Context and Baggage propagators, both directions.
const w3c = new W3CTraceContextPropagator();
const w3cWithBaggage = new CompositePropagator({ propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()] });

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN = '00f067aa0ba902b7';

function w3cTracer(): { tracer: LogTracer; lines: string[] } {
  const lines: string[] = [];
  return { tracer: new LogTracer({ componentName: 'lambda_function', emit: (line) => lines.push(line), propagators: ['tracecontext', 'baggage'] }), lines };
}

describe('OpenTelemetry injects (W3CTraceContextPropagator + W3CBaggagePropagator) -> we extract', () => {
  const sent = otelInject(
    w3cWithBaggage,
    { traceId: TRACE, spanId: SPAN, traceFlags: TraceFlags.SAMPLED, traceState: new TraceState('rojo=00f067aa0ba902b7,congo=t61rcWkgMzE') },
    { customer: 'acme', 'user id': 'a b,c=d;e' },
  );

  test('the headers are what the spec shows', () => {
    expect(sent).toEqual({
      traceparent: `00-${TRACE}-${SPAN}-01`,
      tracestate: 'rojo=00f067aa0ba902b7,congo=t61rcWkgMzE',
      baggage: 'customer=acme,user%20id=a%20b%2Cc%3Dd%3Be',
    });
  });

  test('the 128-bit trace id, parent, sampled flag, tracestate and baggage are read (REST API case too)', () => {
    for (const headers of [sent, capitalized(sent)]) {
      const context = extractContext(headers);
      expect(context).toMatchObject({ traceId: TRACE, spanId: SPAN, sampled: true, traceState: 'rojo=00f067aa0ba902b7,congo=t61rcWkgMzE' });
      expect(context!.baggage).toEqual({ customer: 'acme', 'user id': 'a b,c=d;e' });
    }
  });

  test('traced(): lambda-execution keeps the whole 128-bit trace id in the span line, and its children pass tracestate on', async () => {
    const { tracer, lines } = w3cTracer();
    let downstream: Record<string, string> = {};
    const handler = traced(
      async (_event: unknown, _context, span) => {
        const call = tracer.startSpan('call-downstream', { childOf: span });
        tracer.inject(call, FORMAT_HTTP_HEADERS, downstream);
        call.finish();
        return { statusCode: 200 };
      },
      { tracer },
    );
    await handler({ headers: capitalized(sent) }, lambdaContext());
    const [call, execution] = decodeAll(lines);
    expect(execution).toMatchObject({ traceId: TRACE, parentSpanId: SPAN, baggage: { customer: 'acme', 'user id': 'a b,c=d;e' } });
    expect(call).toMatchObject({ traceId: TRACE, parentSpanId: execution.spanId });
    expect(lines[0]).toContain(`"trace":"${TRACE}"`);
    // And OpenTelemetry reads the downstream call as this trace's child, tracestate unchanged.
    const received = otelExtract(w3cWithBaggage, downstream);
    expect(received.spanContext).toMatchObject({ traceId: TRACE, spanId: call.spanId, traceFlags: TraceFlags.SAMPLED, isRemote: true });
    expect(received.spanContext!.traceState!.serialize()).toBe('rojo=00f067aa0ba902b7,congo=t61rcWkgMzE');
    expect(received.baggage).toEqual({ customer: 'acme', 'user id': 'a b,c=d;e' });
  });

  test('traceparent flags 00: no line for the invocation or its children, and the next hop is told 00', async () => {
    const unsampled = otelInject(w3c, { traceId: TRACE, spanId: SPAN, traceFlags: TraceFlags.NONE });
    expect(unsampled.traceparent).toBe(`00-${TRACE}-${SPAN}-00`);
    const { tracer, lines } = w3cTracer();
    let downstream: Record<string, string> = {};
    await traced(
      async (_event: unknown, _context, span) => {
        const child = tracer.startSpan('child', { childOf: span });
        tracer.inject(child, FORMAT_HTTP_HEADERS, downstream);
        child.finish();
      },
      { tracer },
    )({ headers: unsampled }, lambdaContext());
    expect(lines).toEqual([]);
    expect(otelExtract(w3c, downstream).spanContext).toMatchObject({ traceId: TRACE, traceFlags: TraceFlags.NONE });
  });

  test('other flag bits are ignored: only the sampled bit counts', () => {
    expect(extractContext({ traceparent: `00-${TRACE}-${SPAN}-03` })!.sampled).toBe(true);
    expect(extractContext({ traceparent: `00-${TRACE}-${SPAN}-02` })!.sampled).toBe(false);
  });
});

describe('we inject (OTEL_PROPAGATORS=tracecontext,baggage) -> OpenTelemetry extracts', () => {
  test('a new root is 128-bit and OpenTelemetry takes it as a valid, sampled, remote context with our baggage', () => {
    const { tracer } = w3cTracer();
    const root = tracer.startSpan('lambda-execution');
    root.setBaggageItem('tenant', 't 42/ü');
    const headers: Record<string, string> = {};
    tracer.inject(root, FORMAT_HTTP_HEADERS, headers);
    const traceId = root.context().toTraceId();
    expect(traceId).toMatch(/^[0-9a-f]{32}$/);
    const received = otelExtract(w3cWithBaggage, headers);
    expect(isSpanContextValid(received.spanContext!)).toBe(true);
    expect(received.spanContext).toMatchObject({ traceId, spanId: root.context().toSpanId(), traceFlags: TraceFlags.SAMPLED, isRemote: true });
    expect(received.baggage).toEqual({ tenant: 't 42/ü' });
  });

  test('a 64-bit trace id (from a LightStep caller) goes out zero-padded, as OpenTelemetry pads it', () => {
    const { tracer } = w3cTracer();
    const caller = tracer.extract(FORMAT_HTTP_HEADERS, { 'ot-tracer-traceid': 'a3ce929d0e0e4736', 'ot-tracer-spanid': SPAN })!;
    const child = tracer.startSpan('child', { childOf: caller });
    const headers: Record<string, string> = {};
    tracer.inject(child, FORMAT_HTTP_HEADERS, headers);
    expect(headers.traceparent).toBe(`00-0000000000000000a3ce929d0e0e4736-${child.context().toSpanId()}-01`);
    expect(otelExtract(w3c, headers).spanContext!.traceId).toBe('0000000000000000a3ce929d0e0e4736');
    expect(headers.baggage).toBeUndefined(); // no baggage, no header
  });

  test('unsampled goes out as flags 00', () => {
    const { tracer } = w3cTracer();
    const headers: Record<string, string> = {};
    tracer.inject(new LogSpanContext(TRACE, SPAN, false), FORMAT_HTTP_HEADERS, headers);
    expect(otelExtract(w3c, headers).spanContext).toMatchObject({ traceId: TRACE, spanId: SPAN, traceFlags: TraceFlags.NONE });
  });

  test('tracestate is re-injected unchanged and OpenTelemetry reads every member', () => {
    const { tracer } = w3cTracer();
    const caller = tracer.extract(FORMAT_HTTP_HEADERS, { traceparent: `00-${TRACE}-${SPAN}-01`, tracestate: ['vendor@ls=abc', 'rojo=1'] });
    const headers: Record<string, string> = {};
    tracer.inject(tracer.startSpan('child', { childOf: caller! }), FORMAT_HTTP_HEADERS, headers);
    expect(headers.tracestate).toBe('vendor@ls=abc,rojo=1'); // the two header values, joined
    const state = otelExtract(w3c, headers).spanContext!.traceState!;
    expect([state.get('vendor@ls'), state.get('rojo')]).toEqual(['abc', '1']);
  });
});

describe('malformed traceparent: no W3C context (the next format, else a new root), never a throw', () => {
  const B3 = { b3: 'a3ce929d0e0e4736a3ce929d0e0e4736-00f067aa0ba902b8-1' };
  const MALFORMED: Array<[string, string]> = [
    ['version ff', `ff-${TRACE}-${SPAN}-01`],
    ['version 00 with an extra field', `00-${TRACE}-${SPAN}-01-extra`],
    ['uppercase hex', `00-${TRACE.toUpperCase()}-${SPAN}-01`],
    ['all-zero trace id', `00-${'0'.repeat(32)}-${SPAN}-01`],
    ['all-zero parent id', `00-${TRACE}-${'0'.repeat(16)}-01`],
    ['64-bit trace id', `00-a3ce929d0e0e4736-${SPAN}-01`],
    ['no flags', `00-${TRACE}-${SPAN}`],
    ['garbage', 'not a traceparent'],
    ['empty', ''],
  ];

  test.each(MALFORMED)('%s: OpenTelemetry refuses it too; alone -> null, with b3 -> the b3 context', (_label, traceparent) => {
    expect(otelExtract(w3c, { traceparent }).spanContext).toBeUndefined();
    expect(extractContext({ traceparent, tracestate: 'rojo=1' })).toBeNull();
    expect(extractContext({ traceparent, tracestate: 'rojo=1', ...B3 })).toMatchObject({ spanId: '00f067aa0ba902b8', traceState: '' });
  });

  test('a trace id whose lower 64 bits are zero: valid W3C (OpenTelemetry takes it), unusable on LightStep\'s wire, so refused here', () => {
    const traceparent = `00-a3ce929d0e0e47360000000000000000-${SPAN}-01`;
    expect(otelExtract(w3c, { traceparent }).spanContext?.traceId).toBe('a3ce929d0e0e47360000000000000000');
    expect(extractContext({ traceparent })).toBeNull();
    expect(extractContext({ traceparent, ...B3 })!.spanId).toBe('00f067aa0ba902b8');
  });

  test('a later version with extra fields is read (the spec\'s forward compatibility)', () => {
    expect(extractContext({ traceparent: `01-${TRACE}-${SPAN}-01-future` })).toMatchObject({ traceId: TRACE, spanId: SPAN });
  });

  test('a malformed traceparent in traced(): a 200 and a new root, not a crash', async () => {
    const { tracer, lines } = w3cTracer();
    const response = await traced(async () => ({ statusCode: 200 }), { tracer })({ headers: { traceparent: `00-${TRACE}-zz-01` } }, lambdaContext());
    expect(response.statusCode).toBe(200);
    const [execution] = decodeAll(lines);
    expect(execution.parentSpanId).toBeUndefined();
    expect(execution.traceId).toMatch(/^[0-9a-f]{32}$/); // a W3C-configured tracer mints 128-bit roots
  });
});

describe('tracestate is kept as OpenTelemetry\'s TraceState keeps it', () => {
  const members = (n: number) => Array.from({ length: n }, (_, i) => `k${i}=v${i}`).join(',');
  test.each([
    ['plain', 'rojo=00f067aa0ba902b7,congo=t61rcWkgMzE'],
    ['spaces and empty members', ' rojo=1 , ,congo=2 '],
    ['malformed members dropped', 'Upper=1,ok=2,no-equals,bad=va,lue,=x,fine@vendor=3'],
    ['33 members: the first 32', members(33)],
    ['over 512 characters: members that fit', `a=${'x'.repeat(250)},b=${'y'.repeat(250)},c=${'z'.repeat(20)},d=1`],
  ])('%s', (_label, raw) => {
    const ours = extractContext({ traceparent: `00-${TRACE}-${SPAN}-01`, tracestate: raw })!.traceState;
    expect(ours).toBe(new TraceState(raw).serialize());
  });
});
