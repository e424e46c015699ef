// What the fuzz drill feeds the decoders: genuine span lines (from the real encoder, over
// anything a user may put in a span), the same lines mutated, and inputs of the wrong shape.
import fc from 'fast-check';
import { gzipSync } from 'node:zlib';
import type { SpanToEncode } from '../src/span-line';

const MAX_UINT64 = (1n << 64n) - 1n;
const hex16 = (v: bigint) => v.toString(16).padStart(16, '0');
const spanId = fc.bigInt({ min: 1n, max: MAX_UINT64 }).map(hex16);
const traceId = fc.oneof(
  spanId,
  fc.tuple(fc.bigInt({ min: 0n, max: MAX_UINT64 }), spanId).map(([high, low]) => hex16(high) + low),
);

/** Any code point, or a lone surrogate (JavaScript strings may hold them; UTF-8 cannot). */
const codeUnitOrPoint = fc.oneof(
  { weight: 8, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) },
  { weight: 1, arbitrary: fc.constantFrom('\ud800', '\udbff', '\udc00', '\udfff') },
);

/** Text of every kind: ASCII, any code point, lone surrogates, graphemes. */
const text = (maxLength: number, minLength = 0) =>
  fc.oneof(
    fc.string({ minLength, maxLength }),
    fc.string({ unit: codeUnitOrPoint, minLength, maxLength }),
    fc.string({ unit: 'grapheme', minLength, maxLength }),
  );

/** Strings past every cap, in 1-, 2-, 3- and 4-byte characters. */
const huge = fc
  .tuple(fc.constantFrom('x', 'é', '€', '😀', '\u0001', '"'), fc.constantFrom(300, 17_000, 70_000, 1_000_000))
  .map(([unit, size]) => unit.repeat(Math.ceil(size / unit.length)));

/** Keys a JavaScript object treats specially, and the reserved ones of the pipeline. */
const awkwardKey = fc.constantFrom('__proto__', 'constructor', 'toString', 'hasOwnProperty', 'error', 'span.kind', '0', '1', '-1', '', ' ');
const key = fc.oneof({ weight: 6, arbitrary: text(24) }, { weight: 1, arbitrary: awkwardKey });

/** Whatever a user passes to setTag / log: the encoder must turn all of it into span values. */
const userValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 6, arbitrary: text(40) },
  { weight: 3, arbitrary: fc.integer() },
  { weight: 2, arbitrary: fc.double() },
  { weight: 2, arbitrary: fc.boolean() },
  { weight: 1, arbitrary: fc.constantFrom(null, undefined, Number.MAX_SAFE_INTEGER + 2, -0, 2 ** 64) },
  { weight: 1, arbitrary: fc.bigInt() },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 1, arbitrary: text(20).map((message) => new Error(message)) },
  { weight: 1, arbitrary: huge },
);

const micros = fc.oneof(
  fc.integer({ min: 0, max: 2 ** 52 }),
  fc.double({ noNaN: false }),
  fc.constantFrom(Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER + 10, -1, 1.5),
);

const fields = fc.dictionary(key, userValue, { maxKeys: 20 });

export const spanToEncode: fc.Arbitrary<SpanToEncode> = fc
  .record({
    traceId,
    spanId,
    parentSpanId: fc.option(spanId, { nil: undefined }),
    operation: fc.oneof(text(40), huge),
    component: fc.oneof(text(40, 1), huge),
    startMicros: micros,
    durationMicros: micros,
    tags: fc.oneof({ weight: 5, arbitrary: fc.dictionary(key, userValue, { maxKeys: 8 }) }, { weight: 1, arbitrary: fc.dictionary(key, userValue, { maxKeys: 120 }) }),
    logs: fc.oneof(
      { weight: 5, arbitrary: fc.array(fc.record({ timestampMicros: micros, fields }), { maxLength: 4 }) },
      { weight: 1, arbitrary: fc.array(fc.record({ timestampMicros: micros, fields }), { maxLength: 80 }) },
    ),
    baggage: fc.dictionary(key, text(30), { maxKeys: 20 }),
  })
  .map((span) => {
    if (span.parentSpanId === undefined) delete span.parentSpanId;
    return span as SpanToEncode;
  });

