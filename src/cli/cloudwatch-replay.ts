import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import type { CloudWatchLogsEvent } from 'aws-lambda';
import { emptySummary, type ForwardSummary } from '../log-span-forwarder/forward';
import { encodeSubscriptionEvent } from '../log-span-forwarder/subscription-event';
import type { SkipReason } from '../span-line';
import { fetchSpanEvents, type LogEvent, type SpanEventQuery } from './cloudwatch-span-events';

/** Subscription deliveries carry at most ~1 MB; stay well under it so a batch looks like a real one. */
const MAX_BATCH_EVENTS = 5000;
const MAX_BATCH_CHARS = 900_000;

export interface CloudWatchReplaySummary {
  batches: number;
  received: number;
  forwarded: number;
  skipped: Record<SkipReason, number>;
}

export interface ReplayProgress {
  /** Events read from CloudWatch Logs so far. */
  read: number;
  /** Spans forwarded so far (delivered batches only). */
  forwarded: number;
  /** Timestamp (epoch ms) of the newest event read. */
  newestTimestamp: number;
}

/**
 * The replay stopped (a read or a delivery failed). Every event before `resumeFrom` was
 * delivered: a replay of `--since resumeFrom` (same end) carries on without a gap, and whatever
 * it sends again is kept once, spans keeping their ids.
 */
export class ReplayInterruptedError extends Error {
  override readonly name = 'ReplayInterruptedError';
  constructor(
    readonly cause: unknown,
    /** Epoch ms. */
    readonly resumeFrom: number,
    readonly summary: CloudWatchReplaySummary,
  ) {
    super((cause as Error)?.message ?? String(cause));
  }
}

/**
 * Re-sends a log group's span lines for a time window through the forwarder, as genuine
 * subscription events (one log stream per batch, like CloudWatch delivers them), in time order.
 * For windows the forwarder missed: a DLQ that expired, a forwarder deployed after the fact.
 * Redelivery is safe: spans keep their ids, so a collector that already has them keeps one copy.
 */
export async function replayFromCloudWatch(
  client: CloudWatchLogsClient,
  query: SpanEventQuery,
  forward: (event: CloudWatchLogsEvent) => Promise<ForwardSummary>,
  options: { owner?: string; onProgress?: (progress: ReplayProgress) => void } = {},
): Promise<CloudWatchReplaySummary> {
  const summary: CloudWatchReplaySummary = { batches: 0, received: 0, forwarded: 0, skipped: emptySummary().skipped };
  const progress: ReplayProgress = { read: 0, forwarded: 0, newestTimestamp: query.startTime };
  let batch: LogEvent[] = [];
  let chars = 0;
  // FilterLogEvents returns events sorted by timestamp (its API reference says so), and batches go
  // out in order: every event before the first undelivered one's timestamp was delivered.
  let resumeFrom = query.startTime;
  const send = async (): Promise<void> => {
    if (batch.length === 0) return;
    const event = encodeSubscriptionEvent({
      messageType: 'DATA_MESSAGE',
      owner: options.owner ?? '000000000000',
      logGroup: query.logGroupName,
      logStream: batch[0].logStreamName,
      subscriptionFilters: ['replay'],
      logEvents: batch.map(({ id, timestamp, message }) => ({ id, timestamp, message })),
    });
    const result = await forward(event); // a failed flush rejects: stop, nothing after it is claimed sent
    summary.batches++;
    summary.received += result.received;
    summary.forwarded += result.forwarded;
    for (const reason of Object.keys(result.skipped) as SkipReason[]) summary.skipped[reason] += result.skipped[reason];
    progress.forwarded = summary.forwarded;
    // Events share milliseconds: the next batch may hold more of this one, so resume at it, not after.
    resumeFrom = batch[batch.length - 1].timestamp;
    batch = [];
    chars = 0;
  };
  try {
    for await (const event of fetchSpanEvents(client, query)) {
      const full = batch.length === MAX_BATCH_EVENTS || chars + event.message.length > MAX_BATCH_CHARS;
      if (batch.length > 0 && (full || batch[0].logStreamName !== event.logStreamName)) await send();
      batch.push(event);
      chars += event.message.length;
      progress.read++;
      progress.newestTimestamp = Math.max(progress.newestTimestamp, event.timestamp);
      options.onProgress?.(progress);
    }
    await send();
  } catch (error) {
    throw new ReplayInterruptedError(error, batch.length > 0 ? batch[0].timestamp : resumeFrom, summary);
  }
  options.onProgress?.(progress);
  return summary;
}
