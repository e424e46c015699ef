import { DEFAULT_COMPONENT, LIMITS, SPAN_LINE_LEVELLED_PREFIX, SPAN_LINE_PREFIX, SPAN_LINE_V1_PREFIX, type LineSource } from './format';
import { spanLineV1Validator, type SpanLineV1 } from './schema-v1';
import { spanLineV2Validator, type SpanLineV2 } from './schema-v2';
import type { FinishedSpan, SpanLog, SpanValue } from './span';

/** Why a log line is not forwarded as spans, in the order the forwarder's summary lists them. */
export const SKIP_REASONS = [
  /** Not JSON at all: platform lines (START/END/REPORT), console.log text lines. */
  'not_json',
  /** JSON, but not written by the LogTracer (other loggers, console.log in JSON format, forgeries). */
  'not_span',
  /** A span line with a missing or malformed field. */
  'bad_field',
  /** A span line of a format version this decoder does not know. */
  'unsupported_version',
  /** A span line cut short (CloudWatch or Lambda truncated it). */
  'truncated',
  /** Longer than any line the encoder writes. */
  'too_large',
] as const;

export type SkipReason = (typeof SKIP_REASONS)[number];

export type DecodeResult =
  | {
      ok: true;
      /** The line's spans in the order they finished (a version-2 line's head, the invocation span, last). */
      spans: FinishedSpan[];
      /** Indexes into spans of those the encoder cut (long values, too many logs or tags). */
      truncated: readonly number[];
    }
  | { ok: false; reason: SkipReason; detail?: string };

const CLOSING_BRACE = 125; // '}'
/** A JSON escape of a surrogate (a pair is two of them; a lone one is found by toWellFormed). */
const LONE_SURROGATE_ESCAPE = /\\u[dD][89a-fA-F]/;
const NONE: readonly number[] = Object.freeze([]) as readonly number[];
const HEAD_ONLY: readonly number[] = Object.freeze([0]) as readonly number[];
const NO_SOURCE: LineSource = {};

/**
 * Reads one log message (either version). Never throws: returns its spans, or the reason it
 * holds none. `source`: the function name and version the log group and stream tell
 * (lineSourceOf), which a version-2 invocation span leaves out.
 */
export function decodeSpanLine(message: string, source: LineSource = NO_SOURCE): DecodeResult {
  // CloudWatch keeps the writer's trailing newline in the message.
  const line = message.charCodeAt(message.length - 1) === 10 ? message.trimEnd() : message;
  const v1 = line.startsWith(SPAN_LINE_V1_PREFIX);
  if (!v1 && !line.startsWith(SPAN_LINE_PREFIX) && !line.startsWith(SPAN_LINE_LEVELLED_PREFIX)) {
    return { ok: false, reason: line.charCodeAt(0) === 123 ? 'not_span' : 'not_json' };
  }
  if (line.length > (v1 ? LIMITS.maxLineCharsV1 : LIMITS.maxLineChars)) return { ok: false, reason: 'too_large' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    const cutShort = line.charCodeAt(line.length - 1) !== CLOSING_BRACE;
    return { ok: false, reason: cutShort ? 'truncated' : 'bad_field', detail: 'invalid JSON' };
  }
  const version = (parsed as { otspan?: unknown }).otspan;
  const validate = version === 1 && v1 ? spanLineV1Validator() : version === 2 && !v1 ? spanLineV2Validator() : undefined;
  if (validate === undefined) return { ok: false, reason: 'unsupported_version', detail: `otspan=${JSON.stringify(version)}` };
  if (!validate(parsed)) {
    const error = validate.errors?.[0];
    return { ok: false, reason: 'bad_field', detail: error ? `${error.instancePath || '/'} ${error.message}` : undefined };
  }
  // UTF-8 cannot carry a lone surrogate (an escape like \ud800, or a raw one): protobuf's encoder
  // drops or mangles it, and a collector that checks UTF-8 refuses the whole report for it.
  const fields = LONE_SURROGATE_ESCAPE.test(line) || !isWellFormed(line) ? (wellFormed(parsed) as typeof parsed) : parsed;
  return version === 1 ? fromV1(fields as SpanLineV1) : fromV2(fields as SpanLineV2, source);
}

function fromV1(fields: SpanLineV1): DecodeResult {
  const span: FinishedSpan = {
    traceId: fields.trace,
    spanId: fields.span,
    operation: fields.op,
    component: fields.comp,
    startMicros: fields.start,
    durationMicros: fields.dur,
    tags: fields.tags ?? {},
    logs: fields.logs ? fields.logs.map((entry) => ({ timestampMicros: entry.t, fields: entry.f })) : [],
    baggage: fields.bag ?? {},
  };
  if (fields.parent !== undefined) span.parentSpanId = fields.parent;
  return { ok: true, spans: [span], truncated: fields.trunc === 1 ? HEAD_ONLY : NONE };
}

