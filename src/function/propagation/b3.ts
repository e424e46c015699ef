import { isSpanId, isTraceId } from '../../span-line/ids';
import type { CallerIds } from './caller-ids';
import type { FoundHeaders } from './headers';
import type { LogSpanContext } from '../log-span-context';

// B3 (https://github.com/openzipkin/b3-propagation), single header and multi header: Zipkin's
// format, and OpenTelemetry's "b3" / "b3multi". Trace ids are 64 or 128 bits (16 or 32 hex).
export const B3_HEADER = 'b3';
export const B3_TRACE_ID_HEADER = 'x-b3-traceid';
export const B3_SPAN_ID_HEADER = 'x-b3-spanid';
export const B3_SAMPLED_HEADER = 'x-b3-sampled';
export const B3_FLAGS_HEADER = 'x-b3-flags';
export const B3_HEADERS = [B3_HEADER, B3_TRACE_ID_HEADER, B3_SPAN_ID_HEADER, B3_SAMPLED_HEADER, B3_FLAGS_HEADER] as const;

// {TraceId}-{SpanId}[-{SamplingState}[-{ParentSpanId}]]; the parent span id is not needed here.
const B3_SINGLE = /^((?:[0-9a-f]{16}){1,2})-([0-9a-f]{16})(?:-([01d])(?:-[0-9a-f]{16})?)?$/;

/**
 * `b3: {trace}-{span}[-{0|1|d}[-{parent}]]`, any case. Sampling `0` is a deny; `1`, `d` (debug) and
 * absent (defer: this tracer records what it is given) are sampled. Null when malformed or zero.
 */
export function extractB3Single(headers: FoundHeaders): CallerIds | null {
  const value = headers.get(B3_HEADER);
  if (value === undefined) return null;
  const match = B3_SINGLE.exec(value.trim().toLowerCase());
  if (match === null) return null;
  const [, traceId, spanId, sampling] = match;
  if (!isTraceId(traceId) || !isSpanId(spanId)) return null;
  return { traceId, spanId, sampled: sampling !== '0', traceState: '' };
}

/**
 * x-b3-traceid / x-b3-spanid / x-b3-sampled (1, 0, true, false) / x-b3-flags (1 = debug, which
 * means sampled). Null when an id is missing, malformed or zero, or x-b3-sampled is neither (as
 * OpenTelemetry's B3MultiPropagator refuses it).
 */
export function extractB3Multi(headers: FoundHeaders): CallerIds | null {
  const rawTrace = headers.get(B3_TRACE_ID_HEADER);
  const rawSpan = headers.get(B3_SPAN_ID_HEADER);
  if (rawTrace === undefined || rawSpan === undefined) return null;
  const traceId = rawTrace.trim().toLowerCase();
  const spanId = rawSpan.trim().toLowerCase();
  if (!isTraceId(traceId) || !isSpanId(spanId)) return null;
  const sampled = multiSampled(headers);
  return sampled === undefined ? null : { traceId, spanId, sampled, traceState: '' };
}

/**
 * B3 lets a caller send a sampling decision alone: `b3: 0`, or `x-b3-sampled: 0` without ids.
 * True for such a deny: the invocation must record nothing, though there are no ids to join.
 */
export function b3DeniesWithoutIds(headers: FoundHeaders): boolean {
  const single = headers.get(B3_HEADER);
  if (single !== undefined) return single.trim() === '0';
  return headers.get(B3_TRACE_ID_HEADER) === undefined && multiSampled(headers) === false;
}

/** `b3: {trace}-{span}-{1|0}`, as OpenTelemetry's B3SinglePropagator writes it. */
export function injectB3Single(context: LogSpanContext, carrier: Record<string, string>): void {
  carrier[B3_HEADER] = `${context.traceId}-${context.spanId}-${context.sampled ? '1' : '0'}`;
}

/** x-b3-traceid, x-b3-spanid, x-b3-sampled (1 or 0). */
export function injectB3Multi(context: LogSpanContext, carrier: Record<string, string>): void {
  carrier[B3_TRACE_ID_HEADER] = context.traceId;
  carrier[B3_SPAN_ID_HEADER] = context.spanId;
  carrier[B3_SAMPLED_HEADER] = context.sampled ? '1' : '0';
}

/** true/false from x-b3-flags and x-b3-sampled; true when neither is there (defer); undefined for a value B3 does not know. */
function multiSampled(headers: FoundHeaders): boolean | undefined {
  if (headers.get(B3_FLAGS_HEADER)?.trim() === '1') return true; // debug implies accept
  const raw = headers.get(B3_SAMPLED_HEADER);
  if (raw === undefined) return true;
  const value = raw.trim().toLowerCase();
  if (value === '1' || value === 'true') return true;
  if (value === '0' || value === 'false') return false;
  return undefined;
}
