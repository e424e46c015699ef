import { LogTracer } from '../../src/function/log-tracer';

// opentracing's own conformance suite (mocha-style describe/it + chai 4; jest provides describe/it).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const apiCompatibilityChecks = require('opentracing/lib/test/api_compatibility').default as (
  createTracer: () => LogTracer,
  options?: { skipBaggageChecks?: boolean; skipInjectExtractChecks?: boolean },
) => void;

const lines: string[] = [];
// The suite prints a trace id with console.log; keep the run quiet and the lines captured.
beforeAll(() => jest.spyOn(console, 'log').mockImplementation(() => undefined));
afterAll(() => jest.restoreAllMocks());

apiCompatibilityChecks(() => new LogTracer({ componentName: 'api_compat', emit: (line) => lines.push(line) }), {
  skipBaggageChecks: false,
  skipInjectExtractChecks: false,
});

test('the suite finished spans as span lines through the emit option (nothing on stdout)', () => {
  expect(lines.length).toBeGreaterThan(0);
  for (const line of lines) expect(line.startsWith('{"otspan":2,')).toBe(true);
});
