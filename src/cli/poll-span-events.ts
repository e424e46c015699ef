import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { sleep } from './abortable';
import { fetchSpanEvents, type LogEvent, type SpanEventQuery } from './cloudwatch-span-events';

export const POLL_MS = 2000;
/** CloudWatch can make an event searchable seconds after its timestamp: each poll re-reads this much. */
const REREAD_MS = 10_000;

export interface PollOptions {
  follow: boolean;
  signal?: AbortSignal;
  pollMs?: number;
  onEvent(event: LogEvent): void;
}

/**
 * Reads a log group's span lines from `query.startTime` with FilterLogEvents; with `follow`, keeps
 * polling, re-reading the last seconds each time and skipping the events already seen (as
 * `aws logs tail --follow` does). The fallback when Live Tail is not available.
 */
export async function pollSpanEvents(client: CloudWatchLogsClient, query: SpanEventQuery, options: PollOptions): Promise<void> {
  // Ids of the events already handed on, with their timestamps: only the re-read window needs them.
  const seen = new Map<string, number>();
  let startTime = query.startTime;
  for (;;) {
    let newest = startTime;
    for await (const event of fetchSpanEvents(client, { ...query, startTime })) {
      if (seen.has(event.id)) continue;
      seen.set(event.id, event.timestamp);
      newest = Math.max(newest, event.timestamp);
      options.onEvent(event);
      if (options.signal?.aborted) return;
    }
    if (!options.follow || options.signal?.aborted) return;
    startTime = Math.max(startTime, newest - REREAD_MS);
    for (const [id, timestamp] of seen) if (timestamp < startTime) seen.delete(id); // a follow runs for hours
    await sleep(options.pollMs ?? POLL_MS, options.signal);
    if (options.signal?.aborted) return;
  }
}
