import {
  LIMITS,
  SPAN_LINE_V1_PREFIX,
  TRUNCATION_MARK,
  decodeSpanLine,
  encodeSpanLineV1 as encodeSpanLine,
  matchesSpanLineFilter,
  type SpanToEncode,
} from '../../src/span-line';

function sampleSpan(overrides: Partial<SpanToEncode> = {}): SpanToEncode {
  return {
    traceId: '4bf92f3577b34da6',
    spanId: '00f067aa0ba902b7',
    parentSpanId: 'a2fb4a1d1a96d312',
    operation: 'lambda-execution',
    component: 'lambda_function',
    startMicros: 1764045116123456,
    durationMicros: 1532,
    tags: { 'faas.coldstart': true, 'http.status_code': 200, 'faas.name': 'ot-fn', ratio: 0.25, error: false },
    logs: [{ timestampMicros: 1764045116124000, fields: { event: 'retry', attempt: 0, ok: false, note: '' } }],
    baggage: { tenant: 'acme' },
    ...overrides,
  };
}

// Version 1 lines are no longer written, but log groups keep weeks of them: the decoder reads them.
describe('version-1 span line round trip', () => {
  it('decodes what it encodes, keeping ids, times and value types', () => {
    const span = sampleSpan();
    const line = encodeSpanLine(span);
    const result = decodeSpanLine(line);
    expect(result).toEqual({
      ok: true,
      truncated: [],
      spans: [{
        traceId: span.traceId,
        spanId: span.spanId,
        parentSpanId: span.parentSpanId,
        operation: span.operation,
        component: span.component,
        startMicros: span.startMicros,
        durationMicros: span.durationMicros,
        tags: span.tags,
        logs: span.logs,
        baggage: span.baggage,
      }],
    });
  });

  it('starts with the marker prefix and reads as one JSON object', () => {
    const line = encodeSpanLine(sampleSpan());
    expect(line.startsWith(SPAN_LINE_V1_PREFIX)).toBe(true);
    expect(line).not.toContain('\n');
    expect(JSON.parse(line)).toMatchObject({ level: 'FATAL', otspan: 1, op: 'lambda-execution' });
  });

  it('omits the parent of a root span and accepts a 32-hex trace id', () => {
    const span = sampleSpan({ parentSpanId: undefined, traceId: '0000000000000000a3ce929d0e0e4736' });
    const result = decodeSpanLine(encodeSpanLine(span));
    expect(result.ok && result.spans[0].parentSpanId).toBe(undefined);
    expect(result.ok && result.spans[0].traceId).toBe('0000000000000000a3ce929d0e0e4736');
  });

  it('tolerates the trailing newline CloudWatch keeps in a message', () => {
    expect(decodeSpanLine(encodeSpanLine(sampleSpan()) + '\n').ok).toBe(true);
  });

  it('turns values JSON cannot carry into readable scalars and drops null/undefined', () => {
    const line = encodeSpanLine(
      sampleSpan({ tags: { obj: { a: 1 }, err: new Error('boom'), nan: NaN, gone: undefined, nil: null, big: 10n } }),
    );
    const result = decodeSpanLine(line);
    expect(result.ok && result.spans[0].tags).toEqual({ obj: '{"a":1}', err: 'boom', nan: 'NaN', big: '10' });
  });
});

describe('span line caps', () => {
  it('cuts long values with a marker and flags the line as truncated', () => {
    const long = 'x'.repeat(LIMITS.maxValueChars + 100);
    const result = decodeSpanLine(encodeSpanLine(sampleSpan({ tags: { sql: long } })));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.truncated).toEqual([0]);
    expect(result.spans[0].tags.sql).toBe('x'.repeat(LIMITS.maxValueChars) + TRUNCATION_MARK);
  });

  it('bounds log entries, keeping the first and the last', () => {
    const logs = Array.from({ length: 100 }, (_, i) => ({ timestampMicros: 1764045116124000 + i, fields: { i } }));
    const result = decodeSpanLine(encodeSpanLine(sampleSpan({ logs })));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.truncated).toEqual([0]);
    expect(result.spans[0].logs).toHaveLength(LIMITS.maxLogs);
    expect(result.spans[0].logs[0].fields.i).toBe(0);
    expect(result.spans[0].logs[LIMITS.maxLogs - 1].fields.i).toBe(99);
  });

  it('keeps every line under the line cap, whatever the user put in it', () => {
    const tags: Record<string, string> = {};
    for (let i = 0; i < 500; i++) tags[`k${i}`] = 'v'.repeat(1000);
    const logs = Array.from({ length: 100 }, () => ({ timestampMicros: 1, fields: tags }));
    const line = encodeSpanLine(sampleSpan({ tags: { ...tags, error: true }, logs }));
    expect(line.length).toBeLessThanOrEqual(LIMITS.maxLineCharsV1);
    const result = decodeSpanLine(line);
    expect(result.ok && result.truncated).toEqual([0]);
    expect(result.ok && result.spans[0].tags.error).toBe(true);
  });

  // Bytes per line are the CloudWatch ingest bill ($0.50/GB): a lambda-execution span with five
  // realistic tags comes to about 315 bytes.
  it('cuts what no cap reached before: operation, component, baggage', () => {
    const baggage: Record<string, string> = {};
    for (let i = 0; i < 200; i++) baggage[`key-${i}-${'k'.repeat(200)}`] = 'v'.repeat(200);
    const line = encodeSpanLine(sampleSpan({ operation: 'o'.repeat(300_000), component: 'c'.repeat(20_000), baggage }));
    expect(line.length).toBeLessThanOrEqual(LIMITS.maxLineCharsV1);
    const result = decodeSpanLine(line);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.truncated).toEqual([0]);
    expect(result.spans[0].operation).toBe('o'.repeat(LIMITS.maxValueChars) + TRUNCATION_MARK);
    expect(result.spans[0].component).toBe('c'.repeat(LIMITS.maxValueChars) + TRUNCATION_MARK);
    expect(Object.keys(result.spans[0].baggage).length).toBeLessThanOrEqual(LIMITS.maxBaggageItems);
  });

  it('never splits a surrogate pair when it cuts', () => {
    const value = 'a'.repeat(LIMITS.maxValueChars - 1) + '😀' + 'tail';
    const result = decodeSpanLine(encodeSpanLine(sampleSpan({ tags: { emoji: value } })));
    const cutValue = result.ok ? String(result.spans[0].tags.emoji) : '';
    expect(cutValue).toBe('a'.repeat(LIMITS.maxValueChars - 1) + TRUNCATION_MARK);
    expect(Buffer.from(cutValue, 'utf8').toString('utf8')).toBe(cutValue); // no lone surrogate
  });

  it('clamps times into what JSON and the wire carry exactly', () => {
    const result = decodeSpanLine(
      encodeSpanLine(sampleSpan({ startMicros: 1e300, durationMicros: NaN, logs: [{ timestampMicros: -5, fields: { a: 1 } }] })),
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.spans[0].startMicros).toBe(Number.MAX_SAFE_INTEGER);
    expect(result.spans[0].durationMicros).toBe(0);
    expect(result.spans[0].logs[0].timestampMicros).toBe(0);
  });

  it('stays small for a typical span', () => {
    const line = encodeSpanLine(
      sampleSpan({ logs: [], baggage: {}, tags: { 'span.kind': 'server', 'faas.coldstart': false, 'faas.name': 'ot-fn', 'faas.version': '$LATEST', 'http.status_code': 200 } }),
    );
    expect(Buffer.byteLength(line)).toBeLessThanOrEqual(320);
  });
});

