import type { FoundHeaders } from './headers';
import type { LogSpanContext } from '../log-span-context';

// W3C Baggage (https://www.w3.org/TR/baggage/): `baggage: key=value;property,key2=value2`,
// keys and values percent-encoded. The limits are the spec's, as OpenTelemetry applies them.
export const BAGGAGE_HEADER = 'baggage';
const MAX_MEMBERS = 180;
const MAX_MEMBER_CHARS = 4096;
const MAX_HEADER_CHARS = 8192;

/**
 * The items of the `baggage` header (every value of a repeated header, joined), properties
 * dropped (OpenTracing baggage is plain strings). A member that is malformed, empty, or not valid
 * percent-encoding is skipped, never an error. Undefined when there are none.
 */
export function extractW3cBaggage(headers: FoundHeaders): Record<string, string> | undefined {
  const value = headers.get(BAGGAGE_HEADER);
  if (value === undefined) return undefined;
  let baggage: Record<string, string> | undefined;
  let members = 0;
  let total = 0;
  for (const member of value.split(',')) {
    if (members === MAX_MEMBERS) break;
    if (member.length > MAX_MEMBER_CHARS) continue;
    const item = parseMember(member);
    if (item === undefined) continue;
    total += (members === 0 ? 0 : 1) + member.length;
    if (total > MAX_HEADER_CHARS) break;
    (baggage ??= {})[item[0]] = item[1];
    members++;
  }
  return baggage;
}

/** The context's baggage as one `baggage` header; nothing when it has none. */
export function injectW3cBaggage(context: LogSpanContext, carrier: Record<string, string>): void {
  let header = '';
  let members = 0;
  for (const key in context.baggage) {
    if (members === MAX_MEMBERS) break;
    const member = `${encodeURIComponent(key)}=${encodeURIComponent(context.baggage[key])}`;
    if (member.length > MAX_MEMBER_CHARS) continue;
    const next = header === '' ? member : header + ',' + member;
    if (next.length > MAX_HEADER_CHARS) continue;
    header = next;
    members++;
  }
  if (header !== '') carrier[BAGGAGE_HEADER] = header;
}

function parseMember(member: string): [string, string] | undefined {
  const properties = member.indexOf(';');
  const pair = properties === -1 ? member : member.slice(0, properties);
  const equals = pair.indexOf('=');
  if (equals <= 0) return undefined;
  const rawKey = pair.slice(0, equals).trim();
  const rawValue = pair.slice(equals + 1).trim();
  if (rawKey === '' || rawValue === '') return undefined;
  try {
    return [decodeURIComponent(rawKey), decodeURIComponent(rawValue)];
  } catch {
    return undefined; // a lone '%': not percent-encoding
  }
}
