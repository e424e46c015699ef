import { unlinkSync } from 'node:fs';
import type { ForwarderInvoke } from './async-delivery';
import { readDeadLetters, rewriteDeadLetters } from './dead-letter';

export interface ReplaySummary {
  /** Non-empty lines in the file. */
  lines: number;
  replayed: number;
  failed: number;
  /** Lines that hold no subscription event (kept in the file, never dropped). */
  unreadable: number;
  /** Spans the forwarder reported as forwarded, over the replayed lines. */
  spansForwarded: number;
  problems: Array<{ lineNumber: number; error: string }>;
  /** Lines left in the file afterwards (failed + unreadable; all of them with `keep`). */
  remaining: number;
}

/**
 * Feeds every dead-letter line to the forwarder, one at a time and in order. Lines that were
 * delivered leave the file; failed and unreadable lines stay, so a replay can be repeated
 * without sending a span twice and without losing one.
 */
export async function replayDeadLetters(
  file: string,
  invoke: ForwarderInvoke,
  options: { keep?: boolean; onProgress?: (done: number, total: number) => void } = {},
): Promise<ReplaySummary> {
  const entries = readDeadLetters(file);
  const summary: ReplaySummary = { lines: entries.length, replayed: 0, failed: 0, unreadable: 0, spansForwarded: 0, problems: [], remaining: 0 };
  const keepLines: string[] = [];
  for (const entry of entries) {
    if (!entry.ok) {
      summary.unreadable++;
      summary.problems.push({ lineNumber: entry.lineNumber, error: entry.reason });
      keepLines.push(entry.raw);
      options.onProgress?.(summary.replayed + summary.failed + summary.unreadable, entries.length);
      continue;
    }
    try {
      const result = (await invoke(entry.event)) as { forwarded?: unknown } | undefined;
      summary.replayed++;
      if (typeof result?.forwarded === 'number') summary.spansForwarded += result.forwarded;
    } catch (error) {
      summary.failed++;
      summary.problems.push({ lineNumber: entry.lineNumber, error: (error as Error)?.message ?? String(error) });
      keepLines.push(entry.raw);
    }
    options.onProgress?.(summary.replayed + summary.failed + summary.unreadable, entries.length);
  }
  if (options.keep || entries.length === 0) {
    summary.remaining = entries.length;
    return summary;
  }
  summary.remaining = keepLines.length;
  if (keepLines.length > 0) rewriteDeadLetters(file, keepLines);
  else unlinkSync(file);
  return summary;
}
