import { OtlpExportError, OtlpHttpClient, type OtlpHttpClientOptions } from '../otlp/http-client';
import { describeOtlpUrl, type OtlpTarget } from '../otlp/target';
import { ResourceCache, serializeOtlpRequest, toOtlpSpan, type OtlpSpan } from '../otlp/wire/encode';
import type { FinishedSpan } from '../span-line';
import { FlushError, type FlushOptions, type FlushResult, type SpanExporter, type SpanSource } from './exporter';

/** Spans per request: a 10,000-span event goes out as ten bodies of a few hundred KB, not one of megabytes. */
export const DEFAULT_MAX_SPANS_PER_REQUEST = 1000;

export interface OtlpExporterOptions extends OtlpHttpClientOptions {
  /** The forwarder's AWS_REGION: the resource's cloud.region (a subscription delivers within its region). */
  region?: string;
  maxSpansPerRequest?: number;
}

/**
 * Re-emits spans over OTLP/HTTP (protobuf or JSON, gzip) with the function's own ids and times:
 * `export` maps every span first (an id OTLP cannot carry throws before anything is queued),
 * `flush` sends the spans exported before it, in requests of at most 1,000, one after the other,
 * each retried as the specification says within the invocation's remaining time.
 */
export class OtlpExporter implements SpanExporter {
  readonly name: string;
  private readonly client: OtlpHttpClient;
  private readonly resources: ResourceCache;
  private readonly maxSpansPerRequest: number;
  private pending: OtlpSpan[] = [];
  /** The last flush in the chain (settled, never rejecting): the next one starts after it. */
  private flushChain: Promise<unknown> = Promise.resolve();
  private queued = 0;

  constructor(
    private readonly target: OtlpTarget,
    options: OtlpExporterOptions = {},
  ) {
    this.name = `OTLP ${describeOtlpUrl(target.url)}`;
    this.client = new OtlpHttpClient(target, options);
    this.resources = new ResourceCache(options.region);
    this.maxSpansPerRequest = options.maxSpansPerRequest ?? DEFAULT_MAX_SPANS_PER_REQUEST;
  }

  export(spans: readonly FinishedSpan[], source?: SpanSource): void {
    const mapped = spans.map((span) => toOtlpSpan(span, this.resources.get(span.component, source)));
    for (const span of mapped) this.pending.push(span);
  }

  /**
   * Delivers the spans exported before this call, and only those. Flushes run one after the
   * other (the local stack shares one exporter across log streams delivered in parallel).
   */
  flush(options: FlushOptions = {}): Promise<FlushResult> {
    const batch = this.pending;
    this.pending = [];
    this.queued += batch.length;
    const run = this.flushChain.then(() => this.deliver(batch, options.deadlineMs)).finally(() => {
      this.queued -= batch.length;
    });
    this.flushChain = run.catch(() => undefined);
    return run;
  }

  async shutdown(): Promise<void> {
    try {
      await this.flush();
    } finally {
      this.client.close();
    }
  }

  /** Spans exported and not yet delivered or given up on: 0 after every flush, failed or not. */
  buffered(): number {
    return this.pending.length + this.queued;
  }

  private async deliver(batch: OtlpSpan[], deadlineMs: number | undefined): Promise<FlushResult> {
    let rejectedSpans = 0;
    const messages = new Set<string>();
    for (let start = 0; start < batch.length; start += this.maxSpansPerRequest) {
      const request = serializeOtlpRequest(batch.slice(start, start + this.maxSpansPerRequest), this.target.protocol);
      try {
        const outcome = await this.client.send(request, deadlineMs);
        rejectedSpans += outcome.rejectedSpans;
        if (outcome.rejectedSpans > 0 && outcome.rejectionMessage) messages.add(outcome.rejectionMessage);
      } catch (error) {
        // The whole event is retried by Lambda: the requests that got through are sent again,
        // and backends keep a span once by its ids.
        const sent = start === 0 ? '' : ` (${start} of ${batch.length} spans were delivered before it)`;
        throw new FlushError(`${error instanceof OtlpExportError ? error.message : 'OTLP export failed'}${sent}`);
      }
    }
    return { rejectedSpans, rejectionMessage: [...messages].join('; ') };
  }
}
