/**
 * The span-line format: the one contract between the function (which writes span lines to
 * stdout) and the forwarder (which reads them back from CloudWatch Logs). Two versions exist;
 * the function writes version 2, the decoder reads both (log groups keep weeks of version 1).
 *
 * Version 2, one line per invocation (per trace and component): the line IS its head span, the
 * invocation span, in readable fields, and carries the invocation's other spans in `spans`:
 *
 *   {"otspan":2,"trace":"<hex>","id":"<hex>","parent":"<hex>","op":"lambda-execution","t":<µs>,
 *    "dur":<µs>,"n":11,"req":"<request id>","http":["GET","/path",200],"tags":{…},"bag":{…},
 *    "keys":["child-work","work.index","work.kind"],"spans":[["<hex>",0,0,12,13,[1,3,2,"unit"]],…]}
 *
 * - Stated once per line: trace id, component (`comp`, absent = DEFAULT_COMPONENT), the time
 *   base `t` (the head's start), the head's baggage (`bag`, which the other spans share unless
 *   they state their own). A person reads in plain `sam logs` the trace, root operation, span
 *   count `n` (absent = 1) and duration of what the line holds.
 * - Each entry of `spans` is [id, parent, op, start, dur, tags?, logs?, bag?]: parent 0 is the
 *   head, k the k-th entry, a hex string a span elsewhere, null none; start is µs after `t`
 *   (negative allowed); op an index into the line's `keys` (operation names and tag keys, each
 *   written once); tags a flat [key index, value, …] list.
 * - `req` marks the invocation span: the decoder restores aws.request_id from it, span.kind
 *   "server" and faas.coldstart false unless the tags say otherwise, and faas.name/faas.version
 *   from the log group and stream it read the line from (the function leaves them out only when
 *   its own log group and stream name them). `http` is [method, path, status?].
 * - Logs are [{"t":<µs after t>,"f":{…}}]. `trunc` lists the spans (0 head, k entry) the
 *   encoder had to cut.
 * - `level` and `timestamp` lead the line only where Lambda's application log-level filter
 *   would drop it otherwise (JSON log format at WARN or above): a line with no level counts as
 *   INFO there, and one with no valid timestamp too.
 *
 * Version 1, one line per span (read, no longer written):
 *
 *   {"level":"FATAL","otspan":1,"op":…,"dur":…,"comp":…,"trace":…,"span":…,"parent":…,"start":…,"tags":{…},"logs":[…],"bag":{…},"trunc":1}
 *
 * Either version must START with one of the prefixes below: a span-shaped object that reached
 * the log through console.log (tab-prefixed text, or nested in "message" in JSON format) or an
 * application pino logger (`{"level":30,"time":…`) is never taken for a span.
 */
export const SPAN_LINE_VERSION = 2;
export const SPAN_LINE_MARKER = 'otspan';
export const SPAN_LINE_LEVEL = 'FATAL';
/** How a version-2 line starts (after the optional level and timestamp). */
export const SPAN_LINE_PREFIX = `{"${SPAN_LINE_MARKER}":`;
/** How a version-2 line starts where the log-level filter needs its level. */
export const SPAN_LINE_LEVELLED_PREFIX = `{"level":"${SPAN_LINE_LEVEL}","timestamp":"`;
/** How every version-1 line starts. */
export const SPAN_LINE_V1_PREFIX = `{"level":"${SPAN_LINE_LEVEL}","${SPAN_LINE_MARKER}":`;

/** The component a line without `comp` is reported under (COMPONENT_NAME's default). */
export const DEFAULT_COMPONENT = 'lambda_function';

/**
 * The CloudWatch Logs subscription filter pattern that selects span lines of every version.
 * template.yaml and the local stack both use this exact string (a test keeps them equal).
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
  /** One span's part of a line longer than this drops its logs, then its tags (except error). */
  maxSpanChars: 16 * 1024,
  /**
   * A line longer than this is split into several (each with its own head); the decoder refuses
   * longer ones. In characters (UTF-16 units), at most 3 bytes of UTF-8 each: a line stays under
   * 64 KiB of UTF-8 whatever it holds, well inside CloudWatch's 256 KB event.
   */
  maxLineChars: 21 * 1024,
  /** Version 1's line limit (the decoder refuses longer version-1 lines). */
  maxLineCharsV1: 16 * 1024,
  /** Finished spans an invocation holds before it writes them (bounds memory and what a crash can lose). */
  maxBufferedSpans: 128,
} as const;

export const TRUNCATION_MARK = '…';

/** Application log levels at which Lambda drops a line that has no level (or no valid timestamp). */
const DROPPING_LEVELS = new Set(['WARN', 'ERROR', 'FATAL']);

/**
 * Whether span lines must carry `level` and `timestamp`: only in Lambda's JSON log format with
 * an application log level that drops INFO (the runtime sets both variables from the config).
 */
export function levelRequired(env: Record<string, string | undefined>): boolean {
  return env.AWS_LAMBDA_LOG_FORMAT?.toUpperCase() === 'JSON' && DROPPING_LEVELS.has((env.AWS_LAMBDA_LOG_LEVEL ?? '').toUpperCase());
}

/** Facts a reader knows from where it read a line: the function's name and version, when the log group and stream name them. */
export interface LineSource {
  functionName?: string;
  functionVersion?: string;
}

const LAMBDA_LOG_GROUP = '/aws/lambda/';
/** A Lambda log stream: `YYYY/MM/DD/[<version>]<instance id>`. */
const STREAM_VERSION = /^\d{4}\/\d{2}\/\d{2}\/\[([^\]]+)\]/;

/** The function name and version a Lambda log group and stream name (none for other groups). */
export function lineSourceOf(logGroup: string | undefined, logStream: string | undefined): LineSource {
  const source: LineSource = {};
  if (logGroup !== undefined && logGroup.startsWith(LAMBDA_LOG_GROUP) && logGroup.length > LAMBDA_LOG_GROUP.length) {
    source.functionName = logGroup.slice(LAMBDA_LOG_GROUP.length);
  }
  const version = logStream === undefined ? null : STREAM_VERSION.exec(logStream);
  if (version !== null) source.functionVersion = version[1];
  return source;
}

/**
 * The function's own facts a reader will know (see lineSourceOf), from the runtime's variables:
 * a name or version is left out of the line only when its log group and stream carry it.
 */
export function lineSourceFromEnvironment(env: Record<string, string | undefined>): LineSource {
  const own = lineSourceOf(env.AWS_LAMBDA_LOG_GROUP_NAME, env.AWS_LAMBDA_LOG_STREAM_NAME);
  const source: LineSource = {};
  if (own.functionName !== undefined && own.functionName === env.AWS_LAMBDA_FUNCTION_NAME) source.functionName = own.functionName;
  if (own.functionVersion !== undefined && own.functionVersion === env.AWS_LAMBDA_FUNCTION_VERSION) source.functionVersion = own.functionVersion;
  return source;
}
