export * from './format';
export type { FinishedSpan, SpanLog, SpanToEncode, SpanValue } from './span';
export { encodeSpanLine, encodeSpanLines, type LineOptions } from './encode';
export { encodeSpanLineV1 } from './encode-v1';
export { decodeSpanLine, decodeSpanLineInto, SKIP_REASONS, type DecodeFailure, type DecodeResult, type SinkResult, type SkipReason } from './decode';
export { finishedSpanOf, type LineLog, type SpanSink, type SpanView } from './span-view';
export { matchesSpanLineFilter } from './filter-pattern';
export { isSpanId, isTraceId, SPAN_ID_PATTERN, TRACE_ID_PATTERN } from './ids';
