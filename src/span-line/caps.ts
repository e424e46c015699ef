import { LIMITS, TRUNCATION_MARK } from './format';
import type { SpanToEncode, SpanValue } from './span';

/** Set when a cap cut something (the span is then marked truncated in its line). */
export interface CapState {
  truncated: boolean;
}

export interface CappedLog {
  t: number;
  f: Record<string, SpanValue>;
}

/** µs as a JSON integer the decoder accepts: 0 ≤ n ≤ 2^53-1 (anything else would break a whole report). */
export function micros(value: number): number {
  if (!(value > 0)) return 0; // also NaN
  return value >= Number.MAX_SAFE_INTEGER ? Number.MAX_SAFE_INTEGER : Math.round(value);
}

/** At most LIMITS.maxLogs entries (the first and the last halves), each with capped fields; t in absolute µs. */
export function capLogs(
  logs: ReadonlyArray<{ timestampMicros: number; fields: Record<string, unknown> }>,
  state: CapState,
): CappedLog[] | undefined {
  if (logs.length === 0) return undefined;
  let kept = logs;
  if (logs.length > LIMITS.maxLogs) {
    // Keep the first and the last entries: the start of a story and how it ended.
    const half = LIMITS.maxLogs / 2;
    kept = logs.slice(0, half).concat(logs.slice(logs.length - half));
    state.truncated = true;
  }
  const out = new Array<CappedLog>(kept.length);
  for (let i = 0; i < kept.length; i++) {
    const entry = kept[i];
    out[i] = { t: micros(entry.timestampMicros), f: capRecord(entry.fields, LIMITS.maxLogFields, state) ?? {} };
  }
  return out;
}

export function capRecord(record: Record<string, unknown>, maxKeys: number, state: CapState): Record<string, SpanValue> | undefined {
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

export function capStrings(record: Record<string, string>, state: CapState): Record<string, string> {
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

export function toSpanValue(value: unknown, state: CapState): SpanValue | undefined {
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

export function cut(value: string, state: CapState): string {
  if (value.length <= LIMITS.maxValueChars) return value;
  state.truncated = true;
  let end = LIMITS.maxValueChars;
  // Never split a surrogate pair: a lone surrogate is not valid UTF-8 downstream.
  const last = value.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return value.slice(0, end) + TRUNCATION_MARK;
}

export function hasKeys(record: object): boolean {
  for (const _ in record) return true;
  return false;
}

/** A span's parts after the caps, as both versions write them. */
export interface CappedSpan {
  op: string;
  comp: string;
  tags: Record<string, SpanValue> | undefined;
  /** The error tag, kept even when the tag cap dropped it (and when a too-large span drops all other tags). */
  error: SpanValue | undefined;
  logs: CappedLog[] | undefined;
  bag: Record<string, string> | undefined;
  truncated: boolean;
}

export function capSpan(span: SpanToEncode): CappedSpan {
  const state = { truncated: false };
  const tags = capRecord(span.tags, LIMITS.maxTags, state);
  const error = toSpanValue(span.tags.error, state);
  // The error flag is what a trace view shows first: never lose it to the tag cap.
  if (error !== undefined && tags !== undefined && tags.error === undefined) tags.error = error;
  const logs = capLogs(span.logs, state);
  const bag = hasKeys(span.baggage) ? capStrings(span.baggage, state) : undefined;
  const op = cut(String(span.operation), state);
  const comp = cut(String(span.component), state);
  return { op, comp, tags, error, logs, bag, truncated: state.truncated };
}
