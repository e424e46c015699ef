import { extractContext } from '../../src/function/propagation';
import { traced } from '../../src/function/traced';
import { capturingTracer, decodeAll, lambdaContext } from './helpers/lambda';

// Several formats at once (a request that crossed differently instrumented proxies): W3C first,
// then B3 single, B3 multi, LightStep's ot-tracer-*; a malformed one falls through to the next.
const W3C = { traceparent: '00-11111111111111111111111111111111-1111111111111111-01' };
const B3 = { b3: '22222222222222222222222222222222-2222222222222222-1' };
const B3_MULTI = { 'x-b3-traceid': '3333333333333333', 'x-b3-spanid': '3333333333333333', 'x-b3-sampled': '1' };
const OT = { 'ot-tracer-traceid': '4444444444444444', 'ot-tracer-spanid': '4444444444444444', 'ot-tracer-sampled': 'true' };
const ALL = { ...W3C, ...B3, ...B3_MULTI, ...OT };
const BROKEN = {
  traceparent: '00-11111111111111111111111111111111-XXXXXXXXXXXXXXXX-01',
  b3: '2222-2222-1',
  'x-b3-traceid': '3333333333333333',
  'x-b3-spanid': 'not-hex',
  'ot-tracer-traceid': '4444444444444444',
  'ot-tracer-spanid': '',
};

describe('which context wins', () => {
  test.each([
    ['all four: traceparent', ALL, '1111111111111111'],
    ['traceparent malformed: b3', { ...ALL, traceparent: BROKEN.traceparent }, '2222222222222222'],
    ['traceparent and b3 malformed: x-b3-*', { ...ALL, traceparent: BROKEN.traceparent, b3: BROKEN.b3 }, '3333333333333333'],
    ['only ot-tracer-* well formed', { ...BROKEN, ...OT }, '4444444444444444'],
    ['b3 multi and ot only', { ...B3_MULTI, ...OT }, '3333333333333333'],
  ])('%s', (_label, headers, spanId) => {
    expect(extractContext(headers)!.spanId).toBe(spanId);
  });

  test('every format malformed: no context, and traced() starts a new root and answers', async () => {
    expect(extractContext(BROKEN)).toBeNull();
    const { tracer, lines } = capturingTracer();
    const response = await traced(async () => ({ statusCode: 200 }), { tracer })({ headers: BROKEN }, lambdaContext());
    expect(response).toEqual({ statusCode: 200 });
    expect(decodeAll(lines)[0].parentSpanId).toBeUndefined();
  });

  test('the winning format decides sampling: an unsampled traceparent beats a sampled ot-tracer-* context', () => {
    expect(extractContext({ ...OT, traceparent: W3C.traceparent.replace(/01$/, '00') })!.sampled).toBe(false);
    expect(extractContext({ ...OT, 'ot-tracer-sampled': 'false', ...W3C })!.sampled).toBe(true);
  });

  test('tracestate travels only with the traceparent it belongs to', () => {
    expect(extractContext({ ...W3C, tracestate: 'rojo=1' })!.traceState).toBe('rojo=1');
    expect(extractContext({ ...OT, tracestate: 'rojo=1' })!.traceState).toBe('');
    expect(extractContext({ ...B3, traceparent: BROKEN.traceparent, tracestate: 'rojo=1' })!.traceState).toBe('');
  });
});

describe('header names and values as API Gateway delivers them', () => {
  test('any case, every format', () => {
    expect(extractContext({ TraceParent: W3C.traceparent, TraceState: 'rojo=1' })).toMatchObject({ spanId: '1111111111111111', traceState: 'rojo=1' });
    expect(extractContext({ B3: B3.b3 })!.spanId).toBe('2222222222222222');
    expect(extractContext({ 'X-B3-TRACEID': '3333333333333333', 'X-B3-SpanId': '3333333333333333', 'X-B3-Sampled': '0' })!.sampled).toBe(false);
    expect(extractContext({ 'OT-TRACER-TRACEID': '4444444444444444', 'Ot-Tracer-SpanId': '4444444444444444' })!.spanId).toBe('4444444444444444');
  });

  test('multi-value (REST v1 multiValueHeaders): the first value of a single header, every value of a list header', () => {
    const context = extractContext({
      traceparent: [W3C.traceparent, '00-99999999999999999999999999999999-9999999999999999-01'],
      tracestate: ['rojo=1', 'congo=2'],
      baggage: ['a=1', 'b=2'],
    })!;
    expect(context).toMatchObject({ spanId: '1111111111111111', traceState: 'rojo=1,congo=2', baggage: { a: '1', b: '2' } });
  });

  test('values with surrounding spaces are read; odd values (numbers, null, arrays of non-strings) never throw', () => {
    expect(extractContext({ traceparent: ` ${W3C.traceparent} ` })!.spanId).toBe('1111111111111111');
    expect(extractContext({ traceparent: 42, b3: null, 'x-b3-traceid': [7], baggage: {} } as never)).toBeNull();
  });

  test('a header map with none of the tracing headers: null', () => {
    expect(extractContext({ host: 'example.com', 'x-forwarded-for': '203.0.113.7', 'x-amzn-trace-id': 'Root=1-abc', accept: '*/*' })).toBeNull();
    expect(extractContext(undefined)).toBeNull();
    expect(extractContext('traceparent')).toBeNull();
  });
});

describe('baggage: W3C baggage and ot-baggage-*', () => {
  test('both are read whatever format the ids came from; on the same key `baggage` wins', () => {
    const context = extractContext({ ...B3, baggage: 'tenant=w3c,region=eu', 'OT-Baggage-Tenant': 'ot', 'ot-baggage-plan': 'gold' })!;
    expect(context.baggage).toEqual({ tenant: 'w3c', region: 'eu', plan: 'gold' });
  });

  test('percent-decoding, properties dropped, malformed members skipped', () => {
    const context = extractContext({ ...W3C, baggage: 'user%20id=a%2Cb;prop=1, broken, =nokey, novalue=, bad=%E0%A4%A,ok = yes ' })!;
    expect(context.baggage).toEqual({ 'user id': 'a,b', ok: 'yes' });
  });

  test('an ot-baggage-* name of any length is read (the name pre-check only narrows exact names)', () => {
    expect(extractContext({ ...OT, 'OT-Baggage-A-Rather-Long-Baggage-Key-Name': 'v' })!.baggage).toEqual({ 'a-rather-long-baggage-key-name': 'v' });
  });

  test('baggage without any usable ids is no context (there is nothing to attach it to)', () => {
    expect(extractContext({ baggage: 'tenant=acme', 'ot-baggage-plan': 'gold' })).toBeNull();
  });

  test('the W3C limits: at most 180 members, 4096 characters each, 8192 in all', () => {
    const many = Array.from({ length: 200 }, (_, i) => `k${i}=v`).join(',');
    expect(Object.keys(extractContext({ ...W3C, baggage: many })!.baggage)).toHaveLength(180);
    const big = `huge=${'x'.repeat(4100)},small=1`;
    expect(extractContext({ ...W3C, baggage: big })!.baggage).toEqual({ small: '1' });
    const total = Array.from({ length: 5 }, (_, i) => `k${i}=${'y'.repeat(2000)}`).join(',');
    expect(Object.keys(extractContext({ ...W3C, baggage: total })!.baggage)).toEqual(['k0', 'k1', 'k2', 'k3']);
  });
});
