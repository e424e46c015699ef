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
/** A JSON escape of a surrogate (a pair is two of them; a lone one is found by toWellFormed). */
const LONE_SURROGATE_ESCAPE = /\\u[dD][89a-fA-F]/;

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
  // UTF-8 cannot carry a lone surrogate (an escape like \ud800, or a raw one): protobuf's encoder
  // drops or mangles it, and a collector that checks UTF-8 refuses the whole report for it.
  const fields = LONE_SURROGATE_ESCAPE.test(line) || !isWellFormed(line) ? (wellFormed(parsed) as typeof parsed) : parsed;
  const span: FinishedSpan = {
    traceId: fields.trace,
    spanId: fields.span,
    operation: fields.op,
    component: fields.comp,
    startMicros: fields.start,
    durationMicros: fields.dur,
    tags: fields.tags ?? {},
    logs: fields.logs ? fields.logs.map((entry) => ({ timestampMicros: entry.t, fields: entry.f })) : [],
    baggage: fields.bag ?? {},
  };
  if (fields.parent !== undefined) span.parentSpanId = fields.parent;
  return { ok: true, span, truncated: fields.trunc === 1 };
}

// ES2024 string methods (Node 20 has them; the project's lib is ES2022).
type WellFormedString = string & { isWellFormed(): boolean; toWellFormed(): string };
const isWellFormed = (text: string): boolean => (text as WellFormedString).isWellFormed();

/** The parsed line with every string and key's lone surrogates replaced by U+FFFD. */
function wellFormed(value: unknown): unknown {
  if (typeof value === 'string') return (value as WellFormedString).toWellFormed();
  if (Array.isArray(value)) return value.map(wellFormed);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    // defineProperty: a key '__proto__' stays a key.
    Object.defineProperty(out, (key as WellFormedString).toWellFormed(), { value: wellFormed(item), enumerable: true, writable: true, configurable: true });
  }
  return out;
}
