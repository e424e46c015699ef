import fc from 'fast-check';
import {
  DEFAULT_COMPONENT,
  LIMITS,
  SPAN_LINE_PREFIX,
  TRUNCATION_MARK,
  decodeSpanLine,
  encodeSpanLine,
  encodeSpanLines,
  levelRequired,
  lineSourceFromEnvironment,
  lineSourceOf,
  matchesSpanLineFilter,
  type FinishedSpan,
} from '../../src/span-line';

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const BASE = 1764045116123456;
const SOURCE = lineSourceOf('/aws/lambda/ot-fn', '2026/12/01/[$LATEST]0123abcd');

function invocationSpan(overrides: Partial<FinishedSpan> = {}): FinishedSpan {
  return {
    traceId: TRACE,
    spanId: '00f067aa0ba902b7',
    parentSpanId: 'a2fb4a1d1a96d312',
    operation: 'lambda-execution',
    component: DEFAULT_COMPONENT,
    startMicros: BASE,
    durationMicros: 1532,
    tags: {
      'span.kind': 'server',
      'faas.coldstart': false,
      'aws.request_id': '8f5e2a4c-1b3d-4e6f-9a0b-000000000003',
      'faas.name': 'ot-fn',
      'faas.version': '$LATEST',
      'http.method': 'GET',
      'http.path': '/ot-gen',
      'http.status_code': 200,
    },
    logs: [],
    baggage: { tenant: 'acme' },
    ...overrides,
  };
}

function child(i: number, overrides: Partial<FinishedSpan> = {}): FinishedSpan {
  return {
    traceId: TRACE,
    spanId: (0x1000 + i).toString(16).padStart(16, 'c'),
    parentSpanId: '00f067aa0ba902b7',
    operation: 'child-work',
    component: DEFAULT_COMPONENT,
    startMicros: BASE + 100 + i * 20,
    durationMicros: 13 + i,
    tags: { 'work.index': i, 'work.kind': 'unit' },
    logs: [],
    baggage: { tenant: 'acme' },
    ...overrides,
  };
}

/** The line with JSON space before its closing brace, `chars` long: the same fields. */
function padded(line: string, chars: number): string {
  return line.slice(0, -1) + ' '.repeat(chars - line.length) + '}';
}

function decodeAll(lines: string[], source = SOURCE): FinishedSpan[] {
  return lines.flatMap((line) => {
    const result = decodeSpanLine(line, source);
    if (!result.ok) throw new Error(`${result.reason}: ${result.detail}`);
    return result.spans;
  });
}