/** A JSON value of the wrong shape for any field: nested deep, huge, out of range, or of another type. */
const wrongValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }),
  fc.integer({ min: 1, max: 3000 }).map((depth) => nest(depth)),
  huge,
  fc.constantFrom(-1, 1.5, 2 ** 53, 1e308, '', '0000000000000000', 'ABCDEFABCDEFABCD', null, true, {}, []),
);

const SPAN_LINE_KEYS_V1 = ['level', 'otspan', 'op', 'dur', 'comp', 'trace', 'span', 'parent', 'start', 'tags', 'logs', 'bag', 'trunc'];
const SPAN_LINE_KEYS_V2 = ['level', 'timestamp', 'otspan', 'trace', 'id', 'parent', 'op', 't', 'dur', 'n', 'comp', 'req', 'http', 'tags', 'logs', 'bag', 'keys', 'spans', 'trunc'];
const SPAN_LINE_KEYS = [...new Set([...SPAN_LINE_KEYS_V1, ...SPAN_LINE_KEYS_V2])];

type Mutation = (line: string) => string;

/** One change to a genuine line, of the kinds CloudWatch, Lambda, other loggers and forgers make. */
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  // Cut short (CloudWatch or Lambda truncation), anywhere.
  fc.double({ min: 0, max: 1, noNaN: true }).map((at) => (line: string) => line.slice(0, Math.floor(at * line.length))),
  // Characters inserted, removed or replaced anywhere: lone surrogates and control characters too.
  fc
    .tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 0, max: 8 }), fc.oneof(text(8), fc.constantFrom('\ud800', '\udfff', '\u0000', '\n', '"', '\\', '}', '{', ',')))
    .map(([at, remove, insert]) => (line: string) => {
      const i = Math.floor(at * line.length);
      return line.slice(0, i) + insert + line.slice(i + remove);
    }),
  // A field set to a value of the wrong shape, or removed, or an unknown one added.
  fc.tuple(fc.constantFrom(...SPAN_LINE_KEYS, 'extra'), wrongValue, fc.boolean()).map(([field, value, remove]) => (line: string) =>
    withParsed(line, (o) => {
      if (remove) delete o[field];
      else o[field] = value;
    }),
  ),
  // Another format version.
  fc.constantFrom<unknown>(0, 2, '1', 1.5, true, null, -1, 1e308).map((version) => (line: string) => withParsed(line, (o) => (o.otspan = version))),
  // A tag or log field with an awkward key, or a nested value.
  fc.tuple(key, fc.oneof(text(40), wrongValue)).map(([k, value]) => (line: string) =>
    withParsed(line, (o) => {
      const tags = (typeof o.tags === 'object' && o.tags !== null ? o.tags : {}) as Record<string, unknown>;
      Object.defineProperty(tags, k, { value, enumerable: true, configurable: true, writable: true });
      o.tags = tags;
    }),
  ),
  // A key repeated later in the line (JSON.parse keeps the last).
  fc.tuple(fc.constantFrom(...SPAN_LINE_KEYS), wrongValue).map(([field, value]) => (line: string) =>
    line.endsWith('}') ? `${line.slice(0, -1)},${JSON.stringify(field)}:${JSON.stringify(value)}}` : line,
  ),
  // How lines arrive around the text: newlines, CRLF, spaces, a BOM.
  fc.constantFrom<Mutation>(
    (l) => l + '\n',
    (l) => l + '\r\n',
    (l) => l + '   ',
    (l) => ' ' + l,
    (l) => '\ufeff' + l,
    (l) => `2026-11-25T06:14:19.763Z\tc0ffee\tINFO\t${l}`,
    (l) => JSON.stringify({ message: l, level: 'INFO' }),
    (l) => l.replace('"otspan":', '"otspan" :'),
  ),
);

function withParsed(line: string, change: (o: Record<string, unknown>) => void): string {
  let o: Record<string, unknown>;
  try {
    o = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line;
  }
  // An earlier mutation may have left a number, a string, an array or null.
  if (o === null || typeof o !== 'object' || Array.isArray(o)) return line;
  change(o);
  return JSON.stringify(o);
}

function nest(depth: number): unknown {
  let value: unknown = 1;
  for (let i = 0; i < depth; i++) value = i % 2 === 0 ? [value] : { a: value };
  return value;
}

