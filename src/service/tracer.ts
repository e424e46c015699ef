import type { Tracer } from 'opentracing';
import { createLightStepReporter, type LightStepTarget } from '../lightstep';

export const SERVICE_COMPONENT_NAME = 'node-service';

/** How often spans left over by a failed flush are retried. */
const RETRY_FLUSH_INTERVAL_MS = 2500;

export interface ServiceTracer {
  tracer: Tracer;
  /** Reports every finished span now; resolves false (never rejects) when the report failed. */
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
  const flush = (): Promise<boolean> => reporter.flush().then(() => true, () => false);
  // A failed report puts its spans back in the buffer; this picks them up later.
  const retryTimer = setInterval(() => {
    if (reporter.buffered() > 0) void flush();
  }, RETRY_FLUSH_INTERVAL_MS);
  retryTimer.unref();

  return {
    tracer: reporter.tracer,
    flush,
    async close() {
      clearInterval(retryTimer);
      await flush();
      reporter.close();
    },
  };
}
