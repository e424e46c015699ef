import type { Context } from 'aws-lambda';
import type { Tracer } from 'opentracing';
import { demoWork, errorResponse, type JsonResponse } from './demo-work';
import { traced } from './traced';

/**
 * The demo handler on a tracer of your choice: handler.ts builds it from the environment; tests
 * and the local stack can pass a LogTracer whose `emit` captures lines in process. Apart from
 * demo-work.ts so the demo's work can be imported without the tracing wrapper (the bench's
 * untraced baseline and peers).
 */
export function createDemoHandler(tracer: Tracer, afterInvocation?: () => Promise<void>): (event: unknown, context: Context) => Promise<JsonResponse> {
  return traced(demoWork, { tracer, errorResponse, afterInvocation });
}