/** A genuine line with one to three mutations (version 1: one span per line). */
export const mutatedLine = (encode: (span: SpanToEncode) => string) =>
  fc.tuple(spanToEncode, fc.array(mutation, { minLength: 1, maxLength: 3 })).map(([span, changes]) => changes.reduce((line, change) => change(line), encode(span)));

// ---- Version 2: one line per invocation -------------------------------------------------------

/** Tags traced() gives the invocation span: the encoder writes them as `req` and `http`, the decoder implies them back. */
const invocationTags = fc.record(
  {
    'aws.request_id': fc.oneof(fc.uuid(), text(40), huge),
    'span.kind': fc.constantFrom('server', 'server', 'client'),
    'faas.coldstart': fc.oneof(fc.boolean(), fc.constantFrom<unknown>('false', 0)),
    'faas.name': fc.constantFrom('fuzzed', 'other', 'x'.repeat(300)),
    'faas.version': fc.constantFrom('$LATEST', '7'),
    'http.method': fc.oneof(fc.constantFrom('GET', 'POST'), text(10), fc.constantFrom<unknown>(1, null)),
    'http.path': fc.oneof(fc.constantFrom('/', '/ot-gen'), text(30), huge),
    'http.status_code': fc.oneof(fc.constantFrom<unknown>(200, 500, -0, 1.5, 1e21, '200', NaN)),
  },
  { requiredKeys: ['aws.request_id', 'span.kind', 'faas.coldstart'] },
);

/** How an entry's parent relates to the line: the head, another entry (before or after it), a span elsewhere, none. */
const parentChoice = fc.oneof(
  { weight: 4, arbitrary: fc.constant({ kind: 'head' as const, k: 0 }) },
  { weight: 3, arbitrary: fc.nat().map((k) => ({ kind: 'entry' as const, k })) },
  { weight: 1, arbitrary: spanId.map((id) => ({ kind: 'external' as const, k: 0, id })) },
  { weight: 1, arbitrary: fc.constant({ kind: 'none' as const, k: 0 }) },
);

/** A child's start relative to the head's: inside it, before it (a straggler), far off, or clamped. */
const startShift = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: 0, max: 10_000_000 }) },
  { weight: 1, arbitrary: fc.integer({ min: -10_000_000, max: -1 }) },
  { weight: 1, arbitrary: fc.constantFrom(-(2 ** 53), 2 ** 53, NaN, -1.5, 0.5) },
);

/**
 * The finished spans of one invocation as LogTracer holds them (the invocation span, the head,
 * last): one trace and component, parents among them or elsewhere, children's baggage shared,
 * their own or none, start times around the head's. Now and then a span of another trace or
 * component among them (the encoder then writes several lines).
 */
export const invocationSpans: fc.Arbitrary<SpanToEncode[]> = fc
  .record({
    head: spanToEncode,
    invocation: fc.option(invocationTags, { nil: undefined }),
    children: fc.oneof(
      { weight: 6, arbitrary: fc.array(fc.tuple(spanToEncode, parentChoice, startShift, fc.constantFrom('shared', 'own', 'none', 'none')), { maxLength: 8 }) },
      // Enough spans (and bulky enough) that the line passes LIMITS.maxLineChars and is split.
      { weight: 1, arbitrary: fc.array(fc.tuple(spanToEncode, parentChoice, startShift, fc.constantFrom('shared', 'own', 'none')), { minLength: 20, maxLength: 60 }) },
    ),
    strangers: fc.array(fc.tuple(fc.nat(), fc.boolean(), traceId, fc.oneof(text(20, 1), fc.constant('lambda_function'))), { maxLength: 2 }),
    defaultComponent: fc.boolean(),
  })
  .map(({ head, invocation, children, strangers, defaultComponent }) => {
    const headSpan: SpanToEncode = { ...head, tags: invocation === undefined ? head.tags : { ...head.tags, ...invocation } };
    if (defaultComponent) headSpan.component = 'lambda_function';
    const kids = children.map(([span, , shift, bag]) => {
      const start = headSpan.startMicros + shift;
      const child: SpanToEncode = { ...span, traceId: headSpan.traceId, component: headSpan.component, startMicros: start };
      if (bag === 'shared') child.baggage = headSpan.baggage;
      if (bag === 'none') child.baggage = {};
      return child;
    });
    kids.forEach((child, i) => {
      const choice = children[i][1];
      if (choice.kind === 'head') child.parentSpanId = headSpan.spanId;
      else if (choice.kind === 'entry') child.parentSpanId = kids[choice.k % kids.length].spanId;
      else if (choice.kind === 'external') child.parentSpanId = choice.id;
      else delete child.parentSpanId;
    });
    const spans = [...kids, headSpan];
    // An invocation's span ids are distinct (the tracer draws them at random).
    const seen = new Set<string>();
    spans.forEach((span, i) => {
      let id = BigInt('0x' + span.spanId);
      while (seen.has(hex16(id)) || id === 0n) id = (id + BigInt(i) + 1n) & MAX_UINT64;
      const fresh = hex16(id);
      seen.add(fresh);
      if (fresh === span.spanId) return;
      for (const other of spans) if (other.parentSpanId === span.spanId) other.parentSpanId = fresh;
      span.spanId = fresh;
    });
    for (const [at, otherTrace, trace, component] of strangers) {
      const i = at % spans.length;
      spans[i] = otherTrace ? { ...spans[i], traceId: trace } : { ...spans[i], component };
    }
    return spans;
  });

