/** A tag or log-field value as it travels in a span line: JSON's scalar types, kept as recorded. */
export type SpanValue = string | number | boolean;

export interface SpanLog {
  /** Microseconds since the Unix epoch. */
  timestampMicros: number;
  fields: Record<string, SpanValue>;
}

/** A finished span: what the function records and what the forwarder re-emits. */
export interface FinishedSpan {
  /** 16 or 32 lowercase hex characters. */
  traceId: string;
  /** 16 lowercase hex characters. */
  spanId: string;
  /** Absent for a root span. */
  parentSpanId?: string;
  operation: string;
  /** The LightStep component (service) name the span is reported under. */
  component: string;
  /** Microseconds since the Unix epoch. */
  startMicros: number;
  durationMicros: number;
  tags: Record<string, SpanValue>;
  logs: SpanLog[];
  baggage: Record<string, string>;
}

/** What the encoders accept: a finished span whose tag and log values may be anything a user set. */
export type SpanToEncode = Omit<FinishedSpan, 'tags' | 'logs'> & {
  tags: Record<string, unknown>;
  logs: ReadonlyArray<Omit<SpanLog, 'fields'> & { fields: Record<string, unknown> }>;
};
