// The id rules, once: the schema, the function's propagation and its id source all use these.
// 0 is "no id" on LightStep's wire (64-bit ids; a 32-hex trace id keeps its lower half): a
// collector refuses the whole report for it, so a zero id is never a usable id.

/** 16 lowercase hex, not all zeros (what isSpanId checks, as a regular expression). */
export const SPAN_ID_PATTERN = '^(?!0{16}$)[0-9a-f]{16}$';
/** 16 or 32 lowercase hex whose lower 64 bits are not all zeros (what isTraceId checks). */
export const TRACE_ID_PATTERN = '^(?:[0-9a-f]{16})?(?!0{16}$)[0-9a-f]{16}$';

/** The schemas' names for the two checks (ajv formats: the span line's hot path). */
export const SPAN_ID_FORMAT = 'span-id';
export const TRACE_ID_FORMAT = 'trace-id';

const ZERO = 48; // '0'
/** 1 for the char codes of lowercase hex digits. */
const LOWER_HEX = new Uint8Array(128);
for (const digit of '0123456789abcdef') LOWER_HEX[digit.charCodeAt(0)] = 1;

/**
 * Whether id[from, from + 16) is lowercase hex, and (`nonZero`) not all '0'. A loop instead of
 * the pattern: a RegExp test costs ~100 ns here, more than the rest of a span's schema check.
 */
function hex16(id: string, from: number, nonZero: boolean): boolean {
  let notZero = 0;
  for (let i = from; i < from + 16; i++) {
    const code = id.charCodeAt(i);
    if (code > 127 || LOWER_HEX[code] === 0) return false;
    notZero |= code ^ ZERO;
  }
  return !nonZero || notZero !== 0;
}

export function isSpanId(id: string): boolean {
  return typeof id === 'string' && id.length === 16 && hex16(id, 0, true);
}

export function isTraceId(id: string): boolean {
  if (typeof id !== 'string') return false;
  if (id.length === 16) return hex16(id, 0, true);
  return id.length === 32 && hex16(id, 0, false) && hex16(id, 16, true);
}
