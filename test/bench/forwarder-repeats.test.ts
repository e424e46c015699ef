import { FORWARDER_TIMED_SPANS, timedRepeats } from '../../bench/scenarios/forwarder';

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
