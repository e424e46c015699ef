import { startCollector, type RunningCollector } from '../../src/collector/server';
import { embeddedCollectorTarget } from '../../src/lightstep/target';
import { FanOutExporter, FlushError, InMemoryExporter, type SpanExporter } from '../../src/log-span-forwarder/exporter';
import { LightStepExporter } from '../../src/log-span-forwarder/lightstep-exporter';
import { OtlpExporter } from '../../src/log-span-forwarder/otlp-exporter';
import { embeddedCollectorOtlpTarget } from '../../src/otlp/target';
import type { FinishedSpan } from '../../src/span-line';

/** One behaviour suite, every SpanExporter (opentracing's apiCompatibilityChecks, applied to our seam). */
interface ExporterUnderTest {
  exporter: SpanExporter;
  /** Span ids that reached the exporter's destination (each destination, for a fan-out). */
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

function exporterContract(name: string, create: () => Promise<ExporterUnderTest>): void {
  describe(`SpanExporter contract: ${name}`, () => {
    let subject: ExporterUnderTest;
    beforeEach(async () => {
      subject = await create();
    });
    afterEach(() => subject.close());

    it('delivers nothing before flush, everything after', async () => {
      const batch = spans(0, 5);
      subject.exporter.export(batch);
      expect(subject.delivered()).toEqual([]);
      await subject.exporter.flush();
      expect(subject.delivered().sort()).toEqual(batch.map((s) => s.spanId).sort());
    });

    it('flushing with nothing queued resolves and sends nothing', async () => {
      const result = await subject.exporter.flush();
      // void, or a FlushResult that refused nothing.
      expect(result === undefined || result.rejectedSpans === 0).toBe(true);
      expect(subject.delivered()).toEqual([]);
    });

    it('never sends a span twice across flushes, and accepts several exports per flush', async () => {
      subject.exporter.export(spans(0, 3));
      subject.exporter.export(spans(3, 2, 'other-component'));
      await subject.exporter.flush();
      await subject.exporter.flush();
      subject.exporter.export(spans(5, 1));
      await subject.exporter.flush();
      expect(subject.delivered()).toHaveLength(6);
    });

    it('shutdown delivers what was exported', async () => {
      subject.exporter.export(spans(0, 2));
      await subject.exporter.shutdown();
      expect(subject.delivered()).toHaveLength(2);
    });
  });
}

function inMemory(): ExporterUnderTest {
  const exporter = new InMemoryExporter();
  return { exporter, delivered: () => exporter.flushed.map((s) => s.spanId), close: async () => undefined };
}

async function otlp(protocol: 'http/protobuf' | 'http/json'): Promise<ExporterUnderTest> {
  let received = 0;
  const collector: RunningCollector = await startCollector({
    port: 0,
    dbPath: ':memory:',
    onReport: (info) => {
      received += info.spans;
    },
  });
  const exporter = new OtlpExporter({ ...embeddedCollectorOtlpTarget(collector.port), protocol });
  return {
    exporter,
    delivered: () => {
      const stored = collector.store.getTrace('feedfacecafebeef').map((s) => s.spanId);
      expect(received).toBe(stored.length);
      return stored;
    },
    close: async () => {
      await exporter.shutdown();
      await collector.close();
    },
  };
}

async function lightStep(): Promise<ExporterUnderTest> {
  // Counted as received (not as stored: the store keeps a span once, which would hide a resend).
  let received = 0;
  const collector: RunningCollector = await startCollector({
    port: 0,
    dbPath: ':memory:',
    onReport: (info) => {
      received += info.spans;
    },
  });
  const exporter = new LightStepExporter({ ...embeddedCollectorTarget(collector.port), accessToken: 'contract-token' });
  return {
    exporter,
    delivered: () => {
      const stored = collector.store.getTrace('feedfacecafebeef').map((s) => s.spanId);
      expect(received).toBe(stored.length);
      return stored;
    },
    close: async () => {
      exporter.close();
      await collector.close();
    },
  };
}

exporterContract('InMemoryExporter', async () => inMemory());
exporterContract('LightStepExporter → embedded collector', lightStep);
exporterContract('OtlpExporter (protobuf) → embedded collector', () => otlp('http/protobuf'));
exporterContract('OtlpExporter (JSON) → embedded collector', () => otlp('http/json'));
exporterContract('FanOutExporter (in memory + LightStep)', async () => {
  const a = inMemory();
  const b = await lightStep();
  return {
    exporter: new FanOutExporter([a.exporter, b.exporter]),
    delivered: () => {
      // Every destination got the same spans.
      expect(a.delivered().sort()).toEqual(b.delivered().sort());
      return b.delivered();
    },
    close: async () => {
      await a.close();
      await b.close();
    },
  };
});

describe('FanOutExporter failures', () => {
  it('fails the flush when one exporter fails, after the others delivered, naming the failed backend only', async () => {
    const healthy = new InMemoryExporter();
    // Nothing listens on port 1: the LightStep exporter's report is refused.
    const down = new LightStepExporter({ ...embeddedCollectorTarget(1), accessToken: 'fan-out-secret-token' });
    const fanOut = new FanOutExporter([healthy, down]);
    try {
      fanOut.export(spans(0, 3));
      const error = await fanOut.flush().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(FlushError);
      expect((error as Error).message).toMatch(/LightStep report to 127\.0\.0\.1:1 failed/);
      expect((error as Error).message).not.toContain('fan-out-secret-token');
      expect(healthy.flushed).toHaveLength(3);
      // Nothing is left behind for the next invocation: Lambda retries this one whole.
      expect(down.buffered()).toBe(0);
    } finally {
      await fanOut.shutdown();
    }
  });

  it('needs at least one exporter', () => {
    expect(() => new FanOutExporter([])).toThrow(/at least one/);
  });
});
