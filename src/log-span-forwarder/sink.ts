import type { FinishedSpan } from '../span-line';

/**
 * Where forwarded spans go: one small seam in the shape of OpenTelemetry's SpanExporter.
 * `export` only queues (cheap, synchronous, on the per-line hot path's output); `flush` delivers
 * everything queued and rejects when any of it could not be delivered.
 */
export interface SpanSink {
  export(spans: readonly FinishedSpan[]): void;
  flush(): Promise<void>;
}

/** The test double: keeps what it was given, in order. */
export class InMemorySink implements SpanSink {
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
}
