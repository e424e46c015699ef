// The one replacement for lightstep-tracer's node protobuf transport, shared by the direct-mode
// function, the service and the log-span forwarder (see keep-alive-transport.ts for why).
export { KeepAliveReportTransport } from './keep-alive-transport';
export { MIN_REDACTABLE_TOKEN_CHARS, ReportError, textWithoutToken } from './report-error';
export type { ConnectionOptions, ReportAuth, ReportDone, ReportToSend, ReportTransport } from './contract';
