import { DEFAULT_COMPONENT, LIMITS, SPAN_LINE_LEVELLED_PREFIX, SPAN_LINE_PREFIX, SPAN_LINE_V1_PREFIX, type LineSource } from './format';
import { spanLineV1Validator, type SpanLineV1 } from './schema-v1';
import { checkSpanLineV2 } from './check-v2';
import type { SpanLineV2 } from './schema-v2';
import type { FinishedSpan, SpanValue } from './span';
import { finishedSpanOf, setKey, tagsOfFlat, type LineLog, type SpanSink, type SpanView } from './span-view';

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

/** Why a line gives no spans. */
export interface DecodeFailure {
  ok: false;
  reason: SkipReason;
  detail?: string;
}

export type DecodeResult =
  | {
      ok: true;
      /** The line's spans in the order they finished (a version-2 line's head, the invocation span, last). */
      spans: FinishedSpan[];
      /** Indexes into spans of those the encoder cut (long values, too many logs or tags). */
      truncated: readonly number[];
    }
  | DecodeFailure;

/** decodeSpanLineInto's answer: how many spans the sink got, none when the line is refused. */
export type SinkResult = { ok: true; spans: number; truncated: readonly number[] } | DecodeFailure;

const CLOSING_BRACE = 125; // '}'
/** A JSON escape of a surrogate (a pair is two of them; a lone one is found by toWellFormed). */
const LONE_SURROGATE_ESCAPE = /\\u[dD][89a-fA-F]/;
const NONE: readonly number[] = Object.freeze([]) as readonly number[];
const HEAD_ONLY: readonly number[] = Object.freeze([0]) as readonly number[];
const NO_KEYS: readonly string[] = Object.freeze([]) as readonly string[];
const NO_LOGS: readonly LineLog[] = Object.freeze([]) as readonly LineLog[];
const NO_SOURCE: LineSource = {};

/**
 * Reads one log message (either version). Never throws: returns its spans, or the reason it
 * holds none. `source`: the function name and version the log group and stream tell
 * (lineSourceOf), which a version-2 invocation span leaves out.
 */
export function decodeSpanLine(message: string, source: LineSource = NO_SOURCE): DecodeResult {
  const spans: FinishedSpan[] = [];
  const result = decodeSpanLineInto(message, source, { span: (view) => spans.push(finishedSpanOf(view)) });
  return result.ok ? { ok: true, spans, truncated: result.truncated } : result;
}

/**
 * decodeSpanLine without a FinishedSpan per span: hands each span to `sink` as a view of the
 * parsed line (the forwarder's LightStep writer writes report bytes straight from it). The
 * whole line is checked first, so a refused line gives the sink nothing; throws only what the
 * sink throws. Spans come in decodeSpanLine's order.
 */
export function decodeSpanLineInto(message: string, source: LineSource, sink: SpanSink): SinkResult {
  // CloudWatch keeps the writer's trailing newline in the message. JSON.parse reads past one
  // right after the closing brace (the usual line: no trimmed copy); other trailing space is cut.
  const endsInNewline = message.charCodeAt(message.length - 1) === 10;
  const newlineAfterBrace = endsInNewline && message.charCodeAt(message.length - 2) === CLOSING_BRACE;
  const line = endsInNewline && !newlineAfterBrace ? message.trimEnd() : message;
  const length = newlineAfterBrace ? line.length - 1 : line.length;
  const v1 = line.startsWith(SPAN_LINE_V1_PREFIX);
  if (!v1 && !line.startsWith(SPAN_LINE_PREFIX) && !line.startsWith(SPAN_LINE_LEVELLED_PREFIX)) {
    return { ok: false, reason: line.charCodeAt(0) === 123 ? 'not_span' : 'not_json' };
  }
  if (length > (v1 ? LIMITS.maxLineCharsV1 : LIMITS.maxLineChars)) return { ok: false, reason: 'too_large' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    const cutShort = line.charCodeAt(length - 1) !== CLOSING_BRACE;
    return { ok: false, reason: cutShort ? 'truncated' : 'bad_field', detail: 'invalid JSON' };
  }
  const version = (parsed as { otspan?: unknown }).otspan;
  if (version === 2 && !v1) {
    const problem = checkSpanLineV2(parsed);
    if (problem !== undefined) return { ok: false, reason: 'bad_field', detail: problem };
  } else if (version === 1 && v1) {
    const validate = spanLineV1Validator();
    if (!validate(parsed)) {
      const error = validate.errors?.[0];
      return { ok: false, reason: 'bad_field', detail: error ? `${error.instancePath || '/'} ${error.message}` : undefined };
    }
  } else return { ok: false, reason: 'unsupported_version', detail: `otspan=${JSON.stringify(version)}` };
  // UTF-8 cannot carry a lone surrogate (an escape like \ud800, or a raw one): protobuf's encoder
  // drops or mangles it, and a collector that checks UTF-8 refuses the whole report for it.
  // (indexOf first: a plain search is several times faster than the regex over a line without escapes.)
  const escapesSurrogate = line.indexOf('\\u') !== -1 && LONE_SURROGATE_ESCAPE.test(line);
  const fields = escapesSurrogate || !isWellFormed(line) ? (wellFormed(parsed) as typeof parsed) : parsed;
  return version === 1 ? readV1(fields as SpanLineV1, sink) : readV2(fields as SpanLineV2, source, sink);
}

