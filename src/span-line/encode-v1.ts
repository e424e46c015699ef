import { capSpan, hasKeys, micros } from './caps';
import { LIMITS, SPAN_LINE_V1_PREFIX } from './format';
import type { SpanToEncode, SpanValue } from './span';

// Prepared once: every line starts with the prefix and the version (pino's own trick of a
// ready-made `{"level":30` prefix).
const HEAD = `${SPAN_LINE_V1_PREFIX}1,"op":`;

/**
 * Turns one finished span into one version-1 span line (no trailing newline). The function writes
 * version 2; this stays to write the old lines the decoder must keep reading (tests, bench).
 */
export function encodeSpanLineV1(span: SpanToEncode): string {
  const { op, comp, tags, error, logs, bag, truncated } = capSpan(span);
  const names = { operation: op, component: comp };
  let line = assemble(span, names, tags, logs, bag, truncated);
  if (line.length > LIMITS.maxLineCharsV1) {
    // Still too large after per-value caps: keep the identity and timing, drop what is bulky.
    const kept: Record<string, SpanValue> = {};
    if (error !== undefined) kept.error = error;
    line = assemble(span, names, kept, undefined, undefined, true);
  }
  return line;
}

function assemble(
  span: SpanToEncode,
  names: { operation: string; component: string },
  tags: Record<string, SpanValue> | undefined,
  logs: Array<{ t: number; f: Record<string, SpanValue> }> | undefined,
  baggage: Record<string, string> | undefined,
  truncated: boolean,
): string {
  let line =
    HEAD +
    JSON.stringify(names.operation) +
    ',"dur":' +
    micros(span.durationMicros) +
    ',"comp":' +
    JSON.stringify(names.component) +
    ',"trace":"' +
    span.traceId +
    '","span":"' +
    span.spanId +
    '"';
  if (span.parentSpanId !== undefined) line += ',"parent":"' + span.parentSpanId + '"';
  line += ',"start":' + micros(span.startMicros);
  if (tags !== undefined && hasKeys(tags)) line += ',"tags":' + JSON.stringify(tags);
  if (logs !== undefined && logs.length > 0) line += ',"logs":' + JSON.stringify(logs);
  if (baggage !== undefined) line += ',"bag":' + JSON.stringify(baggage);
  if (truncated) line += ',"trunc":1';
  return line + '}';
}
