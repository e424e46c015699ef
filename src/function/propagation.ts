import { isSpanId, isTraceId } from '../span-line/ids';
import { LogSpanContext, NO_BAGGAGE } from './log-span-context';

// LightStep's own header format (lightstep-tracer src/imp/propagator_ls.js), so a span context
// crosses between a LightStep-traced caller and this function in both directions.
const TRACER_PREFIX = 'ot-tracer-';
const BAGGAGE_PREFIX = 'ot-baggage-';
export const TRACE_ID_HEADER = 'ot-tracer-traceid';
export const SPAN_ID_HEADER = 'ot-tracer-spanid';
export const SAMPLED_HEADER = 'ot-tracer-sampled';


/** A header map as API Gateway and Function URLs deliver it: single or multi-value, any case. */
export type HeaderCarrier = Record<string, string | readonly string[] | undefined | null>;

/** Writes the context as ot-tracer-* / ot-baggage-* entries into the carrier. */
export function injectContext(context: LogSpanContext, carrier: unknown): void {
  if (carrier === null || typeof carrier !== 'object') return;
  const target = carrier as Record<string, string>;
  target[TRACE_ID_HEADER] = context.traceId;
  target[SPAN_ID_HEADER] = context.spanId;
  // LightStep always writes 'true'; an unsampled trace must stay unsampled downstream.
  target[SAMPLED_HEADER] = context.sampled ? 'true' : 'false';
  const baggage = context.baggage;
  for (const key in baggage) target[BAGGAGE_PREFIX + key] = baggage[key];
}

/**
 * Reads a context from a header map, names case-insensitive (HTTP APIs and Function URLs
 * lowercase them, REST APIs keep the caller's case), values single or multi (the first counts).
 * Returns null when there is no complete, well-formed context (ids all zero, or a trace id whose
 * lower 64 bits are zero, count as none): the caller starts a new trace.
 * Never throws.
 */
export function extractContext(carrier: unknown): LogSpanContext | null {
  if (carrier === null || typeof carrier !== 'object') return null;
  let traceId: string | undefined;
  let spanId: string | undefined;
  let sampled = true;
  let baggage: Record<string, string> | undefined;
  const headers = carrier as HeaderCarrier;
  for (const name in headers) {
    // Cheap pre-check: most headers (host, user-agent, x-forwarded-*) do not start with o/O.
    const first = name.charCodeAt(0) | 0x20;
    if (first !== 111 /* o */) continue;
    const lower = name.toLowerCase();
    if (lower.startsWith(TRACER_PREFIX)) {
      const value = firstValue(headers[name]);
      if (value === undefined) continue;
      if (lower === TRACE_ID_HEADER) traceId = value.trim().toLowerCase();
      else if (lower === SPAN_ID_HEADER) spanId = value.trim().toLowerCase();
      else if (lower === SAMPLED_HEADER) sampled = !isFalse(value.trim());
    } else if (lower.startsWith(BAGGAGE_PREFIX) && lower.length > BAGGAGE_PREFIX.length) {
      const value = firstValue(headers[name]);
      if (value !== undefined) (baggage ??= {})[lower.slice(BAGGAGE_PREFIX.length)] = value;
    }
  }
  if (traceId === undefined || spanId === undefined) return null;
  // Malformed or zero ids: no context, so a new root trace rather than a report the collector refuses.
  if (!isTraceId(traceId) || !isSpanId(spanId)) return null;
  return new LogSpanContext(traceId, spanId, sampled, baggage ?? NO_BAGGAGE);
}

function firstValue(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && typeof value[0] === 'string') return value[0];
  return undefined;
}

function isFalse(value: string): boolean {
  return value === '0' || value.toLowerCase() === 'false';
}
