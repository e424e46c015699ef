import * as lightstep from 'lightstep-tracer';
import type { FinishedSpan } from '../span-line';
import type { ForwarderConfig } from './config';
import { toCollectorSpan } from './convert';
import { KeepAliveReportTransport, ReportError, textWithoutToken } from '../lightstep-transport';
import type { SpanSink } from './sink';

/** lightstep-tracer's default; a full buffer overwrites a random span, so never add past it. */
export const DEFAULT_MAX_SPAN_RECORDS = 4096;
export const DEFAULT_REPORT_TIMEOUT_MILLIS = 5000;

export interface LightStepSinkOptions extends ForwarderConfig {
  maxSpanRecords?: number;
  reportTimeoutMillis?: number;
}

/**
 * A flush that did not reach the collector. Its message names host:port and never the token: it
 * is made of the transport's ReportErrors (token-free by construction) and, for any other error,
 * text that went through textWithoutToken.
 */
export class FlushError extends Error {
  override readonly name = 'FlushError';
}

interface ComponentReporter {
  component: string;
  tracer: lightstep.Tracer;
  transport: KeepAliveReportTransport;
  /** Converted records exported since the last flush() call. */
  pending: lightstep.SpanRecord[];
  /** Failed reports in a row, from the tracer's report_error event (reset by a success). */
  failureStreak: number;
}

/**
 * Re-emits spans on the real lightstep-tracer: one tracer per component name (the component is
 * per tracer in LightStep), created on first use and kept for the container's life. Records are
 * hand-built collector_pb.Spans added to the tracer's buffer, so ids, timestamps and value types
 * are the function's own.
 */
/** What one flush() call took over: the records of each component, exported before the call. */
type FlushBatch = Array<{ reporter: ComponentReporter; records: lightstep.SpanRecord[] }>;

export class LightStepSink implements SpanSink {
  private readonly reporters = new Map<string, ComponentReporter>();
  private readonly maxSpanRecords: number;
  private readonly reportTimeoutMillis: number;
  /** The last flush in the chain (settled, never rejecting): the next one starts after it. */
  private flushChain: Promise<void> = Promise.resolve();
  /** Records taken by flush() calls still waiting for their turn or in flight. */
  private queued = 0;

  constructor(private readonly options: LightStepSinkOptions) {
    this.maxSpanRecords = options.maxSpanRecords ?? DEFAULT_MAX_SPAN_RECORDS;
    this.reportTimeoutMillis = options.reportTimeoutMillis ?? DEFAULT_REPORT_TIMEOUT_MILLIS;
  }

  export(spans: readonly FinishedSpan[]): void {
    // Converted now, not inside the tracer's serialization: a conversion error must not sit in
    // the tracer's buffer and fail every later report. All converted before any is queued, so a
    // throw (an id the wire cannot carry) leaves nothing half-exported behind.
    const converted = spans.map((span) => ({ component: span.component, proto: toCollectorSpan(span) }));
    let reporter: ComponentReporter | undefined;
    for (const { component, proto } of converted) {
      // Batches are mostly one component: skip the map lookup while it stays the same.
      if (reporter === undefined || reporter.component !== component) reporter = this.reporterFor(component);
      reporter.pending.push({ _toProto: () => proto });
    }
  }

  /**
   * Delivers the spans exported before this call, and only those. Flushes run one after the
   * other: one sink serves parallel log streams locally, and two flushes sharing a tracer buffer
   * would report each other's spans, so one could resolve while its spans went down with the
   * other's failed report.
   */
  flush(): Promise<void> {
    const batch: FlushBatch = [];
    for (const reporter of this.reporters.values()) {
      if (reporter.pending.length > 0) batch.push({ reporter, records: reporter.pending.splice(0) });
    }
    const size = batch.reduce((sum, { records }) => sum + records.length, 0);
    this.queued += size;
    const run = this.flushChain.then(() => this.deliver(batch)).finally(() => {
      this.queued -= size;
    });
    this.flushChain = run.catch(() => undefined);
    return run;
  }

