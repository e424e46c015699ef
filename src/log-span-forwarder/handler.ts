import type { CloudWatchLogsEvent, Context, KinesisStreamBatchResponse, KinesisStreamEvent } from 'aws-lambda';
import { loadExporter } from './config';
import type { FlushOptions, SpanExporter } from './exporter';
import { emptySummary, forwardLogEvents, type ForwardSummary } from './forward';
import { forwardKinesisEvent } from './kinesis-batch';
import { isKinesisStreamEvent } from './kinesis-event';
import { decodeSubscriptionEvent } from './subscription-event';
import { buildSummaryLine, writeSummaryLine } from './summary-log';

export type { ForwardSummary } from './forward';

/**
 * How long before the invocation's deadline the flush gives up: time to write the summary line
 * and reject, so the failure is ours (named, retried) rather than a Lambda timeout.
 */
export const DEADLINE_MARGIN_MS = 1000;

/**
 * One subscription event → spans delivered (or a rejection). Rejects on a malformed event or a
 * failed flush, so Lambda retries the event and then sends it to the dead-letter queue.
 */
export async function forwardSubscriptionEvent(
  event: CloudWatchLogsEvent,
  exporter: SpanExporter,
  writeLine: (line: string) => void = writeSummaryLine,
  flushOptions: FlushOptions = {},
): Promise<ForwardSummary> {
  const payload = decodeSubscriptionEvent(event);
  if (payload.messageType === 'CONTROL_MESSAGE') return emptySummary(); // CloudWatch's health check
  const { owner, logGroup, logStream } = payload;
  const summary = forwardLogEvents(payload.logEvents, exporter, { owner, logGroup, logStream });
  let flushFailed = false;
  let rejectionMessage = '';
  try {
    const result = await exporter.flush(flushOptions);
    if (result) {
      summary.rejected = result.rejectedSpans;
      rejectionMessage = result.rejectionMessage;
    }
  } catch (error) {
    flushFailed = true;
    throw error;
  } finally {
    writeLine(buildSummaryLine(summary, { sourceLogGroup: payload.logGroup, flushFailed, rejectionMessage }));
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
export async function handler(event: KinesisStreamEvent, context?: Context): Promise<KinesisStreamBatchResponse>;
export async function handler(event: CloudWatchLogsEvent, context?: Context): Promise<ForwardSummary>;
export async function handler(event: CloudWatchLogsEvent | KinesisStreamEvent, context?: Context): Promise<ForwardSummary | KinesisStreamBatchResponse> {
  const exporter = await containerExporter();
  // Retries (OTLP) stop before Lambda's deadline, so a failure is ours, named, rather than a timeout.
  const flushOptions: FlushOptions = { deadlineMs: context ? Date.now() + context.getRemainingTimeInMillis() - DEADLINE_MARGIN_MS : undefined };
  if (isKinesisStreamEvent(event)) return forwardKinesisEvent(event, exporter, writeSummaryLine, flushOptions);
  return forwardSubscriptionEvent(event, exporter, writeSummaryLine, flushOptions);
}
