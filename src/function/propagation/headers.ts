/** A header map as API Gateway and Function URLs deliver it: single or multi-value, any case. */
export type HeaderCarrier = Record<string, string | readonly string[] | undefined | null>;

/** The tracing headers found in a carrier: lowercased name → value. */
export type FoundHeaders = ReadonlyMap<string, string>;

/** Which headers the propagation formats read, prepared once for the per-invocation pass. */
export interface HeaderSelection {
  /** Exact lowercase names. */
  readonly names: ReadonlySet<string>;
  /** Comma-separated list headers (tracestate, baggage): every value of a multi-value header counts, joined. */
  readonly lists: ReadonlySet<string>;
  /** Lowercase name prefixes (ot-baggage-): every such header is kept under its full lowercased name. */
  readonly prefixes: readonly string[];
  /**
   * The cheap pre-check, per lowercase first character: a bit per name length (up to 31) a wanted
   * name of that first character has, all bits for a prefix's first character.
   */
  readonly lengthsByFirstChar: Uint32Array;
}

export function selectHeaders(names: readonly string[], lists: readonly string[], prefixes: readonly string[]): HeaderSelection {
  const lengthsByFirstChar = new Uint32Array(128);
  for (const name of [...names, ...lists]) {
    if (name.length > 31) throw new Error(`header name too long for the pre-check: ${name}`);
    lengthsByFirstChar[name.charCodeAt(0)] |= 1 << name.length;
  }
  for (const prefix of prefixes) lengthsByFirstChar[prefix.charCodeAt(0)] = 0xffffffff;
  return { names: new Set([...names, ...lists]), lists: new Set(lists), prefixes, lengthsByFirstChar };
}

/**
 * One pass over the carrier's names, case-insensitively (HTTP APIs and Function URLs lowercase
 * them, REST APIs keep the caller's case). Only names whose first character and length some
 * format wants are lowercased at all: host, user-agent, x-forwarded-for... cost a char-code test. A multi-value header
 * gives its first value, a list header all its values joined with ','. Null when the carrier is
 * not an object or holds none of the headers. Never throws on odd values.
 */
export function findHeaders(carrier: unknown, selection: HeaderSelection): FoundHeaders | null {
  if (carrier === null || typeof carrier !== 'object') return null;
  const headers = carrier as HeaderCarrier;
  let found: Map<string, string> | null = null;
  for (const name in headers) {
    const first = name.charCodeAt(0) | 0x20;
    if (first >= 128 || (selection.lengthsByFirstChar[first] & (1 << Math.min(name.length, 31))) === 0) continue;
    const lower = name.toLowerCase();
    if (!selection.names.has(lower) && !hasPrefix(lower, selection.prefixes)) continue;
    const list = selection.lists.has(lower);
    const value = list ? allValues(headers[name]) : firstValue(headers[name]);
    if (value === undefined) continue;
    found ??= new Map();
    const earlier = found.get(lower);
    // The same header twice in different case: a list grows, a single value keeps the first.
    if (earlier === undefined) found.set(lower, value);
    else if (list) found.set(lower, earlier + ',' + value);
  }
  return found;
}

function hasPrefix(name: string, prefixes: readonly string[]): boolean {
  for (const prefix of prefixes) if (name.length > prefix.length && name.startsWith(prefix)) return true;
  return false;
}

function firstValue(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && typeof value[0] === 'string') return value[0];
  return undefined;
}

function allValues(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (!Array.isArray(value)) return undefined;
  const strings = value.filter((item): item is string => typeof item === 'string');
  return strings.length === 0 ? undefined : strings.join(',');
}
