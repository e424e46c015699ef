import { nowMicros, reanchorClock } from '../../src/function/clock';
import type { LogSpan } from '../../src/function/log-span';
import { traced } from '../../src/function/traced';
import { capturingTracer, decodeAll, lambdaContext } from './helpers/lambda';

// A warm container's monotonic clock drifts from wall time (VM frozen between invocations, NTP
// slewing). Drift is simulated by moving the anchor source, Date.now(), 5 s away from the
// monotonic clock; a re-anchored clock follows it, one anchored at process start does not.
const DRIFT_MS = 5000;

afterEach(() => {
  jest.restoreAllMocks();
  reanchorClock(); // leave the clock on the real wall time for the next test
});

function driftWallClock(byMs: number): number {
  const drifted = Date.now() + byMs;
  jest.spyOn(Date, 'now').mockReturnValue(drifted);
  return drifted;
}

test('each invocation re-anchors span time to the wall clock', async () => {
  const { tracer, lines } = capturingTracer();
  const handler = traced(async () => 'ok', { tracer });

  const driftedWall = driftWallClock(DRIFT_MS);
  await handler({}, lambdaContext());
  jest.restoreAllMocks();
  const realWall = Date.now();
  await handler({}, lambdaContext()); // the next invocation: wall time is back

  const [drifted, back] = decodeAll(lines);
  // Within 1 s of each wall time, and 5 s away from the other: the anchor moved both times.
  expect(Math.abs(drifted.startMicros / 1000 - driftedWall)).toBeLessThan(1000);
  expect(Math.abs(back.startMicros / 1000 - realWall)).toBeLessThan(1000);
});

test('within an invocation span times keep sub-millisecond steps (only the anchor comes from Date.now)', async () => {
  const { tracer, lines } = capturingTracer();
  const handler = traced(
    async (_event: unknown, _context, span) => {
      for (let i = 0; i < 20; i++) tracer.startSpan('tick', { childOf: span }).finish();
    },
    { tracer },
  );
  driftWallClock(DRIFT_MS); // Date.now() frozen for the whole invocation
  await handler({}, lambdaContext());
  const ticks = decodeAll(lines).filter((span) => span.operation === 'tick');
  const starts = new Set(ticks.map((span) => span.startMicros));
  expect(starts.size).toBeGreaterThan(1); // a frozen Date.now() would give all 20 the same start
  expect(ticks.some((span) => span.startMicros % 1000 !== 0)).toBe(true);
});

test('a span open across a re-anchor that steps time back still ends at or after its start', () => {
  const { tracer } = capturingTracer();
  reanchorClock();
  const span = tracer.startSpan('spans-two-invocations') as LogSpan;
  driftWallClock(-DRIFT_MS);
  reanchorClock(); // the next invocation begins with the wall clock 5 s behind
  expect(nowMicros()).toBeLessThan(span.startMicros);
  span.finish();
  expect(span.durationMicros).toBe(0);
});
