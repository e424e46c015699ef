import { FORWARDER_MIN_WARMUP_EVENTS, FORWARDER_TIMED_SPANS, sinkWarmupEvents, timedRepeats } from '../../bench/scenarios/forwarder';

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

  it('never warms up less than the span warm-up, and --quick adds nothing', () => {
    expect(sinkWarmupEvents(2000, 10, FORWARDER_MIN_WARMUP_EVENTS)).toBe(2000);
    expect(sinkWarmupEvents(2, 600_000, FORWARDER_MIN_WARMUP_EVENTS)).toBe(2);
    expect(sinkWarmupEvents(1, 600, 0)).toBe(1);
  });
});
