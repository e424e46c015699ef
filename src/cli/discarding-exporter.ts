import type { SpanExporter } from '../log-span-forwarder/exporter';
import type { FinishedSpan } from '../span-line';

/** `--dry-run`: the forwarder's own decoding and counting, with an exporter that sends nothing. */
export class DiscardingExporter implements SpanExporter {
  readonly name = 'nothing (dry run)';
  spans = 0;

  export(spans: readonly FinishedSpan[]): void {
    this.spans += spans.length;
  }

  async flush(): Promise<void> {}

  async shutdown(): Promise<void> {}
}
