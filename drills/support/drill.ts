import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** `small` runs inside `npm test`; `full` is `npm run drill` (the sizes issue 13 names). */
export type DrillSize = 'small' | 'full';

/** A figure as the drill measured it: counts, rates, durations, or a short text. */
export type Figure = number | string | boolean;

export interface DrillResult {
  drill: string;
  size: DrillSize;
  /** What the drill measured; tests assert on the counts, never on speed. */
  figures: Record<string, Figure>;
  /** Every error message the drill saw (dead-letter records, rejections, CLI output): the secrets check reads them. */
  errors: string[];
  durationMs: number;
}

export interface DrillContext {
  /** The distinctive access token every target of the run uses; it must never come back out. */
  token: string;
  /** A distinctive OTLP header value (the OTLP sinks send it); it must never come back out either. */
  otlpHeader: string;
  /** Where the drill leaves what the secrets check reads: store dumps, SQLite files, pages, CLI output, dead letters. */
  artifactDir: string;
}

/** A context for running one drill by hand (a fresh artifact folder, a generated token). */
export function defaultContext(): DrillContext {
  const artifactDir = mkdtempSync(path.join(os.tmpdir(), 'drill-'));
  return { token: `drill-token-${randomBytes(12).toString('hex')}`, otlpHeader: `drill-otlp-header-${randomBytes(12).toString('hex')}`, artifactDir };
}

/** A folder of its own for one drill's artifacts. */
export function drillDir(context: DrillContext, drill: string): string {
  const dir = path.join(context.artifactDir, drill);
  mkdirSync(dir, { recursive: true });
  return dir;
}

export function writeArtifact(dir: string, name: string, content: string | Buffer): void {
  writeFileSync(path.join(dir, name), content);
}

/** Runs `body`, timing it, into a DrillResult. */
export async function measure(
  drill: string,
  size: DrillSize,
  body: (result: DrillResult) => Promise<void>,
): Promise<DrillResult> {
  const result: DrillResult = { drill, size, figures: {}, errors: [], durationMs: 0 };
  const started = performance.now();
  await body(result);
  result.durationMs = Math.round(performance.now() - started);
  return result;
}

export function percentile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The invariants a drill checks, as a list of what went wrong (empty when all held): `rules`
 * name a figure, what it must satisfy and what it means when it does not.
 */
export function unmet(result: DrillResult, rules: ReadonlyArray<[figure: string, holds: (value: number) => boolean, meaning: string]>): string[] {
  const out: string[] = [];
  if ('crashed' in result.figures) out.push(`the drill crashed: ${String(result.figures.crashed)}`);
  for (const [figure, holds, meaning] of rules) {
    const value = result.figures[figure];
    if (typeof value !== 'number') out.push(`${figure}: missing`);
    else if (!holds(value)) out.push(`${meaning} (${figure}: ${value})`);
  }
  return out;
}

export const zero = (value: number) => value === 0;
export const positive = (value: number) => value > 0;
