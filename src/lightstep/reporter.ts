// The one place a lightstep-tracer is made: every tracer here (the direct-mode function, the
// service) reports through the project's keep-alive transport, flushes only when asked, and
// fails with token-free errors. The forwarder writes its reports without a tracer
// (wire/report-writer.ts) and sends them through the same transport (report-client.ts).
import * as lightstep from 'lightstep-tracer';
// Not via wire/collector-pb (which also loads google-protobuf's Timestamp): the log-mode
// function's bundle keeps lightstep-tracer external and must not gain google-protobuf.
import { ReportResponse } from 'lightstep-tracer/lib/imp/generated_proto/collector_pb';
import { DEFAULT_MAX_SPAN_RECORDS } from './contract';
import { KeepAliveReportTransport } from './keep-alive-transport';
import { toReportError } from './report-error';
import type { LightStepTarget } from './target';

export { DEFAULT_MAX_SPAN_RECORDS };

export interface ReporterOptions {
  componentName: string;
  /** lightstep-tracer's console verbosity; 0 (silent) by default: errors surface through flush(). */
  verbosity?: number;
  maxSpanRecords?: number;
}

/** One component's lightstep-tracer, with the promise-returning operations its users need. */
export interface LightStepReporter {
  readonly tracer: lightstep.Tracer;
  readonly componentName: string;
  readonly maxSpanRecords: number;
  /** Reports everything buffered; rejects with a ReportError (token-free). */
  flush(): Promise<void>;
  /** Spans waiting in the tracer's buffer. */
  buffered(): number;
  /** Frees the transport's kept-alive sockets (a later report opens new ones). */
  close(): void;
}

export function createLightStepReporter(target: LightStepTarget, options: ReporterOptions): LightStepReporter {
  const transport = new KeepAliveReportTransport(decodeReportResponse);
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
    buffered: () => tracer._spanRecords.length,
    close: () => transport.close(),
  };
}

/** A collector's answer as the tracer reads it (clock-skew correction takes its timestamps). */
function decodeReportResponse(body: Buffer): unknown {
  return ReportResponse.deserializeBinary(body).toObject();
}
