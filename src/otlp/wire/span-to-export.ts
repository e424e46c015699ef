/** A tag or log-field value as a span line carries it. */
export type ExportValue = string | number | boolean;

/**
 * What the OTLP encoder takes: the span line's FinishedSpan has this shape, so the forwarder
 * exports its spans as they are (this folder never imports src/span-line).
 */
export interface SpanToExport {
  /** 16 or 32 lowercase hex (a 64-bit id is left-padded with zeros to OTLP's 128 bits). */
  traceId: string;
  /** 16 lowercase hex. */
  spanId: string;
  parentSpanId?: string;
  operation: string;
  /** Becomes the resource's service.name. */
  component: string;
  /** Microseconds since the Unix epoch. */
  startMicros: number;
  durationMicros: number;
  tags: Record<string, ExportValue>;
  logs: Array<{ timestampMicros: number; fields: Record<string, ExportValue> }>;
  baggage?: Record<string, string>;
}

/** Where the spans were written: the facts a CloudWatch Logs subscription event gives. */
export interface SpanSource {
  /** The account that owns the log group (the payload's `owner`). */
  owner: string;
  /** /aws/lambda/<function name> for a Lambda function. */
  logGroup: string;
  /** Lambda's `YYYY/MM/DD/[<version>]<container id>`. */
  logStream: string;
}
