/** Units and markdown tables for the bench's stdout. */

export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return '–';
  const abs = Math.abs(ms);
  if (abs < 0.001) return `${(ms * 1e6).toFixed(0)} ns`;
  if (abs < 1) return `${(ms * 1000).toFixed(abs < 0.01 ? 2 : abs < 0.1 ? 1 : 0)} µs`;
  if (abs < 10) return `${ms.toFixed(2)} ms`;
  if (abs < 1000) return `${ms.toFixed(1)} ms`;
  return `${(ms / 1000).toFixed(2)} s`;
}

export const formatNs = (ns: number): string => formatMs(ns / 1e6);

export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return '–';
  const abs = Math.abs(bytes);
  if (abs < 10_000) return `${Math.round(bytes)} B`;
  if (abs < 10 * 1024 * 1024) return `${(bytes / 1024).toFixed(0)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

export function formatRate(perSecond: number, unit: string): string {
  return `${Math.round(perSecond).toLocaleString('en-US')} ${unit}/s`;
}

export function formatDollars(dollars: number): string {
  if (!Number.isFinite(dollars)) return '–';
  if (dollars === 0) return '$0';
  if (Math.abs(dollars) < 0.001) return `$${dollars.toExponential(1)}`;
  if (Math.abs(dollars) < 1) return `$${dollars.toFixed(3)}`;
  return `$${dollars.toFixed(2)}`;
}

export function ratio(a: number, b: number): string {
  return Number.isFinite(a / b) ? `× ${(a / b).toFixed(a / b < 10 ? 2 : 1)}` : '–';
}

/** A markdown table; columns whose header ends with ':' are right-aligned (the colon is dropped). */
export function table(headers: string[], rows: Array<Array<string | number>>): string {
  const right = headers.map((h) => h.endsWith(':'));
  const names = headers.map((h) => (h.endsWith(':') ? h.slice(0, -1) : h));
  const lines = [`| ${names.join(' | ')} |`, `|${right.map((r) => (r ? '---:' : '---')).join('|')}|`];
  for (const row of rows) lines.push(`| ${row.map(String).join(' | ')} |`);
  return lines.join('\n');
}
