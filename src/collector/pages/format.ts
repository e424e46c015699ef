// Small display helpers shared by the pages.

/** 1234 µs → "1.23 ms"; picks µs, ms, s or min so a number has at most ~3 significant digits. */
export function formatDuration(micros: number): string {
  if (micros === 0) return '0';
  if (micros < 1000) return `${Math.round(micros)} µs`;
  if (micros < 1_000_000) return `${trim(micros / 1000)} ms`;
  if (micros < 60_000_000) return `${trim(micros / 1_000_000)} s`;
  return `${trim(micros / 60_000_000)} min`;
}

function trim(n: number): string {
  return n >= 100 ? n.toFixed(0) : n >= 10 ? n.toFixed(1) : n.toFixed(2);
}

/** How long ago, coarse: "just now", "12 s ago", "5 min ago", "3 h ago", "2 d ago". */
export function formatAge(startMicros: number, nowMicros: number): string {
  const seconds = Math.floor((nowMicros - startMicros) / 1_000_000);
  if (seconds < 2) return 'just now';
  if (seconds < 60) return `${seconds} s ago`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)} h ago`;
  return `${Math.floor(seconds / 86_400)} d ago`;
}

/** Microseconds since the epoch → "2024-05-01 12:34:56.789 UTC". */
export function formatTimestamp(micros: number): string {
  return new Date(Math.floor(micros / 1000)).toISOString().replace('T', ' ').replace('Z', ' UTC');
}

// Distinct, readable under white text, and none of them red: red means error on these pages.
// (Ordered so the demo's node-service and lambda_function land on blue and orange.)
const PALETTE = ['#0e9aa7', '#16a34a', '#8b5cf6', '#a16207', '#0f766e', '#2f6fdf', '#c2418f', '#5b6ee1', '#64748b', '#ea7a12'];

/**
 * A colour per component that stays the same across pages and restarts: the name's FNV-1a hash
 * picks from a fixed palette, so the same service always has the same colour.
 */
export function componentColor(component: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < component.length; i++) {
    hash ^= component.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return PALETTE[hash % PALETTE.length];
}
