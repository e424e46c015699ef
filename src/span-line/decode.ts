import { LIMITS, SPAN_LINE_PREFIX, SPAN_LINE_VERSION } from './format';
import { spanLineV1Validator } from './schema';
import type { FinishedSpan } from './span';

/** Why a log line is not forwarded as a span, in the order the forwarder's summary lists them. */
export const SKIP_REASONS = [
  /** Not JSON at all: platform lines (START/END/REPORT), console.log text lines. */
  'not_json',
  /** JSON, but not written by the LogTracer (other loggers, console.log in JSON format, forgeries). */
  'not_span',
  /** A span line with a missing or malformed field. */
  'bad_field',
  /** A span line of a format version this decoder does not know. */
  'unsupported_version',
  /** A span line cut short (CloudWatch or Lambda truncated it). */
  'truncated',
  /** Longer than any line the encoder writes. */
  'too_large',
] as const;

export type SkipReason = (typeof SKIP_REASONS)[number];

export type DecodeResult =
  | { ok: true; span: FinishedSpan; /** the encoder cut values, logs or tags to fit */ truncated: boolean }
  | { ok: false; reason: SkipReason; detail?: string };

const CLOSING_BRACE = 125; // '}'

/** Reads one log message. Never throws: returns the span, or the reason it is not one. */
export function decodeSpanLine(message: string): DecodeResult {
  // CloudWatch keeps the writer's trailing newline in the message.
  const line = message.charCodeAt(message.length - 1) === 10 ? message.trimEnd() : message;
  if (!line.startsWith(SPAN_LINE_PREFIX)) {
    return { ok: false, reason: line.charCodeAt(0) === 123 ? 'not_span' : 'not_json' };
  }
  if (line.length > LIMITS.maxLineChars) return { ok: false, reason: 'too_large' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    const cutShort = line.charCodeAt(line.length - 1) !== CLOSING_BRACE;
    return { ok: false, reason: cutShort ? 'truncated' : 'bad_field', detail: 'invalid JSON' };
  }
  const version = (parsed as { otspan?: unknown }).otspan;
  if (version !== SPAN_LINE_VERSION) {
    return { ok: false, reason: 'unsupported_version', detail: `otspan=${JSON.stringify(version)}` };
  }
  const validate = spanLineV1Validator();
  if (!validate(parsed)) {
    const error = validate.errors?.[0];
    return { ok: false, reason: 'bad_field', detail: error ? `${error.instancePath || '/'} ${error.message}` : undefined };
  }
  const span: FinishedSpan = {
    traceId: parsed.trace,
    spanId: parsed.span,
    operation: parsed.op,
    component: parsed.comp,
    startMicros: parsed.start,
    durationMicros: parsed.dur,
    tags: parsed.tags ?? {},
    logs: parsed.logs ? parsed.logs.map((entry) => ({ timestampMicros: entry.t, fields: entry.f })) : [],
    baggage: parsed.bag ?? {},
  };
  if (parsed.parent !== undefined) span.parentSpanId = parsed.parent;
  return { ok: true, span, truncated: parsed.trunc === 1 };
}
