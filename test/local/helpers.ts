import pino from 'pino';
import type { StoredSpan } from '../../src/collector/types';
import { startLocalStack, type LocalStack, type LocalStackOptions } from '../../src/local/stack';
import type { OtGenResponse } from '../../src/service/ot-gen';

/** The local stack on free ports with an in-memory store, quiet. */
export function startTestStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  return startLocalStack({
    ports: { collector: 0, service: 0, function: 0 },
    dbPath: ':memory:',
    logger: pino({ level: 'silent' }),
    retryBackoffMs: [20, 40],
    ...options,
  });
}

export async function otGen(stack: LocalStack, query: string): Promise<OtGenResponse> {
  const response = await fetch(`${stack.urls.service}/ot-gen?${query}`);
  expect(response.status).toBe(200);
  return (await response.json()) as OtGenResponse;
}

/** GET /api/traces/:traceId; [] while the collector has nothing for it. */
export async function fetchTrace(stack: LocalStack, traceId: string): Promise<StoredSpan[]> {
  const response = await fetch(`${stack.urls.collector}/api/traces/${traceId}`);
  if (response.status === 404) return [];
  expect(response.status).toBe(200);
  return ((await response.json()) as { spans: StoredSpan[] }).spans;
}

/**
 * Polls until `done` holds for the value (spans travel through the pipeline asynchronously).
 * The deadline only bounds the wait; the test asserts on what arrived, not on how fast.
 */
export async function pollUntil<T>(read: () => Promise<T>, done: (value: T) => boolean, deadlineMs = 10_000): Promise<T> {
  const deadline = Date.now() + deadlineMs;
  let value = await read();
  while (!done(value) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 25));
    value = await read();
  }
  return value;
}

export const byOperation = (spans: StoredSpan[], operation: string) => spans.filter((s) => s.operation === operation);