describe('version-2 span line: one span', () => {
  it('round-trips every field of a span outside an invocation', () => {
    const span = child(0, {
      parentSpanId: undefined,
      component: 'billing',
      tags: { ratio: 0.25, ok: false, note: '', n: -3 },
      logs: [{ timestampMicros: BASE + 500, fields: { event: 'retry', attempt: 1 } }],
      baggage: {},
    });
    const line = encodeSpanLine(span);
    expect(line.startsWith(SPAN_LINE_PREFIX)).toBe(true);
    expect(decodeSpanLine(line)).toEqual({ ok: true, spans: [span], truncated: [] });
  });

  it('leaves out what the reader knows from the invocation and restores it', () => {
    const span = invocationSpan();
    const line = encodeSpanLine(span, { source: SOURCE });
    const parsed = JSON.parse(line);
    expect(parsed).toMatchObject({ otspan: 2, trace: TRACE, op: 'lambda-execution', dur: 1532, req: span.tags['aws.request_id'], http: ['GET', '/ot-gen', 200] });
    expect(parsed.tags).toBeUndefined();
    expect(parsed.comp).toBeUndefined();
    expect(parsed.level).toBeUndefined();
    expect(decodeSpanLine(line, SOURCE)).toEqual({ ok: true, spans: [span], truncated: [] });
  });

  it('keeps faas.name and faas.version in the line when the function cannot prove the reader knows them', () => {
    const span = invocationSpan();
    const line = encodeSpanLine(span); // no source: e.g. a custom log group
    expect(JSON.parse(line).tags).toEqual({ 'faas.name': 'ot-fn', 'faas.version': '$LATEST' });
    // Read from another group, the line's own values win.
    const elsewhere = decodeSpanLine(line, lineSourceOf('/aws/lambda/other', '2026/12/01/[7]x'));
    expect(elsewhere.ok && elsewhere.spans[0].tags).toEqual(span.tags);
  });

  it('writes what differs from the implied values: a cold start, another kind, a missing status', () => {
    const cold = invocationSpan({ tags: { ...invocationSpan().tags, 'faas.coldstart': true } });
    expect(decodeAll([encodeSpanLine(cold, { source: SOURCE })])).toEqual([cold]);
    const { 'http.status_code': _status, ...noStatus } = invocationSpan().tags;
    const unanswered = invocationSpan({ tags: noStatus });
    expect(decodeAll([encodeSpanLine(unanswered, { source: SOURCE })])).toEqual([unanswered]);
    // A status without a method and path (no http array to carry it) stays a tag, as do the others.
    const { 'http.method': _method, ...noMethod } = invocationSpan().tags;
    const statusOnly = invocationSpan({ tags: noMethod });
    const statusLine = encodeSpanLine(statusOnly, { source: SOURCE });
    expect(JSON.parse(statusLine).tags).toEqual({ 'http.path': noMethod['http.path'], 'http.status_code': noMethod['http.status_code'] });
    expect(decodeAll([statusLine])).toEqual([statusOnly]);
    const client = invocationSpan({ tags: { ...invocationSpan().tags, 'span.kind': 'client' } });
    const line = encodeSpanLine(client, { source: SOURCE });
    expect(JSON.parse(line).req).toBeUndefined(); // not an invocation span: nothing implied
    expect(decodeAll([line])).toEqual([client]);
  });
});

