// LightStep's report format, both ways: report-writer (the forwarder's bytes, written directly),
// encode (the same as collector_pb objects) and decode (the embedded collector), over
// lightstep-tracer's own generated collector_pb.
export { encodeReportRequest, hexIdToWire, keyValue, toCollectorSpan } from './encode';
export { decimalIdToHex, decodeReportRequest, EMPTY_REPORT_RESPONSE, InvalidReportError, keyValueToValue, spanFromProto, spansFromReport } from './decode';
export { BAGGAGE_TAG_PREFIX, COMPONENT_TAG, InvalidIdError, type SpanToReport, type WireLog, type WireSpan, type WireValue } from './wire-span';
export { EncodedSpans, type ReportLimits, type SpanRange } from './encoded-spans';
export { ProtoWriter } from './proto-writer';
export { checkReportResponse } from './report-response';
export { writeReportHeader, writeReportRequest, writeSpanField, writeSpanViewField, type ReportSender } from './report-writer';
