// What the fuzz drill found, pinned as plain cases: each failed before its fix in src.
import { decodeReportRequest, encodeReportRequest, spansFromReport } from '../../src/lightstep/wire';
import { decodeSpanLine, encodeSpanLine, encodeSpanLines, encodeSpanLineV1, type FinishedSpan, type SpanToEncode } from '../../src/span-line';

const base: SpanToEncode = {
  traceId: '4bf92f3577b34da6',
  spanId: '00f067aa0ba902b7',
  operation: 'op',
  component: 'lambda_function',
  startMicros: 1764045116123456,
  durationMicros: 1532,
  tags: {},
  logs: [],
  baggage: {},
};

function decoded(line: string): FinishedSpan {
  const result = decodeSpanLine(line);
  if (!result.ok) throw new Error(`rejected: ${result.reason} ${result.detail}`);
  expect(result.spans).toHaveLength(1);
  return result.spans[0];
}

function throughTheWire(span: FinishedSpan) {
  return spansFromReport(decodeReportRequest(encodeReportRequest({ component: span.component, accessToken: 'x', spans: [span] })))[0];
}

describe('fuzz findings', () => {
  it('a span with an empty operation name (startSpan("")) is forwarded, not dropped as bad_field', () => {
    const span = decoded(encodeSpanLine({ ...base, operation: '' }));
    expect(span.operation).toBe('');
  });

  it('a tag, log field or baggage item named __proto__ survives the encoder and the collector', () => {
    const own = <T>(value: T) => Object.defineProperty({}, '__proto__', { value, enumerable: true }) as Record<string, T>;
    const line = encodeSpanLine({ ...base, tags: own('t'), logs: [{ timestampMicros: 1, fields: own(0) }], baggage: own('b') });
    expect(line).toContain('"tags":{"__proto__":"t"}');
    expect(line).toContain('"f":{"__proto__":0}');
    expect(line).toContain('"bag":{"__proto__":"b"}');
    const stored = throughTheWire(decoded(line));
    expect(Object.getOwnPropertyDescriptor(stored.tags, '__proto__')?.value).toBe('t');
    expect(Object.getOwnPropertyDescriptor(stored.logs[0].fields, '__proto__')?.value).toBe(0);
    expect(stored.tags['baggage.__proto__']).toBe('b');
  });

  it('lone surrogates become U+FFFD when the line is read, so the collector stores what the line said', () => {
    // Before: protobuf dropped a lone high surrogate ('a\ud800b' → 'ab') and wrote a lone low one as
    // invalid UTF-8, which a collector that checks UTF-8 refuses the whole report for.
    const line = encodeSpanLine({ ...base, operation: 'a\ud800b', tags: { 'k\udc00': 'x\udfff', pair: '😀' } });
    expect(line).toContain('a\\ud800b');
    const span = decoded(line);
    expect(span.operation).toBe('a\ufffdb');
    expect(span.tags).toEqual({ 'k\ufffd': 'x\ufffd', pair: '😀' });
    const stored = throughTheWire(span);
    expect(stored.operation).toBe('a\ufffdb');
    expect(stored.tags).toEqual({ 'k\ufffd': 'x\ufffd', pair: '😀' });
  });

  it('the same holds in a version-1 line (still read)', () => {
    expect(decoded(encodeSpanLineV1({ ...base, operation: '' })).operation).toBe('');
    expect(decoded(encodeSpanLineV1({ ...base, operation: 'a\ud800b' })).operation).toBe('a\ufffdb');
  });

  it('a multi-span line: a tag key __proto__ in the key table and a lone surrogate in an entry survive', () => {
    const own = <T>(value: T) => Object.defineProperty({}, '__proto__', { value, enumerable: true }) as Record<string, T>;
    const child: SpanToEncode = { ...base, spanId: '00f067aa0ba902b8', parentSpanId: base.spanId, operation: 'c\udc00', tags: own('t') };
    const lines = encodeSpanLines([child, base]);
    expect(lines).toHaveLength(1);
    const result = decodeSpanLine(lines[0]);
    if (!result.ok) throw new Error(`rejected: ${result.reason} ${result.detail}`);
    expect(result.spans.map((s) => s.spanId)).toEqual([child.spanId, base.spanId]);
    expect(result.spans[0].operation).toBe('c\ufffd');
    expect(result.spans[0].parentSpanId).toBe(base.spanId);
    expect(Object.getOwnPropertyDescriptor(result.spans[0].tags, '__proto__')?.value).toBe('t');
    expect(Object.getOwnPropertyDescriptor(throughTheWire(result.spans[0]).tags, '__proto__')?.value).toBe('t');
  });
});
