// The one place a lightstep-tracer is made: every tracer here (the direct-mode function, the
// service, each of the forwarder's components) reports through the project's keep-alive
// transport, flushes only when asked, and fails with token-free errors.
import * as lightstep from 'lightstep-tracer';
import { KeepAliveReportTransport } from './keep-alive-transport';
import { toReportError } from './report-error';
import type { LightStepTarget } from './target';

/** lightstep-tracer's default; a full buffer overwrites a random span, so never add past it. */
export const DEFAULT_MAX_SPAN_RECORDS = 4096;

export interface ReporterOptions {
  componentName: string;
  /** lightstep-tracer's console verbosity; 0 (silent) by default: errors surface through flush(). */
  verbosity?: number;
  maxSpanRecords?: number;
  /**
   * Off for re-emitted spans: their timestamps are the function's own, and the forwarder's clock
   * has nothing to correct.
   */
  clockSkewCorrection?: boolean;
}

/** One component's lightstep-tracer, with the promise-returning operations its users need. */
export interface LightStepReporter {
  readonly tracer: lightstep.Tracer;
  readonly componentName: string;
  readonly maxSpanRecords: number;
  /** Reports everything buffered; rejects with a ReportError (token-free). */
  flush(): Promise<void>;
  /**
   * Reports prebuilt span records (the forwarder's, with the function's ids and times): adds at
   * most a buffer's worth, flushes, awaits, repeats, so the buffer never overwrites a span. On a
   * failure the buffer is dropped (the caller retries the whole batch) and the flush rejects.
   */
  reportRecords(records: readonly lightstep.SpanRecord[]): Promise<void>;
  /** Spans waiting in the tracer's buffer. */
  buffered(): number;
  /** Frees the transport's kept-alive sockets (a later report opens new ones). */
  close(): void;
}

export function createLightStepReporter(target: LightStepTarget, options: ReporterOptions): LightStepReporter {
  const transport = new KeepAliveReportTransport();
  const maxSpanRecords = options.maxSpanRecords ?? DEFAULT_MAX_SPAN_RECORDS;
  const tracer = new lightstep.Tracer({
    access_token: target.accessToken,
    component_name: options.componentName,
    collector_host: target.collectorHost,
    collector_port: target.collectorPort,
    collector_encryption: target.collectorEncryption,
    report_timeout_millis: target.reportTimeoutMillis,
    max_span_records: maxSpanRecords,
    // Reports happen only in flush(): a frozen Lambda has no timers to run a reporting loop, and
    // the loop and exit hook each add a process 'beforeExit' listener per tracer, never removed.
    delay_initial_report_millis: 0,
    disable_reporting_loop: true,
    disable_report_on_exit: true,
    disable_meta_event_reporting: true,
    disable_clock_skew_correction: options.clockSkewCorrection === false,
    verbosity: options.verbosity ?? 0,
    // Keep-alive without the stock transport's listener leak; a report written to a socket that
    // died while the container was frozen is sent again on a fresh one.
    override_transport: transport,
  } as lightstep.TracerOptions);

  const flush = (): Promise<void> =>
    new Promise((resolve, reject) => tracer.flush((err) => (err ? reject(toReportError(err, target.accessToken)) : resolve())));

  return {
    tracer,
    componentName: options.componentName,
    maxSpanRecords,
    flush,
    async reportRecords(records) {
      let next = 0;
      try {
        while (next < records.length) {
          const room = Math.max(1, maxSpanRecords - tracer._spanRecords.length);
          const end = Math.min(records.length, next + room);
          for (; next < end; next++) tracer._addSpanRecord(records[next]);
          await flush();
        }
      } catch (error) {
        // The tracer put the report back in its buffer; a retry of the whole batch would send
        // these spans twice (and the buffer would grow with every failure): drop it.
        tracer._clearBuffers();
        throw error;
      }
    },
    buffered: () => tracer._spanRecords.length,
    close: () => transport.close(),
  };
}