describe('version-2 span line: an invocation', () => {
  it('states trace, time base and baggage once, and round-trips every span in finish order', () => {
    const spans = [...Array.from({ length: 10 }, (_, i) => child(i)), invocationSpan()];
    const lines = encodeSpanLines(spans, { source: SOURCE });
    expect(lines).toHaveLength(1);
    const parsed = JSON.parse(lines[0]);
    expect(parsed.n).toBe(11);
    expect(parsed.keys).toEqual(['child-work', 'work.index', 'work.kind']);
    expect(lines[0].split(TRACE)).toHaveLength(2);
    expect(lines[0].split('"tenant"')).toHaveLength(2);
    expect(decodeAll(lines)).toEqual(spans);
  });

  it('names parents by place: a grandchild, a parent written later, a span elsewhere, none', () => {
    const root = invocationSpan();
    const inner = child(1, { spanId: 'dddddddddddddd01' });
    const grandchild = child(0, { parentSpanId: inner.spanId });
    const foreign = child(2, { parentSpanId: 'eeeeeeeeeeeeee02' });
    const orphanRoot = child(3, { parentSpanId: undefined });
    const spans = [grandchild, inner, foreign, orphanRoot, root];
    const line = encodeSpanLines(spans)[0];
    const entries = JSON.parse(line).spans;
    expect(entries.map((entry: unknown[]) => entry[1])).toEqual([2, 0, 'eeeeeeeeeeeeee02', null]);
    expect(decodeAll([line])).toEqual(spans);
  });

  it('writes a span\'s own baggage only where it differs from the head\'s, and logs relative to the time base', () => {
    const root = invocationSpan();
    const spans = [
      child(0, { baggage: {} }),
      child(1, { baggage: { tenant: 'acme', step: 'two' } }),
      child(2, { startMicros: BASE - 50, logs: [{ timestampMicros: BASE - 40, fields: { event: 'early' } }] }),
      root,
    ];
    const line = encodeSpanLines(spans)[0];
    const entries = JSON.parse(line).spans;
    expect(entries[0][7]).toEqual({});
    expect(entries[1][7]).toEqual({ tenant: 'acme', step: 'two' });
    expect(entries[2]).toHaveLength(7);
    expect(entries[2][3]).toBe(-50);
    expect(decodeAll([line])).toEqual(spans);
  });

  it('writes one line per trace and component', () => {
    const other = child(5, { traceId: 'aaaaaaaaaaaaaaaa', parentSpanId: undefined });
    const billing = child(6, { component: 'billing' });
    const spans = [child(0), other, billing, invocationSpan()];
    const lines = encodeSpanLines(spans);
    expect(lines).toHaveLength(3);
    expect(JSON.parse(lines[2]).comp).toBe('billing');
    expect(new Set(decodeAll(lines))).toEqual(new Set(spans));
  });

  it('splits past the line cap, each line with its own head, nothing lost', () => {
    const wide: Record<string, string> = {};
    for (let i = 0; i < 20; i++) wide[`k${i}`] = 'v'.repeat(200);
    const spans = [...Array.from({ length: 100 }, (_, i) => child(i, { tags: { ...wide, i } })), invocationSpan()];
    const lines = encodeSpanLines(spans);
    expect(lines.length).toBeGreaterThan(1);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(LIMITS.maxLineChars);
    expect(decodeAll(lines).map((s) => s.spanId).sort()).toEqual(spans.map((s) => s.spanId).sort());
    expect(decodeAll(lines)).toEqual(expect.arrayContaining(spans));
  });

  it('cuts a span too large for its part of the line, keeping its error flag and the others whole', () => {
    const huge: Record<string, string> = { error: 'true' };
    for (let i = 0; i < 64; i++) huge[`key-${i}`] = 'x'.repeat(LIMITS.maxValueChars);
    const spans = [child(0), child(1, { tags: { ...huge, error: true } as never }), invocationSpan()];
    const result = decodeSpanLine(encodeSpanLines(spans)[0]);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.truncated).toEqual([1]);
    expect(result.spans[1].tags).toEqual({ error: true });
    expect(result.spans[0]).toEqual(spans[0]);
    expect(result.spans[2]).toEqual(spans[2]);
  });

  it('marks a cut value and keeps a __proto__ key a key', () => {
    const spans = [child(0, { tags: { ['__proto__']: 'x', long: 'y'.repeat(LIMITS.maxValueChars + 9) } }), invocationSpan()];
    const result = decodeSpanLine(encodeSpanLines(spans)[0]);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.truncated).toEqual([0]);
    expect(Object.keys(result.spans[0].tags)).toEqual(['__proto__', 'long']);
    expect(result.spans[0].tags.long).toBe('y'.repeat(LIMITS.maxValueChars) + TRUNCATION_MARK);
  });

  it('round-trips any invocation tree', () => {
    const id = (n: number) => (n + 1).toString(16).padStart(16, '0');
    const value = fc.oneof(fc.string({ maxLength: 12 }), fc.integer(), fc.boolean(), fc.double({ noNaN: true, noDefaultInfinity: true }).map((x) => (Object.is(x, -0) ? 0 : x))); // JSON has no -0: it reads back as 0, in either version
    const spanArb = fc.record({
      parent: fc.nat(),
      start: fc.integer({ min: -1_000_000, max: 1_000_000 }),
      dur: fc.nat({ max: 10_000_000 }),
      op: fc.constantFrom('a', 'b', 'lambda-execution', ''),
      tags: fc.dictionary(fc.constantFrom('k', 'work.index', 'x y', 'error', '"q"'), value, { maxKeys: 4 }),
      ownBaggage: fc.option(fc.dictionary(fc.constantFrom('tenant', 'step'), fc.string({ maxLength: 5 }), { maxKeys: 2 }), { nil: undefined }),
      log: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(spanArb, { minLength: 1, maxLength: 30 }), (shapes) => {
        const spans: FinishedSpan[] = shapes.map((shape, i) => ({
          traceId: TRACE,
          spanId: id(i),
          ...(shape.parent % (i + 2) === 0 ? {} : { parentSpanId: id(shape.parent % (i + 2)) }),
          operation: shape.op,
          component: DEFAULT_COMPONENT,
          startMicros: BASE + shape.start,
          durationMicros: shape.dur,
          tags: shape.tags,
          logs: shape.log ? [{ timestampMicros: BASE + shape.start + 1, fields: { event: 'e' } }] : [],
          baggage: shape.ownBaggage ?? { tenant: 'acme' },
        }));
        expect(decodeAll(encodeSpanLines(spans))).toEqual(spans);
      }),
      { numRuns: 200 },
    );
  });
});

