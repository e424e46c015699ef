/** A tag or log-field value as LightStep's KeyValue carries it (string, int/double, bool). */
export type WireValue = string | number | boolean;

export interface WireLog {
  /** Microseconds since the Unix epoch. */
  timestampMicros: number;
  fields: Record<string, WireValue>;
}

/**
 * A span as LightStep's report format carries it. The span-line's FinishedSpan has this shape
 * (plus baggage), so the forwarder encodes its spans as they are.
 */
export interface WireSpan {
  /** Hex. Encoded: 16 or 32 hex (a 32-hex id keeps its lower 64 bits). Decoded: 16 lowercase hex. */
  traceId: string;
  /** 16 lowercase hex. */
  spanId: string;
  /** Absent for a root span. */
  parentSpanId?: string;
  operation: string;
  /** The reporter's component name (LightStep's service); '' when a report names none. */
  component: string;
  startMicros: number;
  durationMicros: number;
  tags: Record<string, WireValue>;
  logs: WireLog[];
}

/** What the encoder takes: baggage has no field on the wire and becomes `baggage.<key>` tags. */
export interface SpanToReport extends WireSpan {
  baggage?: Record<string, string>;
}

/** The reporter tag that names the component (LightStep's service) of every span in a report. */
export const COMPONENT_TAG = 'lightstep.component_name';

/**
 * Baggage has no field on LightStep's wire (SpanImp never reports it), so each item becomes a
 * string tag `baggage.<key>`: visible in LightStep, and no clash with user tags (they rarely use
 * that prefix).
 */
export const BAGGAGE_TAG_PREFIX = 'baggage.';

/** An id that cannot go on LightStep's wire: thrown before the span reaches a report. */
export class InvalidIdError extends Error {
  override readonly name = 'InvalidIdError';
}
