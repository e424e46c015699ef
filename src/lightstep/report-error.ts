import { MIN_REDACTABLE_SECRET_CHARS, textWithoutSecrets } from '../common/redact';

/**
 * A report that did not reach the collector. Its message is built only from what cannot hold
 * the access token (the collector URL, the status line, Node's network error text) plus outside
 * text passed through `textWithoutToken`; request headers never go into it.
 * `code` keeps Node's error code (ECONNREFUSED, ECONNRESET, ETIMEDOUT …) for callers that log it.
 */
export class ReportError extends Error {
  override readonly name = 'ReportError';
  readonly code: string | undefined;

  constructor(message: string, code?: string) {
    super(message);
    this.code = code;
  }
}

/** Tokens shorter than this are not searched for in outside text (see textWithoutSecrets). */
export const MIN_REDACTABLE_TOKEN_CHARS = MIN_REDACTABLE_SECRET_CHARS;

/**
 * Outside text that may echo the token (a collector's or proxy's body, a serializer's message):
 * exact occurrences of the token replaced by [redacted], or undefined when the token is too short
 * to redact meaningfully and the text must be left out.
 */
export function textWithoutToken(text: string, token: string): string | undefined {
  return textWithoutSecrets(text, [token]);
}

/** What replaces outside text that could not be redacted. */
export const TEXT_NOT_SHOWN = 'text not shown: the access token is too short to redact';

/**
 * Any error from a report, as a ReportError whose message cannot hold the token: the
 * transport's own ReportErrors as they are (token-free by construction), anything else (thrown
 * inside lightstep-tracer) as outside text.
 */
export function toReportError(error: unknown, token: string): ReportError {
  if (error instanceof ReportError) return error;
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  const safe = textWithoutToken(text, token);
  return new ReportError(safe ?? `${error instanceof Error ? error.name : 'error'} (${TEXT_NOT_SHOWN})`);
}
