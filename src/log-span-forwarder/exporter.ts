import type { SpanSource } from '../otlp/wire/span-to-export';
import type { FinishedSpan } from '../span-line';
import type { SpanSink } from '../span-line/span-view';

export type { SpanSource };

/**
 * An exporter's way to take spans straight from the decoder, a reused view per span, without a
 * FinishedSpan per span (decodeSpanLineInto). What it takes counts as exported.
 */
export interface LineSink extends SpanSink {
  /** Before each line's spans. */
  beginLine(): void;
  /**
   * After the spans of a line the decoder took, or when reading a line threw (`completed`
   * false): undefined when every span of the line is taken; otherwise none of them is (what was
   * taken is given back) and the answer says why, secret-free.
   */
  endLine(completed: boolean): string | undefined;
}

/** What a flush may take into account. */
export interface FlushOptions {
  /**
   * Epoch ms by which the flush must have settled (the invocation's deadline less a margin):
   * retries stop before it, and the flush rejects instead of Lambda timing the invocation out.
   */
  deadlineMs?: number;
}

/** What a delivered flush reports beyond success. */
export interface FlushResult {
  /** Spans a backend accepted the request for but refused (an OTLP partial success). Not retried. */
  rejectedSpans: number;
  /** The backend's reason, secret-free; '' when none. */
  rejectionMessage: string;
}

/**
 * Where forwarded spans go: one interface for every backend, in the shape of OpenTelemetry's
 * SpanExporter. `export` only queues (cheap, synchronous, on the per-line loop's output) and is
 * all or nothing: it throws before queuing any span of a batch it cannot take. `flush` delivers
 * everything exported before it and rejects when any of it could not be delivered (the forwarder
 * then fails the invocation, so Lambda retries the event and then uses the failure queue).
 * `shutdown` flushes and frees sockets.
 */
export interface SpanExporter {
  /** Names the backend in errors and summaries (never a secret). */
  readonly name: string;
  /** `source`: the log group, stream and account the spans were read from (resource attributes). */
  export(spans: readonly FinishedSpan[], source?: SpanSource): void;
  /** Optional: a LineSink for the spans of `source`, in place of export() (the forwarder's hot path). */
  lineSink?(source?: SpanSource): LineSink;
  /** Resolves with a FlushResult when the backend can refuse part of a delivery (OTLP), else void. */
  flush(options?: FlushOptions): Promise<FlushResult | void>;
  shutdown(): Promise<void>;
}

/** A flush that did not deliver. Its message names the backend and never a token or header value. */
export class FlushError extends Error {
  override readonly name = 'FlushError';
}

/**
 * Several exporters at once, each with the same guarantees: every one gets every span, and the
 * flush fails when any of them failed (a retried event reaches the others again: backends keep
 * a span once by its ids).
 */
export class FanOutExporter implements SpanExporter {
  readonly name: string;

  constructor(private readonly exporters: readonly SpanExporter[]) {
    if (exporters.length === 0) throw new Error('FanOutExporter needs at least one exporter');
    this.name = exporters.map((exporter) => exporter.name).join(' + ');
  }

  export(spans: readonly FinishedSpan[], source?: SpanSource): void {
    for (const exporter of this.exporters) exporter.export(spans, source);
  }

  /** The rejected spans of every backend, added up: each backend refused its own copies. */
  async flush(options?: FlushOptions): Promise<FlushResult> {
    const results = await Promise.allSettled(this.exporters.map((exporter) => exporter.flush(options)));
    const failures = results.flatMap((result) => (result.status === 'rejected' ? [messageOf(result.reason)] : []));
    if (failures.length > 0) throw new FlushError(failures.join('; '));
    let rejectedSpans = 0;
    const messages: string[] = [];
    results.forEach((result, i) => {
      const value = result.status === 'fulfilled' ? result.value : undefined;
      if (!value || value.rejectedSpans === 0) return;
      rejectedSpans += value.rejectedSpans;
      messages.push(`${this.exporters[i].name}: ${value.rejectionMessage || 'no reason given'}`);
    });
    return { rejectedSpans, rejectionMessage: messages.join('; ') };
  }

  async shutdown(): Promise<void> {
    await Promise.allSettled(this.exporters.map((exporter) => exporter.shutdown()));
  }
}

/** The test double: keeps what it was given, in order. */
export class InMemoryExporter implements SpanExporter {
  readonly name = 'memory';
  readonly exported: FinishedSpan[] = [];
  readonly flushed: FinishedSpan[] = [];
  /** The source each export() named, in order. */
  readonly sources: Array<SpanSource | undefined> = [];
  flushCount = 0;

  export(spans: readonly FinishedSpan[], source?: SpanSource): void {
    for (const span of spans) this.exported.push(span);
    this.sources.push(source);
  }

  async flush(): Promise<void> {
    this.flushCount++;
    for (const span of this.exported.splice(0)) this.flushed.push(span);
  }

  async shutdown(): Promise<void> {
    await this.flush();
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
