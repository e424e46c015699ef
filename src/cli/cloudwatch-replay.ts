import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import type { CloudWatchLogsEvent } from 'aws-lambda';
import type { ForwardSummary } from '../log-span-forwarder/forward';
import { encodeSubscriptionEvent } from '../log-span-forwarder/subscription-event';
import { fetchSpanEvents, type LogEvent, type SpanEventQuery } from './cloudwatch-span-events';

/** Subscription deliveries carry at most ~1 MB; stay well under it so a batch looks like a real one. */
const MAX_BATCH_EVENTS = 5000;
const MAX_BATCH_CHARS = 900_000;

export interface CloudWatchReplaySummary {
  batches: number;
  received: number;
  forwarded: number;
}

/**
 * Re-sends a log group's span lines for a time window through the forwarder, as genuine
 * subscription events (one log stream per batch, like CloudWatch delivers them). For windows the
 * forwarder missed: a DLQ that expired, a forwarder deployed after the fact. Redelivery is safe:
 * spans keep their ids, so a collector that already has them keeps one copy.
 */
export async function replayFromCloudWatch(
  client: CloudWatchLogsClient,
  query: SpanEventQuery,
  forward: (event: CloudWatchLogsEvent) => Promise<ForwardSummary>,
  owner = '000000000000',
): Promise<CloudWatchReplaySummary> {
  const summary: CloudWatchReplaySummary = { batches: 0, received: 0, forwarded: 0 };
  let batch: LogEvent[] = [];
  let chars = 0;
  const send = async (): Promise<void> => {
    if (batch.length === 0) return;
    const event = encodeSubscriptionEvent({
      messageType: 'DATA_MESSAGE',
      owner,
      logGroup: query.logGroupName,
      logStream: batch[0].logStreamName,
      subscriptionFilters: ['replay'],
      logEvents: batch.map(({ id, timestamp, message }) => ({ id, timestamp, message })),
    });
    const result = await forward(event); // a failed flush rejects: stop, nothing after it is claimed sent
    summary.batches++;
    summary.received += result.received;
    summary.forwarded += result.forwarded;
    batch = [];
    chars = 0;
  };
  for await (const event of fetchSpanEvents(client, query)) {
    const full = batch.length === MAX_BATCH_EVENTS || chars + event.message.length > MAX_BATCH_CHARS;
    if (batch.length > 0 && (full || batch[0].logStreamName !== event.logStreamName)) await send();
    batch.push(event);
    chars += event.message.length;
  }
  await send();
  return summary;
}
