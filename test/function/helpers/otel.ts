import { propagation, ROOT_CONTEXT, trace, type Context, type SpanContext, type TextMapPropagator } from '@opentelemetry/api';

// The real OpenTelemetry propagators, driven the way an OTel-instrumented service drives them:
// registered as the global propagator, a span context and baggage put into a Context, then
// @opentelemetry/api's propagation.inject / propagation.extract.

function withGlobalPropagator<T>(propagator: TextMapPropagator, run: () => T): T {
  propagation.setGlobalPropagator(propagator);
  try {
    return run();
  } finally {
    propagation.disable();
  }
}

/** The headers an OTel service sends for this span context (and baggage). */
export function otelInject(propagator: TextMapPropagator, spanContext: SpanContext, baggage: Record<string, string> = {}): Record<string, string> {
  let context: Context = trace.setSpanContext(ROOT_CONTEXT, spanContext);
  if (Object.keys(baggage).length > 0) {
    const entries = Object.fromEntries(Object.entries(baggage).map(([key, value]) => [key, { value }]));
    context = propagation.setBaggage(context, propagation.createBaggage(entries));
  }
  const carrier: Record<string, string> = {};
  withGlobalPropagator(propagator, () => propagation.inject(context, carrier));
  return carrier;
}

/** What an OTel service reads from these headers. */
export function otelExtract(propagator: TextMapPropagator, headers: Record<string, string>): { spanContext?: SpanContext; baggage: Record<string, string> } {
  const context = withGlobalPropagator(propagator, () => propagation.extract(ROOT_CONTEXT, headers));
  const baggage: Record<string, string> = {};
  for (const [key, entry] of propagation.getBaggage(context)?.getAllEntries() ?? []) baggage[key] = entry.value;
  return { spanContext: trace.getSpanContext(context), baggage };
}

/** Header names as a REST API may deliver them: the caller's own case. */
export function capitalized(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.replace(/(^|-)([a-z])/g, (_m, dash: string, c: string) => dash + c.toUpperCase()), value]));
}
