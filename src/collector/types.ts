/** A tag or log-field value as stored: the protobuf KeyValue's type is kept. */
export type StoredValue = string | number | boolean;

export interface StoredLog {
  /** Microseconds since the Unix epoch. */
  timestampMicros: number;
  fields: Record<string, StoredValue>;
}

/** One span as the collector received it. Ids are 16 lowercase hex characters. */
export interface StoredSpan {
  traceId: string;
  spanId: string;
  /** Absent for a root span. */
  parentSpanId?: string;
  operation: string;
  /** The reporting tracer's `lightstep.component_name` ('' when it sent none). */
  component: string;
  /** Microseconds since the Unix epoch. */
  startMicros: number;
  durationMicros: number;
  tags: Record<string, StoredValue>;
  logs: StoredLog[];
}

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
