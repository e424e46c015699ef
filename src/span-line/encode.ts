import { LIMITS, SPAN_LINE_PREFIX, SPAN_LINE_VERSION, TRUNCATION_MARK } from './format';
import type { FinishedSpan, SpanLog, SpanValue } from './span';

/** What the encoder accepts: a finished span whose tag and log values may be anything a user set. */
export type SpanToEncode = Omit<FinishedSpan, 'tags' | 'logs'> & {
  tags: Record<string, unknown>;
  logs: ReadonlyArray<Omit<SpanLog, 'fields'> & { fields: Record<string, unknown> }>;
};

// Prepared once: every line starts with the prefix and the version (pino's own trick of a
// ready-made `{"level":30` prefix).
const HEAD = `${SPAN_LINE_PREFIX}${SPAN_LINE_VERSION},"op":`;

/** Turns one finished span into one span line (no trailing newline). Never throws on user values. */
export function encodeSpanLine(span: SpanToEncode): string {
  const state = { truncated: false };
  const tags = capRecord(span.tags, LIMITS.maxTags, state);
  const error = toSpanValue(span.tags.error, state);
  // The error flag is what a trace view shows first: never lose it to the tag cap.
  if (error !== undefined && tags !== undefined && tags.error === undefined) tags.error = error;
  const logs = capLogs(span.logs, state);
  const baggage = hasKeys(span.baggage) ? capStrings(span.baggage, state) : undefined;
  const names = {
    operation: cut(String(span.operation), state),
    component: cut(String(span.component), state),
  };
  let line = assemble(span, names, tags, logs, baggage, state.truncated);
  if (line.length > LIMITS.maxLineChars) {
    // Still too large after per-value caps: keep the identity and timing, drop what is bulky.
    const kept: Record<string, SpanValue> = {};
    if (error !== undefined) kept.error = error;
    line = assemble(span, names, kept, undefined, undefined, true);
  }
  return line;
}

/** µs as a JSON integer the decoder accepts: 0 ≤ n ≤ 2^53-1 (anything else would break a whole report). */
function micros(value: number): number {
  if (!(value > 0)) return 0; // also NaN
  return value >= Number.MAX_SAFE_INTEGER ? Number.MAX_SAFE_INTEGER : Math.round(value);
}

function assemble(
  span: SpanToEncode,
  names: { operation: string; component: string },
  tags: Record<string, SpanValue> | undefined,
  logs: Array<{ t: number; f: Record<string, SpanValue> }> | undefined,
  baggage: Record<string, string> | undefined,
  truncated: boolean,
): string {
  let line =
    HEAD +
    JSON.stringify(names.operation) +
    ',"dur":' +
    micros(span.durationMicros) +
    ',"comp":' +
    JSON.stringify(names.component) +
    ',"trace":"' +
    span.traceId +
    '","span":"' +
    span.spanId +
    '"';
  if (span.parentSpanId !== undefined) line += ',"parent":"' + span.parentSpanId + '"';
  line += ',"start":' + micros(span.startMicros);
  if (tags !== undefined && hasKeys(tags)) line += ',"tags":' + JSON.stringify(tags);
  if (logs !== undefined && logs.length > 0) line += ',"logs":' + JSON.stringify(logs);
  if (baggage !== undefined) line += ',"bag":' + JSON.stringify(baggage);
  if (truncated) line += ',"trunc":1';
  return line + '}';
}

function capLogs(
  logs: SpanToEncode['logs'],
  state: { truncated: boolean },
): Array<{ t: number; f: Record<string, SpanValue> }> | undefined {
  if (logs.length === 0) return undefined;
  let kept = logs;
  if (logs.length > LIMITS.maxLogs) {
    // Keep the first and the last entries: the start of a story and how it ended.
    const half = LIMITS.maxLogs / 2;
    kept = logs.slice(0, half).concat(logs.slice(logs.length - half));
    state.truncated = true;
  }
  const out = new Array<{ t: number; f: Record<string, SpanValue> }>(kept.length);
  for (let i = 0; i < kept.length; i++) {
    const entry = kept[i];
    out[i] = { t: micros(entry.timestampMicros), f: capRecord(entry.fields, LIMITS.maxLogFields, state) ?? {} };
  }
  return out;
}

function capRecord(
  record: Record<string, unknown>,
  maxKeys: number,
  state: { truncated: boolean },
): Record<string, SpanValue> | undefined {
  let out: Record<string, SpanValue> | undefined;
  let count = 0;
  for (const key in record) {
    const value = toSpanValue(record[key], state);
    if (value === undefined) continue;
    if (count === maxKeys) {
      state.truncated = true;
      break;
    }
    // No prototype: a key '__proto__' is a key like any other (on {} it would set the prototype and vanish).
    (out ??= Object.create(null) as Record<string, SpanValue>)[key.length > LIMITS.maxValueChars ? cut(key, state) : key] = value;
    count++;
  }
  return out;
}

function capStrings(record: Record<string, string>, state: { truncated: boolean }): Record<string, string> {
  const out = Object.create(null) as Record<string, string>;
  let count = 0;
  for (const key in record) {
    if (count++ === LIMITS.maxBaggageItems) {
      state.truncated = true;
      break;
    }
    out[cut(key, state)] = cut(String(record[key]), state);
  }
  return out;
}

function toSpanValue(value: unknown, state: { truncated: boolean }): SpanValue | undefined {
  switch (typeof value) {
    case 'string':
      return value.length > LIMITS.maxValueChars ? cut(value, state) : value;
    case 'boolean':
      return value;
    case 'number':
      // JSON has no NaN or Infinity: keep them readable as strings rather than null.
      return Number.isFinite(value) ? value : String(value);
    case 'bigint':
      return value.toString();
    case 'undefined':
    case 'function':
    case 'symbol':
      return undefined;
    default:
      if (value === null) return undefined;
      return toSpanValue(value instanceof Error ? value.message : safeJson(value as object), state);
  }
}

function safeJson(value: object): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value); // circular structures
  }
}

function cut(value: string, state: { truncated: boolean }): string {
  if (value.length <= LIMITS.maxValueChars) return value;
  state.truncated = true;
  let end = LIMITS.maxValueChars;
  // Never split a surrogate pair: a lone surrogate is not valid UTF-8 downstream.
  const last = value.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return value.slice(0, end) + TRUNCATION_MARK;
}

function hasKeys(record: object): boolean {
  for (const _ in record) return true;
  return false;
}
