import { appendFileSync, mkdirSync, readFileSync, renameSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import type { CloudWatchLogsEvent } from 'aws-lambda';

export const DEFAULT_DEAD_LETTER_PATH = '.local/dead-letter.jsonl';

/** One line of the dead-letter file: the event as the forwarder got it, and why it failed. */
export interface DeadLetterRecord {
  event: CloudWatchLogsEvent;
  error: string;
  attempts: number;
  failedAt: string;
  logGroup?: string;
  logStream?: string;
  logEvents?: number;
}

/**
 * Appends one record as a JSON line. Synchronous on purpose: the record is on disk before the
 * shipper moves on, so a crash right after cannot lose the batch.
 */
export function appendDeadLetter(file: string, record: DeadLetterRecord): void {
  mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  appendFileSync(file, JSON.stringify(record) + '\n');
}

export type DeadLetterLine =
  | { ok: true; lineNumber: number; raw: string; event: CloudWatchLogsEvent }
  | { ok: false; lineNumber: number; raw: string; reason: string };

/**
 * Reads a dead-letter file. A line is a DeadLetterRecord, or a bare subscription event
 * (`{"awslogs":{"data":…}}`, e.g. copied from an SQS dead-letter queue).
 */
export function readDeadLetters(file: string): DeadLetterLine[] {
  if (!existsSync(file)) return [];
  const lines = readFileSync(file, 'utf8').split('\n');
  const out: DeadLetterLine[] = [];
  lines.forEach((raw, index) => {
    if (raw.trim() === '') return;
    const lineNumber = index + 1;
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      out.push({ ok: false, lineNumber, raw, reason: 'not JSON' });
      return;
    }
    const event = eventOf(parsed);
    out.push(event ? { ok: true, lineNumber, raw, event } : { ok: false, lineNumber, raw, reason: 'no awslogs.data in the line' });
  });
  return out;
}

/** Replaces the file's content with these raw lines (atomically: write, then rename). */
export function rewriteDeadLetters(file: string, rawLines: string[]): void {
  const temporary = `${file}.tmp-${process.pid}`;
  writeFileSync(temporary, rawLines.map((l) => l + '\n').join(''));
  renameSync(temporary, file);
}

function eventOf(parsed: unknown): CloudWatchLogsEvent | undefined {
  if (parsed === null || typeof parsed !== 'object') return undefined;
  const record = parsed as { event?: unknown; awslogs?: unknown };
  const candidate = (record.awslogs !== undefined ? record : record.event) as { awslogs?: { data?: unknown } } | undefined;
  return typeof candidate?.awslogs?.data === 'string' ? (candidate as CloudWatchLogsEvent) : undefined;
}