describe('level and timestamp', () => {
  it('lead the line only where the log-level filter would drop it', () => {
    expect(levelRequired({})).toBe(false);
    expect(levelRequired({ AWS_LAMBDA_LOG_FORMAT: 'Text', AWS_LAMBDA_LOG_LEVEL: 'WARN' })).toBe(false);
    expect(levelRequired({ AWS_LAMBDA_LOG_FORMAT: 'JSON' })).toBe(false);
    expect(levelRequired({ AWS_LAMBDA_LOG_FORMAT: 'JSON', AWS_LAMBDA_LOG_LEVEL: 'INFO' })).toBe(false);
    expect(levelRequired({ AWS_LAMBDA_LOG_FORMAT: 'JSON', AWS_LAMBDA_LOG_LEVEL: 'WARN' })).toBe(true);
    expect(levelRequired({ AWS_LAMBDA_LOG_FORMAT: 'json', AWS_LAMBDA_LOG_LEVEL: 'error' })).toBe(true);
  });

  it('carry FATAL and the RFC 3339 end time, and decode alike', () => {
    const spans = [child(0), invocationSpan()];
    const line = encodeSpanLines(spans, { levelled: true, source: SOURCE })[0];
    const parsed = JSON.parse(line);
    expect(Object.keys(parsed).slice(0, 3)).toEqual(['level', 'timestamp', 'otspan']);
    expect(parsed.level).toBe('FATAL');
    expect(parsed.timestamp).toBe(new Date((BASE + 1532) / 1000).toISOString());
    expect(decodeAll([line])).toEqual(spans);
    expect(matchesSpanLineFilter(line)).toBe(true);
  });
});

describe('what the function can leave out', () => {
  it('only names its log group and stream where the runtime\'s variables agree', () => {
    const env = {
      AWS_LAMBDA_FUNCTION_NAME: 'ot-fn',
      AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
      AWS_LAMBDA_LOG_GROUP_NAME: '/aws/lambda/ot-fn',
      AWS_LAMBDA_LOG_STREAM_NAME: '2026/12/01/[$LATEST]0123abcd',
    };
    expect(lineSourceFromEnvironment(env)).toEqual({ functionName: 'ot-fn', functionVersion: '$LATEST' });
    expect(lineSourceFromEnvironment({ ...env, AWS_LAMBDA_LOG_GROUP_NAME: '/custom/group' })).toEqual({ functionVersion: '$LATEST' });
    expect(lineSourceFromEnvironment({ ...env, AWS_LAMBDA_FUNCTION_VERSION: '7' })).toEqual({ functionName: 'ot-fn' });
    expect(lineSourceFromEnvironment({})).toEqual({});
  });
});

