/** The outcome of reading /ot-gen's `count`: a call count, or what was wrong with it. */
export type CountResult = { ok: true; count: number } | { ok: false; error: string };

/**
 * Validates `count` before anything is traced: a bad value must cost a 400, not a span storm.
 * `raw` is the query value as Express parsed it (a string, an array when repeated, or absent).
 */
export function parseCount(raw: unknown, maxCount: number): CountResult {
  const range = `an integer from 1 to ${maxCount}`;
  if (raw === undefined || raw === '') return { ok: false, error: `count is required: /ot-gen?count=N with N ${range}` };
  if (typeof raw !== 'string') return { ok: false, error: `count must be given once, as ${range}` };
  const text = raw.trim();
  const value = Number(text);
  if (text === '' || !Number.isFinite(value)) return { ok: false, error: `count must be ${range}, got "${clip(raw)}" (not a number)` };
  if (!Number.isInteger(value) || !/^[+-]?\d+$/.test(text)) {
    return { ok: false, error: `count must be ${range}, got "${clip(raw)}" (not an integer)` };
  }
  if (value < 1) return { ok: false, error: `count must be ${range}, got ${value} (${value === 0 ? 'zero' : 'negative'})` };
  if (value > maxCount) return { ok: false, error: `count must be ${range}, got ${value} (above the maximum ${maxCount})` };
  return { ok: true, count: value };
}

/** Echoes user input into the error bounded, so a huge query string does not come back whole. */
function clip(value: string): string {
  return value.length > 40 ? `${value.slice(0, 40)}…` : value;
}
