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
 * Reads a dead-letter file. A line is one of:
 * - a DeadLetterRecord (the local stack's): the event under `event`;
 * - Lambda's asynchronous-invocation failure record, as the deployed stack's SQS on-failure
 *   destination holds it (`{version, timestamp, requestContext, requestPayload, responseContext,
 *   responsePayload}`): the event under `requestPayload`;
 * - a bare subscription event (`{"awslogs":{"data":…}}`).
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
    const reason = 'no awslogs.data in the line, its event or its requestPayload';
    out.push(event ? { ok: true, lineNumber, raw, event } : { ok: false, lineNumber, raw, reason });
  });
  return out;
}

/** Replaces the file's content with these raw lines (atomically: write, then rename). */
export function rewriteDeadLetters(file: string, rawLines: string[]): void {
  const temporary = `${file}.tmp-${process.pid}`;
  writeFileSync(temporary, rawLines.map((l) => l + '\n').join(''));
  renameSync(temporary, file);
}

/** Where each kind of line keeps the subscription event, in the order they are tried. */
const EVENT_LOCATIONS = [
  (line: Record<string, unknown>) => line,
  (line: Record<string, unknown>) => line.event,
  (line: Record<string, unknown>) => line.requestPayload,
];

function eventOf(parsed: unknown): CloudWatchLogsEvent | undefined {
  if (parsed === null || typeof parsed !== 'object') return undefined;
  for (const locate of EVENT_LOCATIONS) {
    const candidate = locate(parsed as Record<string, unknown>) as { awslogs?: { data?: unknown } } | null | undefined;
    if (typeof candidate?.awslogs?.data === 'string') return candidate as CloudWatchLogsEvent;
  }
  return undefined;
}