describe('version-2 decode never throws and names the reason', () => {
  const spans = [child(0), child(1, { parentSpanId: child(0).spanId }), invocationSpan()];
  const good = encodeSpanLines(spans, { source: SOURCE })[0];
  const mutate = (edit: (line: Record<string, unknown> & { spans: unknown[][] }) => void): string => {
    const parsed = JSON.parse(good);
    edit(parsed);
    return JSON.stringify(parsed);
  };
  const cases: Array<[string, string, string]> = [
    ['a count that does not match', mutate((l) => void (l.n = 5)), 'bad_field'],
    ['a parent index past the entries', mutate((l) => void (l.spans[1][1] = 3)), 'bad_field'],
    ['a negative parent index', mutate((l) => void (l.spans[1][1] = -1)), 'bad_field'],
    ['an entry that is its own parent', mutate((l) => void (l.spans[1][1] = 2)), 'bad_field'],
    ['trunc naming a span twice', mutate((l) => void (l.trunc = [0, 0])), 'bad_field'],
    ['trunc naming a span the line does not hold', mutate((l) => void (l.trunc = [3])), 'bad_field'],
    ['an operation index past the keys', mutate((l) => void (l.spans[0][2] = 9)), 'bad_field'],
    ['a tag key index past the keys', mutate((l) => void (l.spans[0][5] = [9, 'x'])), 'bad_field'],
    ['a tag list of odd length', mutate((l) => void (l.spans[0][5] = [1])), 'bad_field'],
    ['a fractional tag key index', mutate((l) => void (l.spans[0][5] = [0.5, 'x'])), 'bad_field'],
    ['a start before the epoch', mutate((l) => void (l.spans[0][3] = -BASE - 1)), 'bad_field'],
    ['a log before the epoch', mutate((l) => void (l.logs = [{ t: -BASE - 1, f: {} }])), 'bad_field'],
    ['an entry too short', mutate((l) => void (l.spans[0] = l.spans[0].slice(0, 4))), 'bad_field'],
    ['an entry with a zero id', mutate((l) => void (l.spans[0][0] = '0000000000000000')), 'bad_field'],
    ['a zero head id', mutate((l) => void (l.id = '0000000000000000')), 'bad_field'],
    ['an object tag value', mutate((l) => void (l.spans[0][5] = [1, { x: 1 }])), 'bad_field'],
    ['an unknown field', mutate((l) => void (l.extra = 1)), 'bad_field'],
    ['a non-numeric status', mutate((l) => void (l.http = ['GET', '/', '200'])), 'bad_field'],
    ['a future version', good.replace('"otspan":2', '"otspan":3'), 'unsupported_version'],
    ['a version-1 number behind the version-2 prefix', good.replace('"otspan":2', '"otspan":1'), 'unsupported_version'],
    ['a line cut short', good.slice(0, good.length - 30), 'truncated'],
    ['a line over the cap', SPAN_LINE_PREFIX + '2,"op":"' + 'a'.repeat(LIMITS.maxLineChars) + '"}', 'too_large'],
    // CloudWatch keeps the trailing newline: it counts for neither the cap nor the closing brace.
    ['a line cut short, with its newline', good.slice(0, good.length - 30) + '\n', 'truncated'],
    ['a line missing its closing brace, with its newline', good.slice(0, good.length - 1) + '\n', 'truncated'],
    ['a closed line that is not JSON, with its newline', good.replace('"otspan":2,', '"otspan":2,,') + '\n', 'bad_field'],
    ['a line one over the cap, with its newline', padded(good, LIMITS.maxLineChars + 1) + '\n', 'too_large'],
    ['a JSON-format console line carrying a span line', JSON.stringify({ timestamp: 'x', level: 'INFO', requestId: '8f5a', message: good }), 'not_span'],
  ];
  it.each(cases)('%s', (_name, message, reason) => {
    expect(decodeSpanLine(message)).toMatchObject({ ok: false, reason });
  });

  it('reads the unchanged line (the cases above are mutations of a good one)', () => {
    expect(decodeAll([good])).toEqual(spans);
  });

  it('reads a line followed by the newline CloudWatch keeps, or by other trailing space, and one exactly at the cap', () => {
    for (const ending of ['\n', ' \n', '\r\n', '\t\n', '\u00a0\n']) expect([JSON.stringify(ending), decodeAll([good + ending])]).toEqual([JSON.stringify(ending), spans]);
    const atCap = padded(good, LIMITS.maxLineChars);
    expect(atCap.length).toBe(LIMITS.maxLineChars);
    expect(decodeAll([atCap + '\n'])).toEqual(spans);
    expect(decodeAll([atCap])).toEqual(spans);
  });

  it('replaces lone surrogates in entries and keys', () => {
    const line = good.replace('"work.kind"', '"work.\\ud800kind"').replace('"unit"', '"u\\udc00nit"');
    const result = decodeSpanLine(line);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.spans[0].tags).toEqual({ 'work.index': 0, 'work.\ufffdkind': 'u\ufffdnit' });
  });
});
