// LightStep: the target (settings), the report transport and client, the tracer factory and the
// report format. The only folder that imports lightstep-tracer. The function's log mode imports only
// ./target (no lightstep-tracer); reporter and wire load the tracer's modules.
export { KeepAliveReportTransport } from './keep-alive-transport';
export { connectionOptionsFor, ReportClient } from './report-client';
export { lightStepReporterTags, newReporterId, reportSenderFor } from './reporter-identity';
export { MIN_REDACTABLE_TOKEN_CHARS, ReportError, TEXT_NOT_SHOWN, textWithoutToken, toReportError } from './report-error';
export type { ConnectionOptions, ReportAuth, ReportDone, ReportToSend, ReportTransport } from './contract';
export { createLightStepReporter, DEFAULT_MAX_SPAN_RECORDS, type LightStepReporter, type ReporterOptions } from './reporter';
export * from './target';
