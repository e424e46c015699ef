import type { FinishedSpan } from '../span-line';

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
  export(spans: readonly FinishedSpan[]): void;
  flush(): Promise<void>;
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

  export(spans: readonly FinishedSpan[]): void {
    for (const exporter of this.exporters) exporter.export(spans);
  }

  async flush(): Promise<void> {
    const results = await Promise.allSettled(this.exporters.map((exporter) => exporter.flush()));
    const failures = results.flatMap((result) => (result.status === 'rejected' ? [messageOf(result.reason)] : []));
    if (failures.length > 0) throw new FlushError(failures.join('; '));
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
  flushCount = 0;

  export(spans: readonly FinishedSpan[]): void {
    for (const span of spans) this.exported.push(span);
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
