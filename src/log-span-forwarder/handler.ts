import type { CloudWatchLogsEvent, KinesisStreamBatchResponse, KinesisStreamEvent } from 'aws-lambda';
import { loadExporter } from './config';
import type { SpanExporter } from './exporter';
import { emptySummary, forwardLogEvents, type ForwardSummary } from './forward';
import { forwardKinesisEvent } from './kinesis-batch';
import { isKinesisStreamEvent } from './kinesis-event';
import { decodeSubscriptionEvent } from './subscription-event';
import { buildSummaryLine, writeSummaryLine } from './summary-log';

export type { ForwardSummary } from './forward';

/**
 * One subscription event → spans delivered (or a rejection). Rejects on a malformed event or a
 * failed flush, so Lambda retries the event and then sends it to the dead-letter queue.
 */
export async function forwardSubscriptionEvent(
  event: CloudWatchLogsEvent,
  exporter: SpanExporter,
  writeLine: (line: string) => void = writeSummaryLine,
): Promise<ForwardSummary> {
  const payload = decodeSubscriptionEvent(event);
  if (payload.messageType === 'CONTROL_MESSAGE') return emptySummary(); // CloudWatch's health check
  const summary = forwardLogEvents(payload.logEvents, exporter);
  let flushFailed = false;
  try {
    await exporter.flush();
  } catch (error) {
    flushFailed = true;
    throw error;
  } finally {
    writeLine(buildSummaryLine(summary, { sourceLogGroup: payload.logGroup, flushFailed }));
  }
  return summary;
}

// The exporter lives as long as the container: one tracer per component, kept-alive sockets.
let exporter: Promise<SpanExporter> | undefined;

function containerExporter(): Promise<SpanExporter> {
  if (exporter === undefined) {
    const created = loadExporter();
    // A bad setting (or an SSM hiccup) rejects naming the variable, and is tried again next invocation.
    created.catch(() => {
      if (exporter === created) exporter = undefined;
    });
    exporter = created;
  }
  return exporter;
}

/**
 * Both event shapes, told apart once per event: a CloudWatch Logs subscription (`awslogs.data`,
 * rejects to be retried) or a Kinesis batch (`Records`, answers with batchItemFailures).
 */
export async function handler(event: KinesisStreamEvent): Promise<KinesisStreamBatchResponse>;
export async function handler(event: CloudWatchLogsEvent): Promise<ForwardSummary>;
export async function handler(event: CloudWatchLogsEvent | KinesisStreamEvent): Promise<ForwardSummary | KinesisStreamBatchResponse> {
  if (isKinesisStreamEvent(event)) return forwardKinesisEvent(event, await containerExporter());
  return forwardSubscriptionEvent(event, await containerExporter());
}
