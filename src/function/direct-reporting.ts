import type { Tracer } from 'opentracing';
import type { LightStepTarget } from '../lightstep/target';

/** lightstep-tracer set up the way the article's function uses it, plus a promise-returning flush. */
export interface DirectReporting {
  tracer: Tracer;
  /**
   * Sends everything buffered; rejects with the report's error, the token never in it. A
   * collector that never answers fails it after the target's reportTimeoutMillis.
   */
  flush(): Promise<void>;
}

/**
 * Loads lightstep-tracer (≈6 MB, tens of ms to require) only here: log mode must never pay for it,
 * so nothing else in src/function imports it (not even through src/lightstep's index).
 */
export function createDirectReporting(target: LightStepTarget, componentName: string): DirectReporting {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { createLightStepReporter } = require('../lightstep/reporter') as typeof import('../lightstep/reporter');
  const reporter = createLightStepReporter(target, { componentName });
  return {
    tracer: reporter.tracer,
    flush: () =>
      reporter.flush().catch((error: Error) => {
        throw new Error(`LightStep report failed: ${error.message}`);
      }),
  };
}
