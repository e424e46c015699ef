import { CloudWatchLogsClient, paginateFilterLogEvents, type FilteredLogEvent } from '@aws-sdk/client-cloudwatch-logs';
import { SPAN_LINE_FILTER_PATTERN } from '../span-line';

export interface SpanEventQuery {
  logGroupName: string;
  /** The group's ARN (another account's group); asked for instead of the name when set. */
  logGroupArn?: string;
  /** Milliseconds since the epoch, inclusive. */
  startTime: number;
  /** Milliseconds since the epoch, exclusive; open-ended when absent. */
  endTime?: number;
}

/** A CloudWatch log event as a subscription event carries it. */
export interface LogEvent {
  id: string;
  timestamp: number;
  message: string;
  logStreamName: string;
}

/**
 * Reads the span lines of a log group from CloudWatch Logs, page by page, selected server-side
 * by the same filter pattern the subscription filter uses.
 */
export async function* fetchSpanEvents(client: CloudWatchLogsClient, query: SpanEventQuery): AsyncGenerator<LogEvent> {
  const pages = paginateFilterLogEvents(
    { client },
    {
      ...(query.logGroupArn ? { logGroupIdentifier: query.logGroupArn } : { logGroupName: query.logGroupName }),
      startTime: query.startTime,
      endTime: query.endTime,
      filterPattern: SPAN_LINE_FILTER_PATTERN,
    },
  );
  for await (const page of pages) {
    for (const event of page.events ?? []) {
      const logEvent = toLogEvent(event);
      if (logEvent) yield logEvent;
    }
  }
}

function toLogEvent(event: FilteredLogEvent): LogEvent | undefined {
  if (event.eventId === undefined || event.timestamp === undefined || event.message === undefined) return undefined;
  return { id: event.eventId, timestamp: event.timestamp, message: event.message, logStreamName: event.logStreamName ?? '' };
}
