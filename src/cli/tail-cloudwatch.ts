import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { liveTail, LiveTailError } from './live-tail';
import { logGroupArns, LogGroupNotFoundError, type LogGroupTarget } from './log-groups';
import { POLL_MS, pollSpanEvents } from './poll-span-events';

export interface MessageOrigin {
  logGroup?: string;
  logStream?: string;
}

export interface CloudWatchTailOptions {
  targets: LogGroupTarget[];
  /** Epoch ms: the history shown first. */
  startTime: number;
  /** Epoch ms, without `follow` only. */
  endTime?: number;
  follow: boolean;
  /** Follow by polling FilterLogEvents even where Live Tail is available. */
  poll?: boolean;
  pollMs?: number;
  signal: AbortSignal;
  /** `origin`: the log group and stream the message was read from (a span line leaves out what they tell). */
  onMessage(message: string, origin: MessageOrigin): void;
  /** One-line notices for stderr. */
  notice(text: string): void;
  now?: () => number;
}

/**
 * The span lines of one or more log groups: the window from `startTime` (FilterLogEvents), then,
 * with `follow`, what arrives (CloudWatch Logs Live Tail; where it is not available — no
 * logs:StartLiveTail permission, a region without it — FilterLogEvents polling, said on stderr).
 */
export async function tailCloudWatch(client: CloudWatchLogsClient, options: CloudWatchTailOptions): Promise<void> {
  const { targets, signal, onMessage, notice } = options;
  const pollMs = options.pollMs ?? POLL_MS;
  const names = targets.map((t) => t.name).join(', ');
  const read = (startTime: number, endTime: number | undefined, follow: boolean): Promise<unknown> =>
    Promise.all(
      targets.map((t) =>
        pollSpanEvents(client, { logGroupName: t.name, logGroupArn: t.arn, startTime, endTime }, { follow, signal, pollMs, onEvent: (e) => onMessage(e.message, { logGroup: t.name, logStream: e.logStreamName }) }),
      ),
    );
  if (!options.follow) {
    await read(options.startTime, options.endTime, false);
    return;
  }
  if (options.poll) {
    notice(`following ${names} by polling FilterLogEvents every ${pollMs / 1000} s (Ctrl-C stops)`);
    await read(options.startTime, undefined, true);
    return;
  }

  const followFrom = (options.now ?? Date.now)();
  let lastLiveEvent: number | undefined;
  // The history and the live stream run side by side: a span in both is dropped as a duplicate.
  const history = read(options.startTime, followFrom, false);
  history.catch(() => undefined); // awaited below; not an unhandled rejection meanwhile
  try {
    const arns = await logGroupArns(client, targets);
    notice(`following ${names} with CloudWatch Logs Live Tail (Ctrl-C stops)`);
    await liveTail(client, arns, {
      signal,
      notice,
      onEvent: (event) => {
        if (event.timestamp !== undefined) lastLiveEvent = Math.max(lastLiveEvent ?? 0, event.timestamp);
        if (event.message !== undefined) onMessage(event.message, { logGroup: logGroupName(event.logGroupIdentifier), logStream: event.logStreamName });
      },
    });
  } catch (error) {
    if (signal.aborted) return void (await history);
    if (error instanceof LogGroupNotFoundError) throw error;
    const reason = error instanceof LiveTailError ? error.message : `${(error as Error).name}: ${(error as Error).message}`;
    notice(
      error instanceof LiveTailError && error.afterStart
        ? `Live Tail stopped (${reason}); polling FilterLogEvents every ${pollMs / 1000} s from here`
        : `Live Tail is not available (${reason}); polling FilterLogEvents every ${pollMs / 1000} s instead`,
    );
    await history;
    await read(lastLiveEvent ?? followFrom, undefined, true);
    return;
  }
  await history;
}

/** Live Tail names a group by ARN (`arn:aws:logs:<region>:<account>:log-group:<name>[:*]`) or name. */
function logGroupName(identifier: string | undefined): string | undefined {
  if (identifier === undefined) return undefined;
  const marker = identifier.indexOf(':log-group:');
  const name = marker === -1 ? identifier : identifier.slice(marker + ':log-group:'.length);
  return name.endsWith(':*') ? name.slice(0, -2) : name;
}
