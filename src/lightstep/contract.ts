// What lightstep-tracer 0.35.0 hands an `override_transport` (src/imp/tracer_imp.js `_flushReport`,
// report_imp.js, auth_imp.js): only the members a transport uses.

/** The tracer's max_span_records default: a full buffer overwrites a random span, so never add past it. */
export const DEFAULT_MAX_SPAN_RECORDS = 4096;

/** The tracer's options, passed to ensureConnection() before every report. */
export interface ConnectionOptions {
  collector_host: string;
  collector_port: number;
  /** Prefix before /api/v2/reports ('' by default; the stock node transport ignores it). */
  collector_path?: string;
  /** 'none' is plain HTTP; anything else is TLS, as in the stock transport. */
  collector_encryption: string;
  report_timeout_millis: number;
}

export interface ReportAuth {
  getAccessToken(): string;
}

export interface ReportToSend {
  toProto(auth: ReportAuth): { serializeBinary(): Uint8Array };
}

/** err: the report failed and the tracer re-buffers its spans. response: the decoded ReportResponse. */
export type ReportDone = (err: Error | null, response?: unknown) => void;

export interface ReportTransport {
  ensureConnection(options: ConnectionOptions): void;
  report(detached: boolean, auth: ReportAuth, report: ReportToSend, done: ReportDone): void;
}