/** Options the LogTracer passes: what its log group and stream tell the reader, and whether to lead with level and timestamp. */
export const lineOptions = fc.record({
  source: fc.oneof(
    fc.constant({}),
    fc.constant({ functionName: 'fuzzed', functionVersion: '$LATEST' }),
    fc.constant({ functionName: 'fuzzed' }),
  ),
  levelled: fc.boolean(),
});

type Json = Record<string, unknown>;
/** An index somewhere near the edges of a table of `size`: the last, one past it, far past it, negative, fractional. */
const index = fc.tuple(fc.constantFrom(0, 1, -1, 'size', 'size+1', 2 ** 31, 2 ** 53, 1.5, '0', null, true), fc.nat()).map(
  ([kind, n]) => (size: number) => (kind === 'size' ? size : kind === 'size+1' ? size + 1 : kind === 0 && size > 0 ? n % (size + 2) : kind),
);

const entriesOf = (o: Json): unknown[][] | undefined => (Array.isArray(o.spans) && o.spans.every(Array.isArray) ? (o.spans as unknown[][]) : undefined);

/** Changes only a version-2 line has: to its entries, their parent, key-table and time fields, n, keys, trunc. */
const v2Mutation: fc.Arbitrary<Mutation> = fc.oneof(
  // An entry's field (any of the eight places) set to another index, a wrong value, or removed.
  fc.tuple(fc.nat(), fc.integer({ min: 0, max: 9 }), fc.oneof(index.map((f) => ({ f })), wrongValue.map((v) => ({ v }))), fc.boolean()).map(([at, field, value, remove]) => (line: string) =>
    withParsed(line, (o) => {
      const entries = entriesOf(o);
      if (entries === undefined || entries.length === 0) return;
      const entry = entries[at % entries.length];
      if (remove) entry.splice(field, 1);
      else entry[field] = 'f' in value ? value.f(field === 1 ? entries.length : Array.isArray(o.keys) ? o.keys.length : 0) : value.v;
    }),
  ),
  // A parent index past the entries, naming the entry itself, or the head's id as a hex string.
  fc.tuple(fc.nat(), fc.constantFrom('past', 'self', 'headId', 'negative', 'ownId')).map(([at, kind]) => (line: string) =>
    withParsed(line, (o) => {
      const entries = entriesOf(o);
      if (entries === undefined || entries.length === 0) return;
      const i = at % entries.length;
      entries[i][1] = kind === 'past' ? entries.length + 1 : kind === 'self' ? i + 1 : kind === 'headId' ? o.id : kind === 'negative' ? -1 : entries[i][0];
    }),
  ),
  // A tag key index in a flat list out of the table, a list of odd length, a nested value.
  fc.tuple(fc.nat(), index, fc.constantFrom('key', 'odd', 'nested', 'proto')).map(([at, f, kind]) => (line: string) =>
    withParsed(line, (o) => {
      const entries = entriesOf(o);
      if (entries === undefined || entries.length === 0) return;
      const entry = entries[at % entries.length];
      const keys = Array.isArray(o.keys) ? (o.keys as unknown[]) : [];
      const tags = Array.isArray(entry[5]) ? (entry[5] as unknown[]) : (entry[5] = []);
      if (kind === 'key') tags.push(f(keys.length), 'v');
      else if (kind === 'odd') tags.push(0);
      else if (kind === 'nested') tags.push(0, { a: 1 });
      else {
        o.keys = [...keys, '__proto__'];
        tags.push(keys.length, 'p');
      }
    }),
  ),
  // The key table shortened, emptied, removed, reordered, or a key made too long.
  fc.tuple(fc.nat(), fc.constantFrom('pop', 'empty', 'remove', 'reverse', 'long', 'number')).map(([, kind]) => (line: string) =>
    withParsed(line, (o) => {
      const keys = Array.isArray(o.keys) ? (o.keys as unknown[]) : undefined;
      if (kind === 'remove') delete o.keys;
      else if (keys === undefined) return;
      else if (kind === 'pop') keys.pop();
      else if (kind === 'empty') o.keys = [];
      else if (kind === 'reverse') keys.reverse();
      else if (kind === 'long') keys.push('k'.repeat(300));
      else keys[0] = 7;
    }),
  ),
  // Times: t moved so an entry or a log starts before 0 or past 2^53, an offset not an integer.
  fc.tuple(fc.nat(), fc.constantFrom(0, 1, -1, 2 ** 53 - 1, 2 ** 53, -(2 ** 53), 1.5, 1e300, -1e300)).map(([at, value]) => (line: string) =>
    withParsed(line, (o) => {
      const entries = entriesOf(o);
      const choice = at % 4;
      if (choice === 0) o.t = value;
      else if (choice === 1 && entries !== undefined && entries.length > 0) entries[at % entries.length][3] = value;
      else if (choice === 2 && Array.isArray(o.logs) && isObject(o.logs[0])) (o.logs[0] as Json).t = value;
      else if (entries !== undefined && entries.length > 0) {
        const entry = entries[at % entries.length];
        // An earlier mutation may have left anything there: only an object takes a `t`.
        if (Array.isArray(entry[6]) && isObject(entry[6][0])) (entry[6][0] as Json).t = value;
        else entry[4] = value;
      }
    }),
  ),
  // n and the entries disagree: an entry dropped, duplicated or added, n changed.
  fc.tuple(fc.nat(), fc.constantFrom('drop', 'dup', 'n+1', 'n-1', 'n=1', 'no-n', 'empty')).map(([at, kind]) => (line: string) =>
    withParsed(line, (o) => {
      const entries = entriesOf(o);
      const n = typeof o.n === 'number' ? o.n : 1;
      if (kind === 'n+1') o.n = n + 1;
      else if (kind === 'n-1') o.n = n - 1;
      else if (kind === 'n=1') o.n = 1;
      else if (kind === 'no-n') delete o.n;
      else if (kind === 'empty') o.spans = [];
      else if (entries !== undefined && entries.length > 0) {
        const i = at % entries.length;
        if (kind === 'drop') entries.splice(i, 1);
        else entries.splice(i, 0, [...entries[i]]);
      }
    }),
  ),
  // trunc naming the head, an entry, one past the entries, twice the same one, or not a list.
  fc.tuple(fc.nat(), fc.constantFrom('past', 'dup', 'head', 'flag', 'negative')).map(([, kind]) => (line: string) =>
    withParsed(line, (o) => {
      const entries = entriesOf(o) ?? [];
      const trunc = Array.isArray(o.trunc) ? (o.trunc as unknown[]) : [];
      if (kind === 'past') o.trunc = [...trunc, entries.length + 1];
      else if (kind === 'dup') o.trunc = [...trunc, 0, 0];
      else if (kind === 'head') o.trunc = [0];
      else if (kind === 'flag') o.trunc = 1;
      else o.trunc = [-1];
    }),
  ),
  // Another invocation's entry (a foreign id, the same id twice in one line).
  fc.tuple(fc.nat(), spanId).map(([at, id]) => (line: string) =>
    withParsed(line, (o) => {
      const entries = entriesOf(o);
      if (entries === undefined || entries.length === 0) return;
      entries[at % entries.length][0] = at % 2 === 0 ? id : o.id;
    }),
  ),
  // req and http of the wrong shape, or on a line whose head is not an invocation span.
  fc.tuple(fc.constantFrom('req', 'http'), fc.oneof(wrongValue, fc.constantFrom<unknown>(['GET'], ['GET', '/', '200'], ['GET', '/', 200, 1], 'r'))).map(([field, value]) => (line: string) =>
    withParsed(line, (o) => {
      o[field] = value;
    }),
  ),
);

