import type { Request, RequestHandler, Response } from 'express';
import { FORMAT_HTTP_HEADERS, type Span, type Tracer } from 'opentracing';
import { parseCount } from './count';

export interface OtGenOptions {
  tracer: Tracer;
  lambdaUrl: string;
  maxCount: number;
  /** Reports the finished spans; resolves whether that worked. */
  flush: () => Promise<boolean>;
  /** The trace page for a trace id, or null when there is none (e.g. reporting to LightStep). */
  traceUrl: (traceId: string) => string | null;
  /** Per-call timeout for the function call. */
  callTimeoutMs?: number;
}

export interface CallResult {
  call: number;
  ok: boolean;
  /** The function's HTTP status; absent when the call never got a response. */
  status?: number;
  error?: string;
  durationMs: number;
}

export interface OtGenResponse {
  traceId: string;
  traceUrl: string | null;
  count: number;
  calls: CallResult[];
  failedCalls: number;
  /** Whether the service's spans reached the collector when the response was sent. */
  reported: boolean;
}

const DEFAULT_CALL_TIMEOUT_MS = 30_000;

/**
 * GET /ot-gen?count=N[&fail=1] — the article's span generator: a `router` span with one
 * `service-egress` child per call to the function, made concurrently, context in the headers.
 */
export function otGenHandler(options: OtGenOptions): RequestHandler {
  const { tracer, lambdaUrl, maxCount, flush, traceUrl } = options;
  const callTimeoutMs = options.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS;

  return async (req: Request, res: Response) => {
    const parsed = parseCount(req.query.count, maxCount);
    if (!parsed.ok) {
      res.status(400).json({ error: parsed.error });
      return;
    }
    const fail = isTruthyFlag(req.query.fail);
    const router = tracer.startSpan('router', {
      tags: { 'span.kind': 'server', 'http.method': req.method, 'http.url': req.originalUrl, 'ot-gen.count': parsed.count },
    });
    const calls = await Promise.all(
      Array.from({ length: parsed.count }, (_, call) =>
        callFunction({ tracer, parent: router, lambdaUrl, call, count: parsed.count, fail, callTimeoutMs }),
      ),
    );
    const failedCalls = calls.filter((c) => !c.ok).length;
    router.setTag('ot-gen.failed_calls', failedCalls);
    // The parent ends once every child has: its bar spans the whole fan-out.
    router.finish();
    const reported = await flush();
    const traceId = router.context().toTraceId();
    const body: OtGenResponse = { traceId, traceUrl: traceUrl(traceId), count: parsed.count, calls, failedCalls, reported };
    res.json(body);
  };
}

interface CallOptions {
  tracer: Tracer;
  parent: Span;
  lambdaUrl: string;
  call: number;
  count: number;
  fail: boolean;
  callTimeoutMs: number;
}

/** One traced POST to the function. Never rejects: a failure is recorded on the span and returned. */
async function callFunction(o: CallOptions): Promise<CallResult> {
  const span = o.tracer.startSpan('service-egress', {
    childOf: o.parent,
    tags: { 'span.kind': 'client', 'http.method': 'POST', 'http.url': o.lambdaUrl, 'ot-gen.call': o.call },
  });
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  o.tracer.inject(span.context(), FORMAT_HTTP_HEADERS, headers);
  const payload: Record<string, unknown> = { call: o.call, count: o.count };
  if (o.fail) payload.fail = true;
  const started = performance.now();
  try {
    const response = await fetch(o.lambdaUrl, {
      method: 'POST',
      headers,
      body: JSON.stringify(payload),
      signal: AbortSignal.timeout(o.callTimeoutMs),
    });
    // Read the body so the connection goes back to the pool, and so the span covers the whole exchange.
    const text = await response.text();
    span.setTag('http.status_code', response.status);
    if (response.ok) {
      span.log({ event: 'remote request ok', status: response.status });
      return { call: o.call, ok: true, status: response.status, durationMs: since(started) };
    }
    const error = `function answered ${response.status}${summarise(text)}`;
    span.setTag('error', true);
    span.log({ event: 'error', 'error.kind': 'http_status', message: error, status: response.status });
    return { call: o.call, ok: false, status: response.status, error, durationMs: since(started) };
  } catch (err) {
    const error = describeFetchError(err);
    span.setTag('error', true);
    span.log({ event: 'error', 'error.kind': 'network', message: error });
    return { call: o.call, ok: false, error, durationMs: since(started) };
  } finally {
    span.finish();
  }
}

function isTruthyFlag(value: unknown): boolean {
  return value === '1' || value === 'true' || value === '';
}

function since(started: number): number {
  return Math.round((performance.now() - started) * 10) / 10;
}

function summarise(body: string): string {
  const text = body.trim();
  if (!text) return '';
  return `: ${text.length > 200 ? `${text.slice(0, 200)}…` : text}`;
}

/**
 * undici hides the useful part (ECONNREFUSED, timeout) in `cause`. Duck-typed: errors from
 * another realm (a test sandbox) fail `instanceof Error`.
 */
function describeFetchError(err: unknown): string {
  const e = err as { name?: unknown; message?: unknown; cause?: { code?: unknown; message?: unknown } } | null;
  if (e === null || typeof e !== 'object' || typeof e.message !== 'string') return String(err);
  if (e.name === 'TimeoutError') return `function call timed out: ${e.message}`;
  const cause = e.cause;
  if (cause && typeof cause === 'object') {
    const detail = typeof cause.code === 'string' ? cause.code : typeof cause.message === 'string' ? cause.message : '';
    if (detail) return `${e.message}: ${detail}`;
  }
  return e.message;
}
