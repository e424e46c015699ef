/**
 * The work every bench handler does, defined once so that each mode and peer emits the same
 * spans: the demo handler's answer (src/function demoWork) inside a server span named
 * `lambda-execution` carrying the tags traced() sets, and for the 11-span shape ten children
 * named `child-work`, each around one unit of work and carrying two tags.
 *
 * Bundled into each handler (so no TypeScript loader and nothing from the bench's own process
 * sits in the timings). The shape is chosen per process with BENCH_CHILD_SPANS (0 or 10).
 */
import type { Context } from 'aws-lambda';
import { Span } from 'opentracing';
import type { Span as OpenTracingSpan } from 'opentracing';
import { demoWork, type JsonResponse } from '../../src/function/demo-work';
import { readHttpEvent } from '../../src/function/http-event';

export const INVOCATION_OPERATION = 'lambda-execution';
export const CHILD_OPERATION = 'child-work';
/** The 11-span shape: the invocation span and this many children. */
export const CHILDREN_IN_ELEVEN_SPAN_SHAPE = 10;

/** Children per invocation for this process: BENCH_CHILD_SPANS, read once at init. */
export function childSpansFromEnv(env: Record<string, string | undefined> = process.env): number {
  const n = Number(env.BENCH_CHILD_SPANS ?? 0);
  if (!Number.isInteger(n) || n < 0 || n > 1000) throw new Error(`BENCH_CHILD_SPANS must be a whole number 0-1000, got ${env.BENCH_CHILD_SPANS}`);
  return n;
}

/** The two tags of child i. */
export function childTags(i: number): Record<string, string | number> {
  return { 'work.index': i, 'work.kind': 'unit' };
}

/** One unit of child work: small and deterministic (a sum of 20 products), so the span is the cost. */
export function workUnit(i: number): number {
  let sum = 0;
  for (let k = 1; k <= 20; k++) sum += k * (i + 1);
  return sum;
}

let checksum = 0; // keeps the units of work from being optimised away

/**
 * The 11-span shape on an OpenTracing tracer (ours, in log or direct mode): `children` child
 * spans around one unit of work each, then the demo's answer. For traced().
 */
export function withChildSpans(children: number): (event: unknown, context: Context, span: OpenTracingSpan) => Promise<JsonResponse> {
  return async (event, context, span) => {
    const tracer = span.tracer();
    for (let i = 0; i < children; i++) {
      const child = tracer.startSpan(CHILD_OPERATION, { childOf: span, tags: childTags(i) });
      checksum += workUnit(i);
      child.finish();
    }
    return demoWork(event, context, span);
  };
}

export const workDone = (): number => checksum;

/** The demo handler's own answer, without any tracer: opentracing's no-op span stands in for the invocation span. */
export function untracedAnswer(event: unknown, context: Context): Promise<JsonResponse> {
  return demoWork(event, context, NO_OP_SPAN);
}
const NO_OP_SPAN = new Span();

let coldStart = true;

/**
 * The tags traced() puts on the invocation span (src/function/traced.ts), for the peers, which
 * set them through their own APIs. http.status_code is added once the answer is known.
 */
export function invocationTags(event: unknown, context: Context): Record<string, string | boolean> {
  const request = readHttpEvent(event);
  const tags: Record<string, string | boolean> = { 'span.kind': 'server', 'faas.coldstart': coldStart };
  coldStart = false;
  tags['aws.request_id'] = context.awsRequestId;
  tags['faas.name'] = context.functionName;
  tags['faas.version'] = context.functionVersion;
  if (request.method !== undefined) tags['http.method'] = request.method;
  if (request.path !== undefined) tags['http.path'] = request.path;
  return tags;
}
