export * from './format';
export type { FinishedSpan, SpanLog, SpanValue } from './span';
export { encodeSpanLine, type SpanToEncode } from './encode';
export { decodeSpanLine, SKIP_REASONS, type DecodeResult, type SkipReason } from './decode';
export { matchesSpanLineFilter } from './filter-pattern';
export { isSpanId, isTraceId, SPAN_ID_PATTERN, TRACE_ID_PATTERN } from './ids';
