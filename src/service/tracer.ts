import type { Tracer } from 'opentracing';
import { createLightStepReporter, type LightStepTarget } from '../lightstep';

export const SERVICE_COMPONENT_NAME = 'node-service';

/** How often spans left over by a failed flush are retried. */
const RETRY_FLUSH_INTERVAL_MS = 2500;

export interface ServiceTracer {
  tracer: Tracer;
  /**
   * Reports every finished span now; resolves false (never rejects) when the report failed, or
   * without trying when one failed less than a retry interval ago (the spans stay buffered).
   */
  flush(): Promise<boolean>;
  /** Final flush, then the transport's sockets are closed. */
  close(): Promise<void>;
}

/**
 * The service reports directly with the real lightstep-tracer, as the article's service does. It
 * flushes explicitly: after every /ot-gen, on a retry timer while spans are left over, and on
 * shutdown.
 */
export function createServiceTracer(target: LightStepTarget, options: { verbosity?: number } = {}): ServiceTracer {
  const reporter = createLightStepReporter(target, { componentName: SERVICE_COMPONENT_NAME, verbosity: options.verbosity ?? 1 });
  let failedAt = Number.NEGATIVE_INFINITY;
  const report = (): Promise<boolean> =>
    reporter.flush().then(
      () => {
        failedAt = Number.NEGATIVE_INFINITY;
        return true;
      },
      () => {
        failedAt = Date.now();
        return false;
      },
    );
  // A failed report puts its spans back in the buffer, and every later report serializes all of
  // them again: while the collector is down, a flush per request would cost each request the whole
  // backlog (tens of ms of CPU per thousand spans). So after a failure, requests leave the spans
  // buffered (reported: false) and only the retry timer tries, once per interval.
  const flush = (): Promise<boolean> => (Date.now() - failedAt < RETRY_FLUSH_INTERVAL_MS ? Promise.resolve(false) : report());
  const retryTimer = setInterval(() => {
    if (reporter.buffered() > 0) void report();
  }, RETRY_FLUSH_INTERVAL_MS);
  retryTimer.unref();

  return {
    tracer: reporter.tracer,
    flush,
    async close() {
      clearInterval(retryTimer);
      await report();
      reporter.close();
    },
  };
}
