import type { CloudWatchLogsEvent } from 'aws-lambda';
import { appendDeadLetter } from './dead-letter';

/** A forwarder invocation: the real handler's signature. */
export type ForwarderInvoke = (event: CloudWatchLogsEvent) => Promise<unknown>;

export interface AsyncDeliveryOptions {
  invoke: ForwarderInvoke;
  deadLetterPath: string;
  /** Lambda retries a failed asynchronous invocation twice. */
  retries?: number;
  /** Wait before each retry (Lambda waits a minute, then two; locally much shorter). */
  backoffMs?: readonly number[];
  onDeadLetter?: (info: { error: string; attempts: number }) => void;
}

export type DeliveryResult = { delivered: true; attempts: number } | { delivered: false; attempts: number; error: string };

export const DEFAULT_RETRY_BACKOFF_MS = [100, 300] as const;

/**
 * Delivers one subscription event like Lambda's asynchronous invocation: the invocation,
 * up to `retries` retries after a failure, then the event goes to the dead-letter file.
 * Never rejects: nothing is dropped without a trace on disk.
 */
export async function deliverAsync(
  event: CloudWatchLogsEvent,
  meta: { logGroup: string; logStream: string; logEvents: number },
  options: AsyncDeliveryOptions,
): Promise<DeliveryResult> {
  const retries = options.retries ?? 2;
  const backoff = options.backoffMs ?? DEFAULT_RETRY_BACKOFF_MS;
  let lastError = '';
  for (let attempt = 1; attempt <= retries + 1; attempt++) {
    if (attempt > 1) await sleep(backoff[Math.min(attempt - 2, backoff.length - 1)] ?? 0);
    try {
      await options.invoke(event);
      return { delivered: true, attempts: attempt };
    } catch (error) {
      lastError = describe(error);
    }
  }
  const attempts = retries + 1;
  appendDeadLetter(options.deadLetterPath, {
    event,
    error: lastError,
    attempts,
    failedAt: new Date().toISOString(),
    ...meta,
  });
  options.onDeadLetter?.({ error: lastError, attempts });
  return { delivered: false, attempts, error: lastError };
}

function describe(error: unknown): string {
  const e = error as { name?: unknown; message?: unknown } | null;
  if (e && typeof e === 'object' && typeof e.message === 'string') return `${typeof e.name === 'string' ? e.name : 'Error'}: ${e.message}`;
  return String(error);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
