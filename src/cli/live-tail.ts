import { StartLiveTailCommand, type CloudWatchLogsClient, type LiveTailSessionLogEvent } from '@aws-sdk/client-cloudwatch-logs';
import { SPAN_LINE_FILTER_PATTERN } from '../span-line';
import { untilAborted } from './abortable';

/** StartLiveTail takes at most this many log groups: more run in several sessions. */
export const LIVE_TAIL_MAX_GROUPS = 10;

export interface LiveTailOptions {
  signal: AbortSignal;
  onEvent(event: LiveTailSessionLogEvent): void;
  /** One-line notices for stderr (sampling, a session renewed). */
  notice(text: string): void;
}

/** Live Tail failed (not a session timing out): the caller falls back to polling. */
export class LiveTailError extends Error {
  override readonly name = 'LiveTailError';
  constructor(
    message: string,
    readonly cause: unknown,
    /** The session had streamed; the failure is not about whether Live Tail is available. */
    readonly afterStart: boolean,
  ) {
    super(message);
  }
}

/**
 * Streams the span lines of log groups (by ARN) with CloudWatch Logs Live Tail, selected
 * server-side by the subscription filter's pattern, until the signal aborts. A session ends after
 * three hours (SessionTimeoutException): a new one starts. Any other failure rejects with a
 * LiveTailError.
 */
export async function liveTail(client: CloudWatchLogsClient, arns: string[], options: LiveTailOptions): Promise<void> {
  const sessions: string[][] = [];
  for (let i = 0; i < arns.length; i += LIVE_TAIL_MAX_GROUPS) sessions.push(arns.slice(i, i + LIVE_TAIL_MAX_GROUPS));
  const failed = new AbortController();
  const signal = AbortSignal.any([options.signal, failed.signal]);
  await Promise.all(
    sessions.map((groups) =>
      session(client, groups, { ...options, signal }).catch((error: unknown) => {
        failed.abort(); // one session down: stop the others, the caller falls back for all
        throw error;
      }),
    ),
  );
}

async function session(client: CloudWatchLogsClient, logGroupIdentifiers: string[], options: LiveTailOptions): Promise<void> {
  let sampledNoticed = false;
  let streamed = false;
  while (!options.signal.aborted) {
    let response;
    try {
      response = await client.send(
        new StartLiveTailCommand({ logGroupIdentifiers, logEventFilterPattern: SPAN_LINE_FILTER_PATTERN }),
        { abortSignal: options.signal },
      );
    } catch (error) {
      if (options.signal.aborted) return;
      throw new LiveTailError(describe(error), error, streamed);
    }
    let timedOut = false;
    try {
      for await (const item of untilAborted(response.responseStream ?? emptyStream(), options.signal)) {
        if (item.sessionStart) {
          streamed = true;
        } else if (item.sessionUpdate) {
          streamed = true;
          if (item.sessionUpdate.sessionMetadata?.sampled && !sampledNoticed) {
            sampledNoticed = true;
            options.notice('Live Tail is sampling (over 500 matching events per second): some spans are not shown');
          }
          for (const event of item.sessionUpdate.sessionResults ?? []) options.onEvent(event);
        } else if (item.SessionTimeoutException) {
          timedOut = true;
          break;
        } else if (item.SessionStreamingException) {
          throw Object.assign(new Error(item.SessionStreamingException.message ?? 'session streaming failed'), { name: 'SessionStreamingException' });
        }
      }
    } catch (error) {
      if (options.signal.aborted) return;
      if ((error as Error)?.name !== 'SessionTimeoutException') throw new LiveTailError(describe(error), error, true);
      timedOut = true;
    }
    if (options.signal.aborted) return;
    if (!timedOut) throw new LiveTailError('the Live Tail stream ended', undefined, true);
    options.notice('Live Tail session reached its 3-hour limit: starting a new one');
  }
}

async function* emptyStream(): AsyncGenerator<never> {
  // A response without a stream ends at once (and is reported as an ended stream).
}

function describe(error: unknown): string {
  const e = error as { name?: string; message?: string };
  return e?.name && e.message ? `${e.name}: ${e.message}` : String(error);
}