describe('decode never throws and names the reason', () => {
  const good = encodeSpanLine(sampleSpan());
  const cases: Array<[string, string, string]> = [
    ['a platform line', 'START RequestId: 8f5a Version: $LATEST', 'not_json'],
    ['a REPORT line', 'REPORT RequestId: 8f5a\tDuration: 2.3 ms', 'not_json'],
    ['an empty message', '', 'not_json'],
    ['a console.log text line carrying a span line', `2026-11-25T04:31:56.000Z\t8f5a\tINFO\t${good}`, 'not_json'],
    ['a Lambda JSON-format console line carrying a span line', JSON.stringify({ timestamp: 'x', level: 'INFO', requestId: '8f5a', message: good }), 'not_span'],
    ['an application pino line with span fields merged in', `{"level":30,"time":1,"otspan":1,"op":"x"}`, 'not_span'],
    ['a span line cut short', good.slice(0, 80), 'truncated'],
    ['a future version', good.replace('"otspan":1', '"otspan":3'), 'unsupported_version'],
    ['a version-2 number behind the version-1 prefix', good.replace('"otspan":1', '"otspan":2'), 'unsupported_version'],
    ['a non-hex span id', good.replace('00f067aa0ba902b7', '00f067aa0ba902bZ'), 'bad_field'],
    ['a zero span id (no id on the wire: the collector would refuse the whole report)', good.replace('00f067aa0ba902b7', '0000000000000000'), 'bad_field'],
    ['a zero parent span id', good.replace('a2fb4a1d1a96d312', '0000000000000000'), 'bad_field'],
    ['a zero trace id', good.replace('4bf92f3577b34da6', '0000000000000000'), 'bad_field'],
    ['a 32-hex trace id whose lower 64 bits are zero', good.replace('4bf92f3577b34da6', '4bf92f3577b34da60000000000000000'), 'bad_field'],
    ['a start beyond 2^53 µs', good.replace('"start":1764045116123456', '"start":1e300'), 'bad_field'],
    ['a missing operation', good.replace('"op":"lambda-execution",', ''), 'bad_field'],
    ['an object tag value', good.replace('"ratio":0.25', '"ratio":{"x":1}'), 'bad_field'],
    ['an unknown top-level field', good.replace('"dur":', '"extra":1,"dur":'), 'bad_field'],
    ['a line over the cap', SPAN_LINE_V1_PREFIX + '1,"op":"' + 'a'.repeat(LIMITS.maxLineCharsV1) + '"}', 'too_large'],
  ];
  it.each(cases)('%s', (_name, message, reason) => {
    const result = decodeSpanLine(message);
    expect(result).toMatchObject({ ok: false, reason });
  });

  it('explains a bad field', () => {
    const result = decodeSpanLine(good.replace('"dur":1532', '"dur":-1'));
    expect(result).toMatchObject({ ok: false, reason: 'bad_field', detail: expect.stringContaining('/dur') });
  });
});

describe('subscription filter pattern', () => {
  it('selects span lines of any version and nothing else', () => {
    const good = encodeSpanLine(sampleSpan());
    expect(matchesSpanLineFilter(good)).toBe(true);
    expect(matchesSpanLineFilter(good.replace('"otspan":1', '"otspan":2'))).toBe(true);
    expect(matchesSpanLineFilter('START RequestId: 8f5a Version: $LATEST')).toBe(false);
    expect(matchesSpanLineFilter('{"level":30,"time":1,"msg":"hello"}')).toBe(false);
    expect(matchesSpanLineFilter(`2026-11-25T04:31:56.000Z\t8f5a\tINFO\t${good}`)).toBe(false);
    expect(matchesSpanLineFilter('{"otspan":"1"}')).toBe(false);
    expect(matchesSpanLineFilter(good.slice(0, 80))).toBe(false);
  });
});
