import { startCollector, type RunningCollector } from '../../src/collector/server';
import { LightStepSink } from '../../src/log-span-forwarder/lightstep-sink';
import { InMemorySink, type SpanSink } from '../../src/log-span-forwarder/sink';
import type { FinishedSpan } from '../../src/span-line';

/** One behaviour suite, every SpanSink (opentracing's apiCompatibilityChecks, applied to our seam). */
interface SinkUnderTest {
  sink: SpanSink;
  /** Span ids that reached the sink's destination. */
  delivered(): string[];
  close(): Promise<void>;
}

function spans(from: number, count: number, component = 'lambda_function'): FinishedSpan[] {
  return Array.from({ length: count }, (_, k) => ({
    traceId: 'feedfacecafebeef',
    spanId: (0x7000000000000000n + BigInt(from + k)).toString(16),
    operation: 'contract',
    component,
    startMicros: 1715681730000000 + k,
    durationMicros: 1,
    tags: {},
    logs: [],
    baggage: {},
  }));
}

function sinkContract(name: string, create: () => Promise<SinkUnderTest>): void {
  describe(`SpanSink contract: ${name}`, () => {
    let subject: SinkUnderTest;
    beforeEach(async () => {
      subject = await create();
    });
    afterEach(() => subject.close());

    it('delivers nothing before flush, everything after', async () => {
      const batch = spans(0, 5);
      subject.sink.export(batch);
      expect(subject.delivered()).toEqual([]);
      await subject.sink.flush();
      expect(subject.delivered().sort()).toEqual(batch.map((s) => s.spanId).sort());
    });

    it('flushing with nothing queued resolves and sends nothing', async () => {
      await expect(subject.sink.flush()).resolves.toBeUndefined();
      expect(subject.delivered()).toEqual([]);
    });

    it('never sends a span twice across flushes, and accepts several exports per flush', async () => {
      subject.sink.export(spans(0, 3));
      subject.sink.export(spans(3, 2, 'other-component'));
      await subject.sink.flush();
      await subject.sink.flush();
      subject.sink.export(spans(5, 1));
      await subject.sink.flush();
      expect(subject.delivered()).toHaveLength(6);
    });
  });
}

sinkContract('InMemorySink', async () => {
  const sink = new InMemorySink();
  return { sink, delivered: () => sink.flushed.map((s) => s.spanId), close: async () => undefined };
});

sinkContract('LightStepSink → embedded collector', async () => {
  // Counted as received (not as stored: the store keeps a span once, which would hide a resend).
  let received = 0;
  const collector: RunningCollector = await startCollector({
    port: 0,
    dbPath: ':memory:',
    onReport: (info) => {
      received += info.spans;
    },
  });
  const sink = new LightStepSink({
    accessToken: 'contract-token',
    collectorHost: '127.0.0.1',
    collectorPort: collector.port,
    collectorEncryption: 'none',
  });
  return {
    sink,
    delivered: () => {
      const stored = collector.store.getTrace('feedfacecafebeef').map((s) => s.spanId);
      expect(received).toBe(stored.length);
      return stored;
    },
    close: async () => {
      sink.close();
      await collector.close();
    },
  };
});
