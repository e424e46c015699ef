// Test helpers: a real lightstep-tracer pointed at a collector, and a promise around flush().
import * as lightstep from 'lightstep-tracer';

export const TEST_TOKEN = 'test-token';

export function tracerFor(port: number, component: string, accessToken = TEST_TOKEN): lightstep.Tracer {
  return new lightstep.Tracer({
    access_token: accessToken,
    component_name: component,
    collector_host: '127.0.0.1',
    collector_port: port,
    collector_encryption: 'none',
    disable_reporting_loop: true,
    disable_report_on_exit: true,
    disable_clock_skew_correction: true,
    verbosity: 0,
  });
}

/** Resolves with what flush() hands its callback: null when the collector answered 200. */
export function flush(tracer: lightstep.Tracer): Promise<Error | null> {
  return new Promise((resolve) => tracer.flush((err) => resolve(err ?? null)));
}

/** The hex ids lightstep-tracer gave a span (its SpanContext keeps them as hex GUIDs). */
export function idsOf(span: { context(): unknown }): { traceId: string; spanId: string } {
  const ctx = span.context() as lightstep.SpanContext;
  return { traceId: ctx._traceGUID, spanId: ctx._guid };
}