/** The lines of one invocation (encodeSpanLines), each with one to three mutations (generic or version 2's own). */
export const mutatedV2Lines = (encode: (spans: SpanToEncode[], options: { source?: object; levelled?: boolean }) => string[]) =>
  fc
    .tuple(invocationSpans, lineOptions, fc.array(fc.oneof({ weight: 1, arbitrary: mutation }, { weight: 2, arbitrary: v2Mutation }), { minLength: 1, maxLength: 3 }), fc.nat())
    .map(([spans, options, changes, at]) => {
      const lines = encode(spans, options);
      const i = at % lines.length;
      // One line of the invocation mutated, the others as written: a bad line must never cost the others.
      return lines.map((line, k) => (k === i ? changes.reduce((mutated, change) => change(mutated), line) : line));
    });

/** Lines of the wrong shape from the start. */
export const foreignLine: fc.Arbitrary<string> = fc.oneof(
  text(300),
  fc.json({ maxDepth: 4 }),
  fc.json().map((json) => `{"level":"FATAL","otspan":${json}}`),
  fc.jsonValue().map((value) => `{"level":"FATAL","otspan":1,"op":${JSON.stringify(value)}}`),
  fc.integer({ min: 1, max: 20_000 }).map((depth) => `{"level":"FATAL","otspan":1,"tags":${'['.repeat(depth)}${']'.repeat(depth)}}`),
  fc.integer({ min: 1, max: 20_000 }).map((depth) => `{"level":"FATAL","otspan":1,"tags":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}}`),
  huge.map((big) => `{"level":"FATAL","otspan":1,"op":${JSON.stringify(big)}}`),
  fc.uint8Array({ maxLength: 200 }).map((bytes) => `{"level":"FATAL","otspan":1,${Buffer.from(bytes).toString('latin1')}`),
  fc.constantFrom('START RequestId: 1 Version: $LATEST', 'REPORT RequestId: 1\tDuration: 1 ms', '', '\n', '{', '{}', '{"level":30,"otspan":1}'),
  // Version 2's prefixes over wrong shapes: nesting in spans and keys, huge tables, bytes.
  fc.json().map((json) => `{"otspan":${json}}`),
  fc.jsonValue().map((value) => `{"otspan":2,"trace":"4bf92f3577b34da6","id":"00f067aa0ba902b7","op":"o","t":1,"dur":1,"n":2,"spans":[${JSON.stringify(value)}]}`),
  fc.jsonValue().map((value) => `{"level":"FATAL","timestamp":"2026-11-25T06:14:19.763Z","otspan":2,"trace":"4bf92f3577b34da6","id":"00f067aa0ba902b7","op":"o","t":1,"dur":1,"keys":${JSON.stringify(value)}}`),
  fc.integer({ min: 1, max: 20_000 }).map((depth) => `{"otspan":2,"spans":${'['.repeat(depth)}${']'.repeat(depth)}}`),
  fc.integer({ min: 1, max: 20_000 }).map((depth) => `{"otspan":2,"trace":"4bf92f3577b34da6","id":"00f067aa0ba902b7","op":"o","t":1,"dur":1,"n":2,"keys":["a"],"spans":[["00f067aa0ba902b8",0,0,0,0,[0,${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}]]]}`),
  fc.integer({ min: 2, max: 5_000 }).map((n) => `{"otspan":2,"trace":"4bf92f3577b34da6","id":"00f067aa0ba902b7","op":"o","t":1,"dur":1,"n":${n},"keys":["a"],"spans":[${Array.from({ length: n - 1 }, (_, i) => `["${(i + 1).toString(16).padStart(16, '0')}",${i},0,0,0]`).join(',')}]}`),
  huge.map((big) => `{"otspan":2,"trace":"4bf92f3577b34da6","id":"00f067aa0ba902b7","op":"o","t":1,"dur":1,"keys":[${JSON.stringify(big)}]}`),
  fc.uint8Array({ maxLength: 200 }).map((bytes) => `{"otspan":2,${Buffer.from(bytes).toString('latin1')}`),
  fc.constantFrom('{"otspan":2}', '{"otspan":2,"spans":[]}', '{"otspan" :2}', '{"level":"FATAL","timestamp":"x","otspan":1}', '{"level":"FATAL","timestamp":"'),
);

