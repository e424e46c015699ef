/**
 * The span-line format, version 1: the one contract between the function (which writes span
 * lines to stdout) and the forwarder (which reads them back from CloudWatch Logs).
 *
 *   {"level":"FATAL","otspan":1,"op":"lambda-execution","dur":1532,"comp":"lambda_function",
 *    "trace":"<hex>","span":"<hex>","parent":"<hex>","start":<µs>,"tags":{…},"logs":[…],"bag":{…},"trunc":1}
 *
 * - `otspan` is the versioned marker: only the LogTracer writes it, the subscription filter selects
 *   on it, and a line whose version the decoder does not know is skipped as unsupported_version.
 * - `level` is "FATAL" so the line survives any application log-level filter Lambda applies in
 *   JSON log format (a level-less line counts as INFO and vanishes under WARN or ERROR).
 * - The line must START with SPAN_LINE_PREFIX: a span-shaped object that reached the log through
 *   console.log (tab-prefixed text, or nested in "message" in JSON format) or through an
 *   application pino logger (which starts `{"level":30,"time":…`) is never taken for a span.
 */
export const SPAN_LINE_VERSION = 1;
export const SPAN_LINE_MARKER = 'otspan';
export const SPAN_LINE_LEVEL = 'FATAL';
export const SPAN_LINE_PREFIX = `{"level":"${SPAN_LINE_LEVEL}","${SPAN_LINE_MARKER}":`;

/**
 * The CloudWatch Logs subscription filter pattern that selects span lines. template.yaml and the
 * local stack both use this exact string (a test keeps them equal).
 */
export const SPAN_LINE_FILTER_PATTERN = `{ $.${SPAN_LINE_MARKER} >= 1 }`;

/** Caps that keep a line far below CloudWatch's 256 KB event limit (Lambda cuts longer lines). */
export const LIMITS = {
  /** A longer string (tag or log value, key, operation, component, baggage) is cut and ends with TRUNCATION_MARK. */
  maxValueChars: 256,
  maxTags: 64,
  maxLogs: 32,
  maxLogFields: 16,
  maxBaggageItems: 16,
  /** An encoded line longer than this drops its logs, then its tags (except error). */
  maxLineChars: 16 * 1024,
} as const;

export const TRUNCATION_MARK = '…';
