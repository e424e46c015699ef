// The id rules, once: the schema, the function's propagation and its id source all use these.
// 0 is "no id" on LightStep's wire (64-bit ids; a 32-hex trace id keeps its lower half): a
// collector refuses the whole report for it, so a zero id is never a usable id.

/** 16 lowercase hex, not all zeros. */
export const SPAN_ID_PATTERN = '^(?!0{16}$)[0-9a-f]{16}$';
/** 16 or 32 lowercase hex whose lower 64 bits are not all zeros. */
export const TRACE_ID_PATTERN = '^(?:[0-9a-f]{16})?(?!0{16}$)[0-9a-f]{16}$';

const SPAN_ID = new RegExp(SPAN_ID_PATTERN);
const TRACE_ID = new RegExp(TRACE_ID_PATTERN);

export function isSpanId(id: string): boolean {
  return SPAN_ID.test(id);
}

export function isTraceId(id: string): boolean {
  return TRACE_ID.test(id);
}
