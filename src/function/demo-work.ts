import type { Context } from 'aws-lambda';
import type { Span } from 'opentracing';
import { readHttpEvent } from './http-event';

/** The JSON response shape API Gateway and Function URLs expect. */
export interface JsonResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

/** Thrown when the caller asks the demo to fail (`{"fail": true}` body or `?fail=1`). */
export class RequestedFailure extends Error {
  override name = 'RequestedFailure';
}

/**
 * The article's demo work. A plain call (like the service's /ot-gen) answers from the
 * lambda-execution span alone, so a trace has the article's shape. A request that names `n`
 * (query or JSON body) also computes a sum of squares up to n in a `compute` child span: a span
 * the forwarder must re-emit under the function's own span id. Fails on request (`"fail": true`
 * or `?fail=1`) so the error path can be seen end to end.
 */
export async function demoWork(event: unknown, _context: Context, span: Span): Promise<JsonResponse> {
  const request = readHttpEvent(event);
  const input = parseJsonObject(request.body);
  const requested = input.n ?? request.query.n;
  const compute = requested === undefined ? undefined : span.tracer().startSpan('compute', { childOf: span });
  try {
    if (input.fail === true || request.query.fail === '1') throw new RequestedFailure('failure requested by the caller');
    if (compute !== undefined) {
      const size = clampInt(requested, 1, 10_000, 100);
      compute.setTag('demo.n', size);
      let sum = 0;
      for (let i = 1; i <= size; i++) sum += i * i;
      compute.setTag('demo.sum_of_squares', sum);
    }
  } catch (error) {
    compute?.setTag('error', true).log({ event: 'error', message: (error as Error).message });
    throw error;
  } finally {
    compute?.finish();
  }
  const context = span.context();
  return jsonResponse(200, { ok: true, traceId: context.toTraceId(), spanId: context.toSpanId() });
}

/** What a thrown demo error becomes: a 500 with a JSON body (the span carries error=true). */
export function errorResponse(error: unknown): JsonResponse {
  const message = error instanceof Error ? error.message : String(error);
  return jsonResponse(500, { ok: false, error: message });
}

export function jsonResponse(statusCode: number, body: unknown): JsonResponse {
  return { statusCode, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}

/** A malformed or non-object body counts as no input: the demo never crashes on it. */
function parseJsonObject(body: string): Record<string, unknown> {
  if (body === '') return {};
  try {
    const parsed: unknown = JSON.parse(body);
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function clampInt(value: unknown, min: number, max: number, fallback: number): number {
  const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : NaN;
  return Number.isInteger(n) ? Math.min(max, Math.max(min, n)) : fallback;
}
