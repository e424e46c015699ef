import { gzipSync } from 'node:zlib';
import { KeptAliveSockets, postBody, type PostHeaders, type PostResult, type PostTarget } from '../common/http-post';
import { textWithoutSecrets } from '../common/redact';
import { backoffMs, DEFAULT_RETRY_POLICY, isRetryableNetworkError, isRetryableStatus, retryAfterMs, type RetryPolicy } from './retry';
import { describeOtlpUrl, type OtlpTarget } from './target';
import { deserializeOtlpResponse } from './wire/encode';

/** How much of a refusing collector's body goes into the error. */
const BODY_EXCERPT_CHARS = 200;
/** An attempt needs at least this long before the deadline to be worth starting. */
const MIN_ATTEMPT_MS = 100;

const CONTENT_TYPES = { 'http/protobuf': 'application/x-protobuf', 'http/json': 'application/json' } as const;

/** An export that did not get through. Its message names the endpoint and never a header value. */
export class OtlpExportError extends Error {
  override readonly name = 'OtlpExportError';

  constructor(
    message: string,
    /** The last HTTP status, when there was an answer. */
    readonly status?: number,
    readonly attempts = 1,
  ) {
    super(message);
  }
}

/** What a delivered export came back with: a partial success's rejected spans, else 0. */
export interface ExportOutcome {
  rejectedSpans: number;
  /** The collector's reason for rejecting them (header values redacted), '' when none. */
  rejectionMessage: string;
  attempts: number;
}

export interface OtlpHttpClientOptions {
  retry?: RetryPolicy;
  /** Test seams. */
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

/**
 * POSTs ExportTraceServiceRequest bodies to one OTLP/HTTP endpoint over kept-alive sockets:
 * gzip when configured, the configured headers, retries as the specification says (429, 502,
 * 503, 504 and lost connections, with backoff and Retry-After) until the deadline, never a retry
 * after any other answer. Errors are built from the endpoint, the status line and redacted
 * outside text only: header values never appear in them.
 */
export class OtlpHttpClient {
  readonly endpoint: string;
  private readonly target: PostTarget;
  private readonly secrets: string[];
  private readonly requestHeaders: PostHeaders;
  private readonly policy: RetryPolicy;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;
  private sockets: KeptAliveSockets | undefined;

  constructor(
    private readonly otlp: OtlpTarget,
    options: OtlpHttpClientOptions = {},
  ) {
    const url = new URL(otlp.url);
    this.endpoint = describeOtlpUrl(otlp.url);
    const tls = url.protocol === 'https:';
    this.target = { tls, host: url.hostname.replace(/^\[(.*)\]$/, '$1'), port: Number(url.port || (tls ? 443 : 80)), path: `${url.pathname}${url.search}` };
    // The query string may carry a key as well: redacted like a header value.
    this.secrets = [...Object.values(otlp.headers), ...(url.search.length > 1 ? [url.search.slice(1)] : [])];
    this.requestHeaders = {
      ...otlp.headers,
      'Content-Type': CONTENT_TYPES[otlp.protocol],
      'User-Agent': 'lambda-log-tracing-forwarder',
      ...(otlp.compression === 'gzip' ? { 'Content-Encoding': 'gzip' } : {}),
    };
    this.policy = options.retry ?? DEFAULT_RETRY_POLICY;
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.random = options.random ?? Math.random;
  }

