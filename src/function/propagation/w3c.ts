import { isSpanId, isTraceId } from '../../span-line/ids';
import type { CallerIds } from './caller-ids';
import type { FoundHeaders } from './headers';
import type { LogSpanContext } from '../log-span-context';

// W3C Trace Context (https://www.w3.org/TR/trace-context/): OpenTelemetry's default format.
export const TRACEPARENT_HEADER = 'traceparent';
export const TRACESTATE_HEADER = 'tracestate';

// version-traceid-parentid-flags, all lowercase hex (uppercase is invalid in the spec); a later
// version may append fields after another '-'.
const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;
const SAMPLED_FLAG = 0x01;
const UPPER_HALF_ZERO = '0000000000000000';

// tracestate limits: 32 list members (the spec), 512 characters (what a vendor must propagate at
// least, and what OpenTelemetry keeps).
const MAX_TRACESTATE_MEMBERS = 32;
const MAX_TRACESTATE_CHARS = 512;
const TRACESTATE_KEY = /^(?:[a-z][_0-9a-z\-*/]{0,255}|[a-z0-9][_0-9a-z\-*/]{0,240}@[a-z][_0-9a-z\-*/]{0,13})$/;
const TRACESTATE_VALUE = /^[\x20-\x2b\x2d-\x3c\x3e-\x7e]{0,255}[\x21-\x2b\x2d-\x3c\x3e-\x7e]$/;

/**
 * traceparent, with its tracestate. Null when traceparent is absent or invalid (version ff,
 * version 00 with extra fields, uppercase, all-zero ids), and also when the trace id's lower 64
 * bits are zero: the W3C spec allows that id, but LightStep's wire carries only those 64 bits and
 * refuses the whole report for a zero id, so it is no usable context here (the next format, else
 * a new root, takes over). The spec forbids reading tracestate without a valid traceparent.
 */
export function extractW3c(headers: FoundHeaders): CallerIds | null {
  const value = headers.get(TRACEPARENT_HEADER);
  if (value === undefined) return null;
  const match = TRACEPARENT.exec(value.trim());
  if (match === null) return null;
  const [, version, traceId, spanId, flags, rest] = match;
  if (version === 'ff' || (version === '00' && rest !== undefined)) return null;
  if (!isTraceId(traceId) || !isSpanId(spanId)) return null;
  const sampled = (parseInt(flags, 16) & SAMPLED_FLAG) === SAMPLED_FLAG;
  const traceState = headers.get(TRACESTATE_HEADER);
  return { traceId, spanId, sampled, traceState: traceState === undefined ? '' : cleanTraceState(traceState) };
}

/** traceparent (version 00) and tracestate when there is one. A 64-bit trace id is left-padded with zeros, as OpenTelemetry does. */
export function injectW3c(context: LogSpanContext, carrier: Record<string, string>): void {
  const traceId = context.traceId.length === 16 ? UPPER_HALF_ZERO + context.traceId : context.traceId;
  carrier[TRACEPARENT_HEADER] = `00-${traceId}-${context.spanId}-${context.sampled ? '01' : '00'}`;
  if (context.traceState !== '') carrier[TRACESTATE_HEADER] = context.traceState;
}

/**
 * The members worth passing on, as OpenTelemetry's TraceState keeps them: malformed members
 * dropped, members that would take the header past 512 characters skipped, at most 32. Order
 * kept: it matters (the most recently updated vendor comes first).
 */
function cleanTraceState(raw: string): string {
  let kept = '';
  let members = 0;
  for (const part of raw.split(',')) {
    const member = part.trim();
    const equals = member.indexOf('=');
    if (equals <= 0 || !TRACESTATE_KEY.test(member.slice(0, equals)) || !TRACESTATE_VALUE.test(member.slice(equals + 1))) continue;
    const next = members === 0 ? member : kept + ',' + member;
    if (next.length > MAX_TRACESTATE_CHARS) continue;
    kept = next;
    if (++members === MAX_TRACESTATE_MEMBERS) break;
  }
  return kept;
}
