import type { FinishedSpan, SpanLog, SpanValue } from '../span-line/span';

/** A tag or log-field value as stored: the protobuf KeyValue's type is kept. */
export type StoredValue = SpanValue;

export type StoredLog = SpanLog;

/**
 * One span as the collector received it: the span-line's span without baggage (LightStep's
 * wire has none), ids always 16 lowercase hex (the wire's 64 bits; a 32-hex trace id arrives as
 * its lower half), component '' when the reporter sent none.
 */
export type StoredSpan = Omit<FinishedSpan, 'baggage'>;

/** One row of the recent-traces list. */
export interface TraceSummary {
  traceId: string;
  rootOperation: string;
  rootComponent: string;
  spanCount: number;
  /** From the earliest start to the latest end of any span in the trace. */
  durationMicros: number;
  /** The earliest span start, microseconds since the Unix epoch. */
  startMicros: number;
  /** Spans tagged error=true (boolean or the string 'true'). */
  errorCount: number;
}

/** A span is an error span when tagged error=true; lightstep-tracer sends every tag as a string. */
export function isErrorSpan(tags: Record<string, StoredValue>): boolean {
  return tags.error === true || tags.error === 'true';
}