function readV1(fields: SpanLineV1, sink: SpanSink): SinkResult {
  sink.span({
    traceId: fields.trace,
    spanId: fields.span,
    parentSpanId: fields.parent,
    operation: fields.op,
    component: fields.comp,
    startMicros: fields.start,
    durationMicros: fields.dur,
    tags: fields.tags ?? {},
    flatTags: undefined,
    keys: NO_KEYS,
    baggage: fields.bag ?? {},
    logs: fields.logs ?? NO_LOGS,
    logBase: 0,
  });
  return { ok: true, spans: 1, truncated: fields.trunc === 1 ? HEAD_ONLY : NONE };
}

function readV2(line: SpanLineV2, source: LineSource, sink: SpanSink): SinkResult {
  const entries = line.spans ?? [];
  const count = entries.length;
  if ((line.n ?? 1) !== count + 1) return bad(`/n is ${line.n ?? 1}, the line holds ${count + 1} spans`);
  const base = line.t;
  const keys = line.keys ?? NO_KEYS;
  // Everything the schema cannot say is checked before the first span reaches the sink.
  if (line.logs !== undefined && !logTimesFit(line.logs, base)) return bad('/logs a time before 0 or past 2^53');
  for (let i = 0; i < count; i++) {
    const entry = entries[i];
    const parent = entry[1];
    const opIndex = entry[2];
    const offset = entry[3];
    const flatTags = entry[5];
    const logs = entry[6];
    if (opIndex >= keys.length) return bad(`/spans/${i}/2 names key ${opIndex} of ${keys.length}`);
    const startMicros = base + offset;
    if (startMicros < 0 || startMicros > Number.MAX_SAFE_INTEGER) return bad(`/spans/${i}/3 a start before 0 or past 2^53`);
    if (flatTags !== undefined && !flatTagsFit(flatTags, keys.length)) return bad(`/spans/${i}/5 not [key index, value, …] over /keys`);
    if (logs !== undefined && !logTimesFit(logs, base)) return bad(`/spans/${i}/6 a time before 0 or past 2^53`);
    if (typeof parent === 'number') {
      if (parent > count) return bad(`/spans/${i}/1 names span ${parent} of ${count}`);
      if (parent === i + 1) return bad(`/spans/${i}/1 names the span itself`);
    }
  }
  let truncated = NONE;
  if (line.trunc !== undefined) {
    const indexes = truncatedIndexes(line.trunc, count);
    if (indexes === undefined) return bad('/trunc names a span twice or one the line does not hold');
    truncated = indexes;
  }

  const component = line.comp ?? DEFAULT_COMPONENT;
  const baggage = line.bag ?? {};
  const headTags = line.tags ?? {};
  if (line.req !== undefined) impliedInvocationTags(headTags, line.req, source);
  if (line.http !== undefined) {
    headTags['http.method'] = line.http[0];
    headTags['http.path'] = line.http[1];
    if (line.http[2] !== undefined) headTags['http.status_code'] = line.http[2];
  }
  const view: SpanView = {
    traceId: line.trace,
    spanId: '',
    parentSpanId: undefined,
    operation: '',
    component,
    startMicros: 0,
    durationMicros: 0,
    tags: undefined,
    flatTags: undefined,
    keys,
    baggage,
    logs: NO_LOGS,
    logBase: base,
  };
  for (let i = 0; i < count; i++) {
    const entry = entries[i];
    const spanId = entry[0];
    const parent = entry[1];
    const opIndex = entry[2];
    const offset = entry[3];
    const durationMicros = entry[4];
    const flatTags = entry[5];
    const logs = entry[6];
    const ownBaggage = entry[7];
    view.spanId = spanId;
    view.parentSpanId = typeof parent === 'string' ? parent : typeof parent === 'number' ? (parent === 0 ? line.id : entries[parent - 1][0]) : undefined;
    view.operation = keys[opIndex];
    view.startMicros = base + offset;
    view.durationMicros = durationMicros;
    // A key named twice (never written by the encoder) goes through a record: the last value wins, once.
    const repeats = flatTags !== undefined && repeatsKey(flatTags);
    view.tags = repeats ? tagsOfFlat(flatTags, keys) : undefined;
    view.flatTags = repeats ? undefined : flatTags;
    view.baggage = ownBaggage ?? baggage;
    view.logs = logs ?? NO_LOGS;
    sink.span(view);
  }
  view.spanId = line.id;
  view.parentSpanId = line.parent;
  view.operation = line.op;
  view.startMicros = base;
  view.durationMicros = line.dur;
  view.tags = headTags;
  view.flatTags = undefined;
  view.baggage = baggage;
  view.logs = line.logs ?? NO_LOGS;
  sink.span(view);
  return { ok: true, spans: count + 1, truncated };
}

function bad(detail: string): DecodeFailure {
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

/** [key index, value, …] with every index an integer key of the line. */
function flatTagsFit(flat: readonly SpanValue[], keyCount: number): boolean {
  if (flat.length % 2 !== 0) return false;
  for (let i = 0; i < flat.length; i += 2) {
    const index = flat[i];
    if (typeof index !== 'number' || !Number.isInteger(index) || index < 0 || index >= keyCount) return false;
  }
  return true;
}

/** Whether a flat tag list names one key index twice (lists are short: a pairwise look). */
function repeatsKey(flat: readonly SpanValue[]): boolean {
  for (let i = 2; i < flat.length; i += 2) {
    for (let j = 0; j < i; j += 2) if (flat[j] === flat[i]) return true;
  }
  return false;
}

function logTimesFit(logs: readonly LineLog[], base: number): boolean {
  for (let i = 0; i < logs.length; i++) {
    const timestampMicros = base + logs[i].t;
    if (timestampMicros < 0 || timestampMicros > Number.MAX_SAFE_INTEGER) return false;
  }
  return true;
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
