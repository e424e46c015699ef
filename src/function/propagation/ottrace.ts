import { isSpanId, isTraceId } from '../../span-line/ids';
import type { CallerIds } from './caller-ids';
import type { FoundHeaders } from './headers';
import type { LogSpanContext } from '../log-span-context';

// LightStep's own header format (lightstep-tracer src/imp/propagator_ls.js, OpenTelemetry's
// "ottrace"), so a span context crosses between a LightStep-traced caller and this function.
export const TRACE_ID_HEADER = 'ot-tracer-traceid';
export const SPAN_ID_HEADER = 'ot-tracer-spanid';
export const SAMPLED_HEADER = 'ot-tracer-sampled';
export const OT_BAGGAGE_PREFIX = 'ot-baggage-';
export const OT_TRACE_HEADERS = [TRACE_ID_HEADER, SPAN_ID_HEADER, SAMPLED_HEADER] as const;

// What Node's http accepts in a header name (an RFC 9110 token) and value (no control characters,
// nothing past Latin-1 is safe): an item outside these would make the application's outgoing
// request throw, and a CR/LF in a value is header injection.
const HEADER_TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const HEADER_VALUE = /^[\t\x20-\x7e]*$/;

/** ot-tracer-* ids (16 or 32 hex, any case); null when one is missing, malformed or zero. */
export function extractOtTrace(headers: FoundHeaders): CallerIds | null {
  const rawTrace = headers.get(TRACE_ID_HEADER);
  const rawSpan = headers.get(SPAN_ID_HEADER);
  if (rawTrace === undefined || rawSpan === undefined) return null;
  const traceId = rawTrace.trim().toLowerCase();
  const spanId = rawSpan.trim().toLowerCase();
  if (!isTraceId(traceId) || !isSpanId(spanId)) return null;
  const sampled = headers.get(SAMPLED_HEADER);
  return { traceId, spanId, sampled: sampled === undefined || !isFalse(sampled.trim()), traceState: '' };
}

/** ot-baggage-<key> items, keys lowercased (they are header names); undefined when there are none. */
export function extractOtBaggage(headers: FoundHeaders): Record<string, string> | undefined {
  let baggage: Record<string, string> | undefined;
  for (const [name, value] of headers) {
    if (name.startsWith(OT_BAGGAGE_PREFIX)) (baggage ??= {})[name.slice(OT_BAGGAGE_PREFIX.length)] = value;
  }
  return baggage;
}

/**
 * ot-tracer-* and ot-baggage-* entries; the trace id as it is (16 or 32 hex, as today). A baggage
 * item that cannot be a header (a W3C baggage key with a space, a value with a newline or
 * non-ASCII text) is left out of ot-baggage-*; W3C `baggage` percent-encodes and carries it.
 */
export function injectOtTrace(context: LogSpanContext, carrier: Record<string, string>): void {
  carrier[TRACE_ID_HEADER] = context.traceId;
  carrier[SPAN_ID_HEADER] = context.spanId;
  // LightStep always writes 'true'; an unsampled trace must stay unsampled downstream.
  carrier[SAMPLED_HEADER] = context.sampled ? 'true' : 'false';
  const baggage = context.baggage;
  for (const key in baggage) {
    const value = baggage[key];
    if (HEADER_TOKEN.test(key) && HEADER_VALUE.test(value)) carrier[OT_BAGGAGE_PREFIX + key] = value;
  }
}

function isFalse(value: string): boolean {
  return value === '0' || value.toLowerCase() === 'false';
}