  /**
   * Sends one request body, retrying what may succeed later, until `deadlineMs` (epoch ms; the
   * export timeout from now when absent, and never later than that). Rejects with an
   * OtlpExportError.
   */
  async send(request: Uint8Array, deadlineMs?: number): Promise<ExportOutcome> {
    const started = this.now();
    const deadline = Math.min(started + this.otlp.timeoutMillis, deadlineMs ?? Infinity);
    const body = this.otlp.compression === 'gzip' ? gzipSync(request) : Buffer.from(request.buffer, request.byteOffset, request.byteLength);
    for (let attempt = 1; ; attempt++) {
      const remaining = deadline - this.now();
      if (remaining < MIN_ATTEMPT_MS) throw new OtlpExportError(`OTLP export to ${this.endpoint}: no time left before the deadline${attempt > 1 ? ` after ${attempt - 1} attempts` : ''}`, undefined, attempt - 1);
      const result = await this.post(body, remaining);
      const verdict = this.judge(result, attempt);
      if (verdict.done) return verdict.outcome;
      if (!verdict.retry || attempt >= this.policy.maxAttempts) throw new OtlpExportError(`${verdict.message}${attempt > 1 ? ` (after ${attempt} attempts)` : ''}`, verdict.status, attempt);
      const wait = verdict.waitMs ?? backoffMs(this.policy, attempt, this.random);
      if (this.now() + wait + MIN_ATTEMPT_MS > deadline) {
        const reason = deadlineMs !== undefined && deadlineMs <= started + this.otlp.timeoutMillis ? "the invocation's deadline" : 'the export timeout';
        throw new OtlpExportError(`${verdict.message}; not retried after ${attempt} attempt${attempt === 1 ? '' : 's'}: waiting ${wait} ms would pass ${reason}`, verdict.status, attempt);
      }
      await this.sleep(wait);
    }
  }

  /** Frees the kept-alive sockets (a later send opens new ones). */
  close(): void {
    this.sockets?.close();
    this.sockets = undefined;
  }

  private post(body: Buffer, timeoutMs: number): Promise<PostResult> {
    const sockets = (this.sockets ??= new KeptAliveSockets(this.target));
    const once = (): Promise<PostResult> => new Promise((resolve) => postBody(this.target, sockets, this.requestHeaders, body, timeoutMs, resolve));
    // A kept-alive socket can die while Lambda has the process frozen: one resend on a fresh one.
    return once().then((result) => (!result.ok && result.staleSocket ? once() : result));
  }

  private judge(
    result: PostResult,
    attempt: number,
  ): { done: true; outcome: ExportOutcome } | { done: false; retry: boolean; message: string; status?: number; waitMs?: number } {
    const where = `OTLP export to ${this.endpoint}`;
    if (!result.ok) {
      // Node's network errors name the address and the failed step, never a header.
      return { done: false, retry: isRetryableNetworkError(result.error.code), message: `${where}: ${result.error.message}` };
    }
    const { statusCode } = result;
    if (statusCode >= 200 && statusCode < 300) {
      let partial = { rejectedSpans: 0, errorMessage: '' };
      try {
        partial = deserializeOtlpResponse(result.body, this.otlp.protocol);
      } catch {
        // A 2xx is a success whatever its body says (the OpenTelemetry exporters agree).
      }
      return { done: true, outcome: { rejectedSpans: partial.rejectedSpans, rejectionMessage: this.safe(partial.errorMessage), attempts: attempt } };
    }
    const status = `${statusCode} ${result.statusMessage}`.trim();
    const excerpt = this.excerpt(result.body);
    const message = `${where} answered ${status}${excerpt}`;
    if (!isRetryableStatus(statusCode)) return { done: false, retry: false, message, status: statusCode };
    return { done: false, retry: true, message, status: statusCode, waitMs: retryAfterMs(result.headers['retry-after'], this.now()) };
  }

  /** A refusing body (text, JSON, or a protobuf google.rpc.Status) as a short readable excerpt. */
  private excerpt(body: Buffer): string {
    // Printable runs only: a protobuf Status is field tags around its message text.
    const text = body.toString('utf8').replace(/[^\P{C}\t ]+/gu, ' ').replace(/\s+/g, ' ').trim();
    if (text === '') return '';
    // Redacted before it is cut, or a secret straddling the cut would leave its first part behind.
    const safe = textWithoutSecrets(text, this.secrets);
    if (safe === undefined) return ' (text not shown: a header value is too short to redact)';
    return `: ${safe.slice(0, BODY_EXCERPT_CHARS)}`;
  }

  private safe(text: string): string {
    if (text === '') return '';
    return textWithoutSecrets(text, this.secrets)?.slice(0, BODY_EXCERPT_CHARS) ?? '(text not shown: a header value is too short to redact)';
  }
}
