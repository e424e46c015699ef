// When an OTLP/HTTP export is tried again, as the specification says: 429, 502, 503 and 504 are
// retryable (throttling honours Retry-After), with exponential backoff and jitter; 400 and every
// other answer are not. A connection that failed before any answer is retried too.

/** Backoff as the OpenTelemetry JS exporters do it. */
export interface RetryPolicy {
  maxAttempts: number;
  initialBackoffMs: number;
  maxBackoffMs: number;
  multiplier: number;
  /** ±this fraction of each wait, at random: clients throttled together do not retry together. */
  jitter: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 5, initialBackoffMs: 1000, maxBackoffMs: 5000, multiplier: 1.5, jitter: 0.2 };

export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([429, 502, 503, 504]);

/** Node's codes for a request that never got an answer and may well get one next time. */
const RETRYABLE_NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNABORTED']);

export function isRetryableStatus(status: number): boolean {
  return RETRYABLE_STATUSES.has(status);
}

export function isRetryableNetworkError(code: string | undefined): boolean {
  return code !== undefined && RETRYABLE_NETWORK_CODES.has(code);
}

/**
 * Retry-After in milliseconds: delta-seconds or an HTTP-date (RFC 9110); undefined when absent or
 * unreadable (the backoff applies then).
 */
export function retryAfterMs(header: string | string[] | undefined, nowMs: number): number | undefined {
  const value = (Array.isArray(header) ? header[0] : header)?.trim();
  if (value === undefined || value === '') return undefined;
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}

/** The wait before attempt `attempt + 1` (attempt counts from 1). */
export function backoffMs(policy: RetryPolicy, attempt: number, random: () => number = Math.random): number {
  const base = Math.min(policy.maxBackoffMs, policy.initialBackoffMs * policy.multiplier ** (attempt - 1));
  return Math.max(0, Math.round(base * (1 + policy.jitter * (2 * random() - 1))));
}
