import type { FinishedSpan } from '../span-line';
import { createLightStepReporter, ReportError, type LightStepReporter, type LightStepTarget } from '../lightstep';
import { toCollectorSpan } from '../lightstep/wire';
import { FlushError, type SpanExporter } from './exporter';

export interface LightStepExporterOptions {
  maxSpanRecords?: number;
}

interface ComponentQueue {
  reporter: LightStepReporter;
  /** Converted records exported since the last flush() call. */
  pending: Array<{ _toProto(): unknown }>;
  /** Failed reports in a row, from the tracer's report_error event (reset by a success). */
  failureStreak: number;
}

/** What one flush() call took over: the records of each component, exported before the call. */
type FlushBatch = Array<{ queue: ComponentQueue; records: ComponentQueue['pending'] }>;

/**
 * Re-emits spans on the real lightstep-tracer: one tracer per component name (the component is
 * per tracer in LightStep), created on first use and kept for the container's life. Records are
 * hand-built collector_pb.Spans added to the tracer's buffer, so ids, timestamps and value types
 * are the function's own.
 */
export class LightStepExporter implements SpanExporter {
  readonly name: string;
  private readonly queues = new Map<string, ComponentQueue>();
  /** The last flush in the chain (settled, never rejecting): the next one starts after it. */
  private flushChain: Promise<void> = Promise.resolve();
  /** Records taken by flush() calls still waiting for their turn or in flight. */
  private queued = 0;

  constructor(
    private readonly target: LightStepTarget,
    private readonly options: LightStepExporterOptions = {},
  ) {
    this.name = `LightStep ${target.collectorHost}:${target.collectorPort}`;
  }

  export(spans: readonly FinishedSpan[]): void {
    // Converted now, not inside the tracer's serialization: a conversion error must not sit in
    // the tracer's buffer and fail every later report. All converted before any is queued, so a
    // throw (an id the wire cannot carry) leaves nothing half-exported behind.
    const converted = spans.map((span) => ({ component: span.component, proto: toCollectorSpan(span) }));
    let queue: ComponentQueue | undefined;
    for (const { component, proto } of converted) {
      // Batches are mostly one component: skip the map lookup while it stays the same.
      if (queue === undefined || queue.reporter.componentName !== component) queue = this.queueFor(component);
      queue.pending.push({ _toProto: () => proto });
    }
  }

  /**
   * Delivers the spans exported before this call, and only those. Flushes run one after the
   * other: one exporter serves parallel log streams locally, and two flushes sharing a tracer
   * buffer would report each other's spans, so one could resolve while its spans went down with
   * the other's failed report.
   */
  flush(): Promise<void> {
    const batch: FlushBatch = [];
    for (const queue of this.queues.values()) {
      if (queue.pending.length > 0) batch.push({ queue, records: queue.pending.splice(0) });
    }
    const size = batch.reduce((sum, { records }) => sum + records.length, 0);
    this.queued += size;
    const run = this.flushChain.then(() => this.deliver(batch)).finally(() => {
      this.queued -= size;
    });
    this.flushChain = run.catch(() => undefined);
    return run;
  }

  async shutdown(): Promise<void> {
    try {
      await this.flush();
    } finally {
      this.close();
    }
  }

  /** Components that have a tracer (for tests and diagnostics). */
  components(): string[] {
    return [...this.queues.keys()];
  }

  /** Spans waiting here or in a tracer's buffer: 0 after every flush, failed or not. */
  buffered(): number {
    let count = this.queued;
    for (const queue of this.queues.values()) count += queue.pending.length + queue.reporter.buffered();
    return count;
  }

  /** Releases the transports' kept-alive sockets. */
  close(): void {
    for (const queue of this.queues.values()) queue.reporter.close();
  }

  private async deliver(batch: FlushBatch): Promise<void> {
    const results = await Promise.allSettled(batch.map(({ queue, records }) => queue.reporter.reportRecords(records)));
    const failures = results.flatMap((result, i) =>
      result.status === 'rejected' ? [`${batch[i].queue.reporter.componentName}: ${describe(result.reason)}${streak(batch[i].queue)}`] : [],
    );
    if (failures.length > 0) {
      const { collectorHost, collectorPort } = this.target;
      throw new FlushError(`LightStep report to ${collectorHost}:${collectorPort} failed (${failures.join('; ')})`);
    }
  }

  private queueFor(component: string): ComponentQueue {
    let queue = this.queues.get(component);
    if (queue === undefined) {
      const reporter = createLightStepReporter(this.target, {
        componentName: component,
        maxSpanRecords: this.options.maxSpanRecords,
        clockSkewCorrection: false,
      });
      const created: ComponentQueue = { reporter, pending: [], failureStreak: 0 };
      reporter.tracer.on('report_error', (_err: Error, payload: unknown) => {
        created.failureStreak = (payload as { streak?: number } | undefined)?.streak ?? created.failureStreak + 1;
      });
      reporter.tracer.on('report', () => {
        created.failureStreak = 0;
      });
      this.queues.set(component, created);
      queue = created;
    }
    return queue;
  }
}

/** One component's failure: the reporter's errors are ReportErrors, token-free by construction. */
function describe(reason: unknown): string {
  if (reason instanceof ReportError) return reason.code && !reason.message.includes(reason.code) ? `${reason.code} ${reason.message}` : reason.message;
  return reason instanceof Error ? reason.name : 'error';
}

function streak(queue: ComponentQueue): string {
  return queue.failureStreak > 1 ? ` (${queue.failureStreak} failed reports in a row)` : '';
}
