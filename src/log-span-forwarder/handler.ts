import type { CloudWatchLogsEvent } from 'aws-lambda';
import { loadConfig } from './config';
import { emptySummary, forwardLogEvents, type ForwardSummary } from './forward';
import { LightStepSink } from './lightstep-sink';
import type { SpanSink } from './sink';
import { decodeSubscriptionEvent } from './subscription-event';
import { buildSummaryLine, writeSummaryLine } from './summary-log';

export type { ForwardSummary } from './forward';

/**
 * One subscription event → spans delivered (or a rejection). Rejects on a malformed event or a
 * failed flush, so Lambda retries the event and then sends it to the dead-letter queue.
 */
export async function forwardSubscriptionEvent(
  event: CloudWatchLogsEvent,
  sink: SpanSink,
  writeLine: (line: string) => void = writeSummaryLine,
): Promise<ForwardSummary> {
  const payload = decodeSubscriptionEvent(event);
  if (payload.messageType === 'CONTROL_MESSAGE') return emptySummary(); // CloudWatch's health check
  const summary = forwardLogEvents(payload.logEvents, sink);
  let flushFailed = false;
  try {
    await sink.flush();
  } catch (error) {
    flushFailed = true;
    throw error;
  } finally {
    writeLine(buildSummaryLine(summary, { sourceLogGroup: payload.logGroup, flushFailed }));
  }
  return summary;
}

// Config and sink live as long as the container: one tracer per component, kept-alive sockets.
let sink: Promise<LightStepSink> | undefined;

function containerSink(): Promise<LightStepSink> {
  if (sink === undefined) {
    const created = loadConfig().then((config) => new LightStepSink(config));
    // A bad setting (or an SSM hiccup) rejects naming the variable, and is tried again next invocation.
    created.catch(() => {
      if (sink === created) sink = undefined;
    });
    sink = created;
  }
  return sink;
}

export const handler = async (event: CloudWatchLogsEvent): Promise<ForwardSummary> =>
  forwardSubscriptionEvent(event, await containerSink());
