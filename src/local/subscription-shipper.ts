import type { CloudWatchLogsEvent, CloudWatchLogsLogEvent } from 'aws-lambda';
import { encodeSubscriptionEvent } from '../log-span-forwarder/subscription-event';
import { matchesSpanLineFilter } from '../span-line';
import type { DeliveryResult } from './async-delivery';

export interface SubscriptionShipperOptions {
  logGroup: string;
  /** The subscription filter's name, as it appears in the payload. */
  filterName: string;
  /** A buffered event waits at most this long (the issue asks for ≤ 200 ms); a REPORT line ships sooner. */
  flushIntervalMs: number;
  /** A batch is sent early once it holds this many events... */
  maxBatchEvents?: number;
  /** ...or this many message bytes (CloudWatch's subscription batches stay near 1 MB gzipped and less). */
  maxBatchBytes?: number;
  deliver: (event: CloudWatchLogsEvent, meta: { logGroup: string; logStream: string; logEvents: number }) => Promise<DeliveryResult>;
}

/** Lambda's platform line written after every invocation (the worker writes it too). */
const INVOCATION_END_PREFIX = 'REPORT RequestId: ';

interface StreamBuffer {
  events: CloudWatchLogsLogEvent[];
  bytes: number;
  timer: NodeJS.Timeout;
}

/**
 * The local stand-in for a CloudWatch Logs subscription: log events are selected with the SAME
 * filter as template.yaml's, batched per log stream (a subscription payload names one stream),
 * and delivered as genuine gzip + base64 subscription events.
 */
export class SubscriptionShipper {
  private readonly buffers = new Map<string, StreamBuffer>();
  private readonly inFlight = new Set<Promise<DeliveryResult>>();
  /** Events offered / matched by the filter, and batches sent (diagnostics and tests). */
  readonly stats = { offered: 0, matched: 0, batches: 0, deadLettered: 0 };

  constructor(private readonly options: SubscriptionShipperOptions) {}

  add(logStream: string, event: CloudWatchLogsLogEvent): void {
    this.stats.offered++;
    if (!matchesSpanLineFilter(event.message)) {
      // An invocation's last line: its spans are complete, so ship them now rather than at the
      // end of the window (the trace page fills in while the caller is still looking at /ot-gen).
      if (event.message.startsWith(INVOCATION_END_PREFIX)) this.send(logStream);
      return;
    }
    this.stats.matched++;
    let buffer = this.buffers.get(logStream);
    if (!buffer) {
      buffer = { events: [], bytes: 0, timer: setTimeout(() => this.send(logStream), this.options.flushIntervalMs) };
      this.buffers.set(logStream, buffer);
    }
    buffer.events.push(event);
    buffer.bytes += event.message.length;
    if (buffer.events.length >= (this.options.maxBatchEvents ?? 10_000) || buffer.bytes >= (this.options.maxBatchBytes ?? 1_000_000)) {
      this.send(logStream);
    }
  }

  /** Sends everything buffered and waits for every delivery (and its retries) to finish. */
  async flush(): Promise<void> {
    for (const logStream of [...this.buffers.keys()]) this.send(logStream);
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }

  private send(logStream: string): void {
    const buffer = this.buffers.get(logStream);
    if (!buffer) return;
    this.buffers.delete(logStream);
    clearTimeout(buffer.timer);
    const { logGroup, filterName } = this.options;
    const event = encodeSubscriptionEvent({
      messageType: 'DATA_MESSAGE',
      owner: '000000000000',
      logGroup,
      logStream,
      subscriptionFilters: [filterName],
      logEvents: buffer.events,
    });
    this.stats.batches++;
    const delivery = this.options.deliver(event, { logGroup, logStream, logEvents: buffer.events.length });
    this.inFlight.add(delivery);
    void delivery.then((result) => {
      if (!result.delivered) this.stats.deadLettered++;
      this.inFlight.delete(delivery);
    });
  }
}