  private async deliver(batch: FlushBatch): Promise<void> {
    const results = await Promise.allSettled(batch.map(({ reporter, records }) => this.flushReporter(reporter, records)));
    const failures = results.flatMap((result, i) =>
      result.status === 'rejected' ? [`${batch[i].reporter.component}: ${this.describe(result.reason)}${streak(batch[i].reporter)}`] : [],
    );
    if (failures.length > 0) {
      const { collectorHost, collectorPort } = this.options;
      throw new FlushError(`LightStep report to ${collectorHost}:${collectorPort} failed (${failures.join('; ')})`);
    }
  }

  /** Components that have a tracer (for tests and diagnostics). */
  components(): string[] {
    return [...this.reporters.keys()];
  }

  /** Spans waiting here or in a tracer's buffer: 0 after every flush, failed or not. */
  buffered(): number {
    let count = this.queued;
    for (const reporter of this.reporters.values()) count += reporter.pending.length + reporter.tracer._spanRecords.length;
    return count;
  }

  /** Releases the transports' kept-alive sockets. */
  close(): void {
    for (const reporter of this.reporters.values()) reporter.transport.close();
  }

  private reporterFor(component: string): ComponentReporter {
    let reporter = this.reporters.get(component);
    if (reporter === undefined) {
      const transport = new KeepAliveReportTransport();
      const tracer = new lightstep.Tracer({
        access_token: this.options.accessToken,
        component_name: component,
        collector_host: this.options.collectorHost,
        collector_port: this.options.collectorPort,
        collector_encryption: this.options.collectorEncryption,
        max_span_records: this.maxSpanRecords,
        report_timeout_millis: this.reportTimeoutMillis,
        // Reports happen only in flush(): no timer, no process 'beforeExit' listener per tracer.
        disable_reporting_loop: true,
        disable_report_on_exit: true,
        // Original timestamps are sent as recorded; the forwarder's clock has nothing to correct.
        disable_clock_skew_correction: true,
        disable_meta_event_reporting: true,
        verbosity: 0,
        override_transport: transport,
      } as lightstep.TracerOptions);
      const created: ComponentReporter = { component, tracer, transport, pending: [], failureStreak: 0 };
      tracer.on('report_error', (_err: Error, payload: unknown) => {
        created.failureStreak = (payload as { streak?: number } | undefined)?.streak ?? created.failureStreak + 1;
      });
      tracer.on('report', () => {
        created.failureStreak = 0;
      });
      this.reporters.set(component, created);
      reporter = created;
    }
    return reporter;
  }

  /** Adds at most a buffer's worth, flushes, awaits, repeats: the buffer never overwrites a span. */
  private async flushReporter(reporter: ComponentReporter, records: lightstep.SpanRecord[]): Promise<void> {
    const { tracer } = reporter;
    try {
      while (records.length > 0) {
        const room = Math.max(1, this.maxSpanRecords - tracer._spanRecords.length);
        const chunk = records.splice(0, room);
        for (let i = 0; i < chunk.length; i++) tracer._addSpanRecord(chunk[i]);
        await flushTracer(reporter);
      }
    } catch (error) {
      // The tracer put the report back in its buffer. Lambda retries the whole event, so a stale
      // buffer would send these spans twice (and grow with every failure): drop it, and the rest
      // of this flush's records (only this flush's: flushes never overlap).
      tracer._clearBuffers();
      records.length = 0;
      throw error;
    }
  }

  /** One component's failure, in words that cannot carry the token. */
  private describe(reason: unknown): string {
    if (reason instanceof ReportError) return reason.code && !reason.message.includes(reason.code) ? `${reason.code} ${reason.message}` : reason.message;
    // Anything else came from inside lightstep-tracer: outside text.
    const text = reason instanceof Error ? `${reason.name}: ${reason.message}` : String(reason);
    return textWithoutToken(text, this.options.accessToken) ?? `${reason instanceof Error ? reason.name : 'error'} (message not shown: the access token is too short to redact)`;
  }
}

function streak(reporter: ComponentReporter): string {
  return reporter.failureStreak > 1 ? ` (${reporter.failureStreak} failed reports in a row)` : '';
}

function flushTracer(reporter: ComponentReporter): Promise<void> {
  return new Promise((resolve, reject) =>
    reporter.tracer.flush((err) => (err ? reject(err) : resolve())),
  );
}
