import { LogTracer } from '../../src/function/log-tracer';
import type { PropagatorName } from '../../src/function/propagation';

// opentracing's conformance suite (inject/extract and baggage included) on tracers configured for
// each other propagation format: what they inject, they extract again.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const apiCompatibilityChecks = require('opentracing/lib/test/api_compatibility').default as (
  createTracer: () => LogTracer,
  options?: { skipBaggageChecks?: boolean; skipInjectExtractChecks?: boolean },
) => void;

beforeAll(() => jest.spyOn(console, 'log').mockImplementation(() => undefined)); // the suite prints a trace id
afterAll(() => jest.restoreAllMocks());

const CONFIGURATIONS: PropagatorName[][] = [['tracecontext', 'baggage'], ['b3'], ['b3multi'], ['b3', 'baggage', 'tracecontext', 'ottrace']];
for (const propagators of CONFIGURATIONS) {
  describe(`OTEL_PROPAGATORS=${propagators.join(',')}`, () => {
    apiCompatibilityChecks(() => new LogTracer({ componentName: 'api_compat', emit: () => undefined, propagators }), {
      skipBaggageChecks: false,
      skipInjectExtractChecks: false,
    });
  });
}
