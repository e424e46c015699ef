import type { WireLog, WireSpan, WireValue } from '../lightstep/wire';

// The collector knows only what arrives on the wire: a stored span is the span as LightStep's
// report format carries it (ids 16 lowercase hex, component '' when the reporter sent none).

/** A tag or log-field value as stored: the protobuf KeyValue's type is kept. */
export type StoredValue = WireValue;

export type StoredLog = WireLog;

export type StoredSpan = WireSpan;

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
