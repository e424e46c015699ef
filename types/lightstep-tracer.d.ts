// lightstep-tracer 0.35.0 ships types for its constructor options only. These augment what the
// project relies on, checked against the package's source (src/imp/*.js). Pinned exactly in
// package.json because several of these are internals.
import 'lightstep-tracer';
import type * as opentracing from 'opentracing';

declare module 'lightstep-tracer' {
  interface TracerOptions {
    disable_meta_event_reporting?: boolean;
    /** Drop the span buffer after this many consecutive report errors (null: never). */
    clear_span_buffer_consecutive_errors?: number | null;
  }

  class SpanContext extends opentracing.SpanContext {
    constructor(spanGUID: string, traceGUID: string, sampled?: boolean);
    _guid: string;
    _traceGUID: string;
    _sampled: boolean;
    _baggage: Record<string, string>;
    traceGUID(): string;
    forEachBaggageItem(f: (key: string, value: string) => void): void;
  }

  /** One entry of the tracer's report buffer: anything that renders itself as a collector_pb.Span. */
  interface SpanRecord {
    _toProto(): unknown;
  }

  interface Tracer {
    /** Reports everything buffered; `done` receives the transport error, if any. */
    flush(done?: (err: Error | null) => void): void;
    on(event: 'report_error', listener: (err: Error, payload: unknown) => void): this;
    on(event: string, listener: (...args: unknown[]) => void): this;
    removeAllListeners(event?: string): this;
    options(): Record<string, unknown>;
    /** Internal: the report buffer (at most max_span_records, then random overwrite). */
    _spanRecords: SpanRecord[];
    /** Internal: adds one record to the report buffer. */
    _addSpanRecord(record: SpanRecord): void;
    /** Internal: empties the report buffer. */
    _clearBuffers(): void;
  }
}