/** Subscription events that are not readable: bad base64, truncated or foreign compression, wrong JSON. */
export const brokenEvent = (validData: fc.Arbitrary<string>): fc.Arbitrary<unknown> =>
  fc.oneof(
    fc.anything(),
    fc.record({ awslogs: fc.anything() }),
    fc.record({ awslogs: fc.record({ data: fc.anything() }) }),
    // base64 with characters outside the alphabet, padding in the wrong place, whitespace.
    fc.tuple(validData, fc.double({ min: 0, max: 1, noNaN: true }), fc.constantFrom('-', '_', '=', ' ', '\n', '*', '%', 'é')).map(([data, at, c]) => {
      const i = Math.floor(at * data.length);
      return { awslogs: { data: data.slice(0, i) + c + data.slice(i) } };
    }),
    // gzip cut short (a partial upload) or with bytes flipped.
    fc.tuple(validData, fc.double({ min: 0, max: 0.999, noNaN: true })).map(([data, at]) => {
      const bytes = Buffer.from(data, 'base64');
      return { awslogs: { data: bytes.subarray(0, Math.floor(at * bytes.length)).toString('base64') } };
    }),
    fc.tuple(validData, fc.nat(), fc.integer({ min: 1, max: 255 })).map(([data, at, xor]) => {
      const bytes = Buffer.from(data, 'base64');
      bytes[at % bytes.length] ^= xor;
      return { awslogs: { data: bytes.toString('base64') } };
    }),
    // Not gzip at all, or gzip of bytes that are not UTF-8 JSON, or JSON of the wrong shape.
    fc.uint8Array({ minLength: 1, maxLength: 300 }).map((bytes) => ({ awslogs: { data: Buffer.from(bytes).toString('base64') } })),
    fc.uint8Array({ minLength: 1, maxLength: 300 }).map((bytes) => gzipEvent(Buffer.from(bytes))),
    fc.jsonValue({ maxDepth: 4 }).map((value) => gzipEvent(Buffer.from(JSON.stringify(value) ?? 'null'))),
    fc.integer({ min: 1, max: 200_000 }).map((depth) => gzipEvent(Buffer.from('['.repeat(depth) + ']'.repeat(depth)))),
    wrongShapePayload.map((payload) => gzipEvent(Buffer.from(JSON.stringify(payload)))),
  );

/** DATA_MESSAGE payloads with one field wrong. */
const wrongShapePayload = fc.tuple(fc.constantFrom('messageType', 'owner', 'logGroup', 'logStream', 'subscriptionFilters', 'logEvents', 'logEvents[0]', 'logEvents[0].id', 'logEvents[0].timestamp', 'logEvents[0].message'), fc.jsonValue({ maxDepth: 2 })).map(
  ([field, value]) => {
    const payload: Record<string, unknown> = {
      messageType: 'DATA_MESSAGE',
      owner: '123456789012',
      logGroup: '/aws/lambda/f',
      logStream: 's',
      subscriptionFilters: ['f'],
      logEvents: [{ id: '1', timestamp: 1, message: 'x' }],
    };
    const [, first, second] = /^(\w+)(?:\[0\](?:\.(\w+))?)?$/.exec(field)!;
    if (field === first) payload[first] = value;
    else if (second === undefined) (payload.logEvents as unknown[])[0] = value;
    else ((payload.logEvents as Array<Record<string, unknown>>)[0][second] = value);
    return payload;
  },
);

function gzipEvent(bytes: Buffer): unknown {
  return { awslogs: { data: gzipSync(bytes).toString('base64') } };
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
