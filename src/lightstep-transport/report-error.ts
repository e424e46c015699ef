/**
 * A report that did not reach the collector. The message names the URL and what went wrong and
 * never the access token: a collector (or proxy) that echoes the token in its body is redacted.
 * `code` keeps Node's error code (ECONNREFUSED, ECONNRESET, ETIMEDOUT …) for callers that log it.
 */
export class ReportError extends Error {
  override readonly name = 'ReportError';
  readonly code: string | undefined;

  constructor(message: string, token: string, code?: string) {
    super(redactToken(message, token));
    this.code = code;
  }
}

export function redactToken(text: string, token: string): string {
  return token === '' ? text : text.split(token).join('[redacted]');
}
