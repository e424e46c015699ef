import type { Span, Tracer } from 'opentracing';

/**
 * What a tracer may offer `traced()` beyond opentracing's API: the spans still open in an
 * invocation, so the timeout guard can finish them before Lambda's deadline. LogTracer offers it;
 * a tracer without it (lightstep-tracer in direct mode) still gets its invocation span finished.
 */
export interface InvocationScopes {
  /** Until endInvocationScope, every span the tracer starts is in the returned set until it finishes. */
  beginInvocationScope(): ReadonlySet<Span>;
  endInvocationScope(scope: ReadonlySet<Span>): void;
}

export function hasInvocationScopes(tracer: Tracer): tracer is Tracer & InvocationScopes {
  const candidate = tracer as Partial<InvocationScopes>;
  return typeof candidate.beginInvocationScope === 'function' && typeof candidate.endInvocationScope === 'function';
}
