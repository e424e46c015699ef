import type { FinishedSpan, SpanLog, SpanValue } from './span';

/** A log entry as a line holds it: `t` in µs after the view's `logBase`. */
export interface LineLog {
  t: number;
  f: Record<string, SpanValue>;
}

/**
 * One decoded span as the decoder hands it to a SpanSink: the line's own strings and objects,
 * nothing copied, and one object reused for every span of the line (copy what you keep).
 * What a FinishedSpan holds, without building one: a version-2 entry's tags stay the line's
 * flat [key index, value, …] list over its `keys`, and log times stay relative to `logBase`.
 */
export interface SpanView {
  traceId: string;
  spanId: string;
  parentSpanId: string | undefined;
  operation: string;
  component: string;
  startMicros: number;
  durationMicros: number;
  /** The tags as a record (a version-1 span, a version-2 head, an entry naming a key twice); undefined when `flatTags` holds them. */
  tags: Record<string, SpanValue> | undefined;
  /** A version-2 entry's tags: [index into `keys`, value, …], every key once, in line order. */
  flatTags: readonly SpanValue[] | undefined;
  keys: readonly string[];
  /** The same object for the spans of a line that share the head's baggage. */
  baggage: Record<string, string>;
  logs: readonly LineLog[];
  /** µs since the epoch that the logs' `t` count from (0 for a version-1 line). */
  logBase: number;
}

/**
 * Takes the spans of the lines the decoder reads, one view at a time (decodeSpanLineInto). A
 * refused line reaches no sink: the decoder checks a whole line before its first span.
 */
export interface SpanSink {
  span(view: SpanView): void;
}

/** The view's span as a FinishedSpan of its own (tags and logs in new objects, baggage shared). */
export function finishedSpanOf(view: SpanView): FinishedSpan {
  const span: FinishedSpan = {
    traceId: view.traceId,
    spanId: view.spanId,
    operation: view.operation,
    component: view.component,
    startMicros: view.startMicros,
    durationMicros: view.durationMicros,
    tags: view.tags ?? (view.flatTags === undefined ? {} : tagsOfFlat(view.flatTags, view.keys)),
    logs: absoluteLogs(view.logs, view.logBase),
    baggage: view.baggage,
  };
  if (view.parentSpanId !== undefined) span.parentSpanId = view.parentSpanId;
  return span;
}

/** [key index, value, …] over `keys` as a record; the decoder has checked every index. */
export function tagsOfFlat(flat: readonly SpanValue[], keys: readonly string[]): Record<string, SpanValue> {
  const tags: Record<string, SpanValue> = {};
  for (let i = 0; i < flat.length; i += 2) setKey(tags, keys[flat[i] as number], flat[i + 1]);
  return tags;
}

function absoluteLogs(logs: readonly LineLog[], base: number): SpanLog[] {
  const out = new Array<SpanLog>(logs.length);
  for (let i = 0; i < logs.length; i++) out[i] = { timestampMicros: base + logs[i].t, fields: logs[i].f };
  return out;
}

/** defineProperty: a key '__proto__' stays a key (assignment would set the prototype). */
export function setKey(record: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true });
  else record[key] = value;
}