function fromV2(line: SpanLineV2, source: LineSource): DecodeResult {
  const entries = line.spans ?? [];
  if ((line.n ?? 1) !== entries.length + 1) return bad(`/n is ${line.n ?? 1}, the line holds ${entries.length + 1} spans`);
  const base = line.t;
  const component = line.comp ?? DEFAULT_COMPONENT;
  const baggage = line.bag ?? {};
  const keys = line.keys ?? [];

  const head: FinishedSpan = {
    traceId: line.trace,
    spanId: line.id,
    operation: line.op,
    component,
    startMicros: base,
    durationMicros: line.dur,
    tags: line.tags ?? {},
    logs: [],
    baggage,
  };
  if (line.parent !== undefined) head.parentSpanId = line.parent;
  if (line.logs !== undefined) {
    const logs = absoluteLogs(line.logs, base);
    if (logs === undefined) return bad('/logs a time before 0 or past 2^53');
    head.logs = logs;
  }
  if (line.req !== undefined) impliedInvocationTags(head.tags, line.req, source);
  if (line.http !== undefined) {
    head.tags['http.method'] = line.http[0];
    head.tags['http.path'] = line.http[1];
    if (line.http[2] !== undefined) head.tags['http.status_code'] = line.http[2];
  }

  const spans = new Array<FinishedSpan>(entries.length + 1);
  for (let i = 0; i < entries.length; i++) {
    const [spanId, , opIndex, offset, durationMicros, flatTags, logs, ownBaggage] = entries[i];
    const operation = keys[opIndex];
    if (operation === undefined) return bad(`/spans/${i}/2 names key ${opIndex} of ${keys.length}`);
    const startMicros = base + offset;
    if (startMicros < 0 || startMicros > Number.MAX_SAFE_INTEGER) return bad(`/spans/${i}/3 a start before 0 or past 2^53`);
    const tags = flatTags === undefined ? {} : tagsOf(flatTags, keys);
    if (tags === undefined) return bad(`/spans/${i}/5 not [key index, value, …] over /keys`);
    const span: FinishedSpan = { traceId: line.trace, spanId, operation, component, startMicros, durationMicros, tags, logs: [], baggage: ownBaggage ?? baggage };
    if (logs !== undefined && logs.length > 0) {
      const absolute = absoluteLogs(logs, base);
      if (absolute === undefined) return bad(`/spans/${i}/6 a time before 0 or past 2^53`);
      span.logs = absolute;
    }
    spans[i] = span;
  }
  spans[entries.length] = head;
  // Parents once every id is known (an entry may name one written after it).
  for (let i = 0; i < entries.length; i++) {
    const parent = entries[i][1];
    if (typeof parent === 'string') spans[i].parentSpanId = parent;
    else if (typeof parent === 'number') {
      if (parent > entries.length) return bad(`/spans/${i}/1 names span ${parent} of ${entries.length}`);
      if (parent === i + 1) return bad(`/spans/${i}/1 names the span itself`);
      spans[i].parentSpanId = parent === 0 ? head.spanId : spans[parent - 1].spanId;
    }
  }
  if (line.trunc === undefined) return { ok: true, spans, truncated: NONE };
  const truncated = truncatedIndexes(line.trunc, entries.length);
  if (truncated === undefined) return bad('/trunc names a span twice or one the line does not hold');
  return { ok: true, spans, truncated };
}

function bad(detail: string): DecodeResult {
  return { ok: false, reason: 'bad_field', detail };
}

/** What an invocation span's line leaves out because the reader knows it (see format.ts). */
function impliedInvocationTags(tags: Record<string, SpanValue>, requestId: string, source: LineSource): void {
  tags['aws.request_id'] = requestId;
  if (tags['span.kind'] === undefined) tags['span.kind'] = 'server';
  if (tags['faas.coldstart'] === undefined) tags['faas.coldstart'] = false;
  if (tags['faas.name'] === undefined && source.functionName !== undefined) tags['faas.name'] = source.functionName;
  if (tags['faas.version'] === undefined && source.functionVersion !== undefined) tags['faas.version'] = source.functionVersion;
}

function tagsOf(flat: SpanValue[], keys: string[]): Record<string, SpanValue> | undefined {
  if (flat.length % 2 !== 0) return undefined;
  const tags: Record<string, SpanValue> = {};
  for (let i = 0; i < flat.length; i += 2) {
    const index = flat[i];
    if (typeof index !== 'number' || !Number.isInteger(index) || index < 0 || index >= keys.length) return undefined;
    setKey(tags, keys[index], flat[i + 1]);
  }
  return tags;
}

function absoluteLogs(logs: Array<{ t: number; f: Record<string, SpanValue> }>, base: number): SpanLog[] | undefined {
  const out = new Array<SpanLog>(logs.length);
  for (let i = 0; i < logs.length; i++) {
    const timestampMicros = base + logs[i].t;
    if (timestampMicros < 0 || timestampMicros > Number.MAX_SAFE_INTEGER) return undefined;
    out[i] = { timestampMicros, fields: logs[i].f };
  }
  return out;
}

/** trunc's positions (0 head, k entry k) as indexes into the decoded spans (entries first, head last); undefined if one repeats or is out of range. */
function truncatedIndexes(positions: number[], entries: number): readonly number[] | undefined {
  const out: number[] = [];
  for (const position of positions) {
    const index = position === 0 ? entries : position - 1;
    if (position > entries || out.includes(index)) return undefined;
    out.push(index);
  }
  return out;
}

/** defineProperty: a key '__proto__' stays a key (assignment would set the prototype). */
function setKey(record: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true });
  else record[key] = value;
}

// ES2024 string methods (Node 20 has them; the project's lib is ES2022).
type WellFormedString = string & { isWellFormed(): boolean; toWellFormed(): string };
const isWellFormed = (text: string): boolean => (text as WellFormedString).isWellFormed();

/** The parsed line with every string and key's lone surrogates replaced by U+FFFD. */
function wellFormed(value: unknown): unknown {
  if (typeof value === 'string') return (value as WellFormedString).toWellFormed();
  if (Array.isArray(value)) return value.map(wellFormed);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) setKey(out, (key as WellFormedString).toWellFormed(), wellFormed(item));
  return out;
}
