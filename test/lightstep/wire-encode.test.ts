import * as collectorPb from 'lightstep-tracer/lib/imp/generated_proto/collector_pb';
import type { KeyValue } from 'lightstep-tracer/lib/imp/generated_proto/collector_pb';
import { hexIdToWire, InvalidIdError, toCollectorSpan } from '../../src/lightstep/wire';
import { decodeSpanLine, encodeSpanLine } from '../../src/span-line';
import type { FinishedSpan } from '../../src/span-line';

const span: FinishedSpan = {
  traceId: '4bf92f3577b34da6',
  spanId: '00f067aa0ba902b7',
  parentSpanId: 'ffffffffffffffff',
  operation: 'dynamodb.get',
  component: 'lambda_function',
  startMicros: 1715681730123456,
  durationMicros: 8345,
  tags: { s: 'dynamodb', empty: '', i: 3, zero: 0, negative: -7, d: 0.75, t: true, f: false, huge: 2 ** 60 },
  logs: [{ timestampMicros: 1715681730123999, fields: { event: 'request', attempt: 0, throttled: false, cursor: '' } }],
  baggage: { tenant: 'acme' },
};

/** Through the wire format and back: what the collector will decode. */
function roundTrip(s: FinishedSpan) {
  return collectorPb.Span.deserializeBinary(toCollectorSpan(s).serializeBinary());
}

function typed(kv: KeyValue): [string, unknown] {
  switch (kv.getValueCase()) {
    case 2:
      return [kv.getKey(), kv.getStringValue()];
    case 3:
      return [kv.getKey(), { int: kv.getIntValue() }];
    case 4:
      return [kv.getKey(), { double: kv.getDoubleValue() }];
    case 5:
      return [kv.getKey(), kv.getBoolValue()];
    default:
      return [kv.getKey(), { unexpectedCase: kv.getValueCase() }];
  }
}

describe('toCollectorSpan', () => {
  it('keeps the original ids as uint64 decimal strings, and the parent as a CHILD_OF reference', () => {
    const proto = roundTrip(span);
    expect(proto.getSpanContext()?.getTraceId()).toBe(BigInt('0x4bf92f3577b34da6').toString());
    expect(proto.getSpanContext()?.getSpanId()).toBe(BigInt('0x00f067aa0ba902b7').toString());
    const [reference] = proto.getReferencesList();
    expect(reference.getRelationship()).toBe(collectorPb.Reference.Relationship.CHILD_OF);
    expect(reference.getSpanContext()?.getSpanId()).toBe('18446744073709551615'); // max uint64 survives
    expect(proto.getOperationName()).toBe('dynamodb.get');
  });

  it('keeps the lower 64 bits of a 128-bit trace id', () => {
    const proto = roundTrip({ ...span, traceId: '0af7651916cd43dd8448eb211c80319c' });
    expect(proto.getSpanContext()?.getTraceId()).toBe(BigInt('0x8448eb211c80319c').toString());
  });

  it('has no reference for a root span', () => {
    const { parentSpanId: _omit, ...root } = span;
    expect(roundTrip(root).getReferencesList()).toEqual([]);
  });

  it('keeps µs start, duration and log timestamps', () => {
    const proto = roundTrip(span);
    expect(proto.getStartTimestamp()?.getSeconds()).toBe(1715681730);
    expect(proto.getStartTimestamp()?.getNanos()).toBe(123456000);
    expect(proto.getDurationMicros()).toBe('8345');
    expect(proto.getLogsList()[0].getTimestamp()?.getNanos()).toBe(123999000);
  });

  it('types tags: string, int, double, bool — with 0, false and empty string kept', () => {
    expect(Object.fromEntries(roundTrip(span).getTagsList().map(typed))).toEqual({
      s: 'dynamodb',
      empty: '',
      i: { int: '3' },
      zero: { int: '0' },
      negative: { int: '-7' },
      d: { double: 0.75 },
      t: true,
      f: false,
      huge: { double: 2 ** 60 }, // beyond 2^53 it was never an exact integer
      'baggage.tenant': 'acme',
    });
  });

  it('types log fields, keeping zero, false and empty string', () => {
    const [log] = roundTrip(span).getLogsList();
    expect(Object.fromEntries(log.getFieldsList().map(typed))).toEqual({
      event: 'request',
      attempt: { int: '0' },
      throttled: false,
      cursor: '',
    });
  });

  // What the per-line loop relies on: the span-line contract refuses these ids as bad_field.
  const decodedReason = (changes: Partial<typeof span>) => {
    const result = decodeSpanLine(encodeSpanLine({ ...span, ...changes }));
    return result.ok ? undefined : result.reason;
  };

  it('refuses ids that would poison the tracer buffer', () => {
    expect(decodedReason({})).toBeUndefined();
    expect(decodedReason({ traceId: 'XYZ' })).toBe('bad_field');
    expect(decodedReason({ spanId: '00F067AA0BA902B7' })).toBe('bad_field');
    expect(decodedReason({ parentSpanId: '123' })).toBe('bad_field');
    // And a non-hex id that got past the contract fails the conversion, never the tracer.
    expect(() => toCollectorSpan(span)).not.toThrow();
    expect(() => toCollectorSpan({ ...span, traceId: 'XYZ' })).toThrow(new InvalidIdError('trace id is not hex'));
    expect(() => toCollectorSpan({ ...span, spanId: 'zz' })).toThrow(InvalidIdError);
  });

  it('refuses zero ids: LightStep reads 0 as "no id" and refuses the whole report', () => {
    const zero = '0000000000000000';
    expect(decodedReason({ traceId: zero })).toBe('bad_field');
    // Only the lower 64 bits of a 128-bit trace id travel: those must not be 0.
    expect(decodedReason({ traceId: '4bf92f3577b34da6' + zero })).toBe('bad_field');
    expect(decodedReason({ traceId: zero + '4bf92f3577b34da6' })).toBeUndefined();
    expect(decodedReason({ spanId: zero })).toBe('bad_field');
    expect(decodedReason({ parentSpanId: zero })).toBe('bad_field');
    expect(decodedReason({ spanId: '0000000000000001', parentSpanId: '1000000000000000' })).toBeUndefined();
    // The same ids never reach a tracer's buffer even without the contract in front.
    expect(() => toCollectorSpan({ ...span, traceId: zero })).toThrow(new InvalidIdError('trace id is 0'));
    expect(() => toCollectorSpan({ ...span, traceId: '4bf92f3577b34da6' + zero })).toThrow(new InvalidIdError('trace id is 0 in its lower 64 bits'));
    expect(() => toCollectorSpan({ ...span, spanId: zero })).toThrow(new InvalidIdError('span id is 0'));
    expect(() => toCollectorSpan({ ...span, parentSpanId: zero })).toThrow(new InvalidIdError('parent span id is 0'));
    expect(() => toCollectorSpan({ ...span, traceId: zero + '4bf92f3577b34da6' })).not.toThrow();
  });

  it('hexIdToWire is BigInt("0x"+hex) in decimal', () => {
    expect(hexIdToWire('0000000000000001')).toBe('1');
    expect(hexIdToWire('ffffffffffffffffffffffffffffffff')).toBe('18446744073709551615');
  });
});
