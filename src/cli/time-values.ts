import { UsageError } from './command-line';

const DURATION = /^(\d+(?:\.\d+)?)(ms|s|m|h|d|w)$/;
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** `500ms`, `2s`, `10m`, `2h`, `1d`, `1w` → milliseconds; undefined when it is not a duration. */
export function durationMs(value: string): number | undefined {
  const match = DURATION.exec(value.trim());
  return match ? Number(match[1]) * UNIT_MS[match[2]] : undefined;
}

/** An option that takes a duration, e.g. `--wait 2s`. */
export function parseDuration(option: string, value: string): number {
  const ms = durationMs(value);
  if (ms === undefined) throw new UsageError(`${option} "${value}" is not a duration like 500ms, 2s or 1m`);
  return ms;
}

/**
 * A point in time, as `aws logs tail --since` takes it: a duration ago (`10m`, `2h`, `1d`, `1w`)
 * or a date (`2026-11-25T04:00:00Z`) → epoch ms.
 */
export function parseTime(option: string, value: string, now = Date.now()): number {
  const ago = durationMs(value);
  if (ago !== undefined) return now - ago;
  const absolute = Date.parse(value);
  if (Number.isNaN(absolute)) throw new UsageError(`${option} "${value}" is neither a duration like 10m/2h/1d nor a date like 2026-11-25T04:00:00Z`);
  return absolute;
}

/** Epoch ms as the value to pass back to --since/--until (ISO 8601, UTC, milliseconds). */
export function timeArgument(epochMs: number): string {
  return new Date(epochMs).toISOString();
}
