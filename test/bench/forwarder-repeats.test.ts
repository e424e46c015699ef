import { FORWARDER_MIN_WARMUP_EVENTS, FORWARDER_TIMED_SPANS, runPlan, sinkWarmupEvents, timedRepeats, type PlannedEvent } from '../../bench/scenarios/forwarder';

describe('bench: timed forwarder invocations per payload', () => {
  it('gives a small event as many invocations as the span budget takes, a large one at least the minimum', () => {
    expect(timedRepeats(15, FORWARDER_TIMED_SPANS, 600)).toBe(200); // 100 invocation lines
    expect(timedRepeats(15, FORWARDER_TIMED_SPANS, 6000)).toBe(20); // 1,000 lines
    expect(timedRepeats(15, FORWARDER_TIMED_SPANS, 11_916)).toBe(15); // the largest delivery: the minimum
    expect(timedRepeats(40, FORWARDER_TIMED_SPANS, 6000)).toBe(40); // --forwarder-repeats above the budget's count
  });

  it('stops at 300, and a run without a budget (--quick) times the minimum', () => {
    expect(timedRepeats(15, FORWARDER_TIMED_SPANS, 10)).toBe(300);
    expect(timedRepeats(1, 0, 600)).toBe(1);
  });
});

describe('bench: warm-up events of the forwarder container reporting to the sink', () => {
  it('warms a small event up by events, within the span budget', () => {
    expect(sinkWarmupEvents(34, 600, FORWARDER_MIN_WARMUP_EVENTS)).toBe(1000); // 100 lines: 1,000 events
    expect(sinkWarmupEvents(4, 6000, FORWARDER_MIN_WARMUP_EVENTS)).toBe(167); // 1,000 lines: the 1,000,000-span budget
    expect(sinkWarmupEvents(20, 1000, FORWARDER_MIN_WARMUP_EVENTS)).toBe(1000); // v1, 1,000 lines
  });

  it('never warms up less than the span warm-up, and no least count adds nothing', () => {
    expect(sinkWarmupEvents(2000, 10, FORWARDER_MIN_WARMUP_EVENTS)).toBe(2000);
    expect(sinkWarmupEvents(2, 600_000, FORWARDER_MIN_WARMUP_EVENTS)).toBe(2);
    expect(sinkWarmupEvents(1, 600, 0)).toBe(1);
  });
});

describe('bench: what a forwarder worker invokes', () => {
  const events: PlannedEvent[] = Array.from({ length: 5 }, (_, i) => ({ file: `e${i}`, spans: 10 + i, unzipChunk: 65536 * (i + 1) }));

  it('cycles the distinct warm-up events, then times each of the rest once, each with its own spans and chunk', () => {
    const plan = runPlan(events, 2, 5);
    expect(plan.events.map((e) => e.file)).toEqual(['e0', 'e1', 'e0', 'e1', 'e0', 'e2', 'e3', 'e4']);
    expect(plan.events.map((e) => e.spans)).toEqual([10, 11, 10, 11, 10, 12, 13, 14]);
    expect(plan.events.map((e) => e.unzipChunk)).toEqual([65536, 131072, 65536, 131072, 65536, 196608, 262144, 327680]);
  });

  it('puts the early window right after the distinct warm-up, as long as the timed phase at most', () => {
    expect(runPlan(events, 2, 5)).toMatchObject({ earlyFrom: 2, earlyCount: 3 });
    expect(runPlan(events, 2, 100)).toMatchObject({ earlyFrom: 2, earlyCount: 3 });
    expect(runPlan(events, 2, 3)).toMatchObject({ earlyFrom: 2, earlyCount: 1 });
    expect(runPlan(events, 2, 2)).toMatchObject({ earlyFrom: 2, earlyCount: 0 });
    expect(runPlan(events, 2, 2).events.map((e) => e.file)).toEqual(['e0', 'e1', 'e2', 'e3', 'e4']);
  });
});
