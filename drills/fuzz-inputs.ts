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

const SPAN_LINE_KEYS = ['level', 'otspan', 'op', 'dur', 'comp', 'trace', 'span', 'parent', 'start', 'tags', 'logs', 'bag', 'trunc'];

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

/** A genuine line with one to three mutations. */
export const mutatedLine = (encode: (span: SpanToEncode) => string) =>
  fc.tuple(spanToEncode, fc.array(mutation, { minLength: 1, maxLength: 3 })).map(([span, changes]) => changes.reduce((line, change) => change(line), encode(span)));

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
