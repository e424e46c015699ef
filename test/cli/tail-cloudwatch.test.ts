import {
  AccessDeniedException,
  CloudWatchLogsClient,
  DescribeLogGroupsCommand,
  FilterLogEventsCommand,
  SessionStreamingException,
  SessionTimeoutException,
  StartLiveTailCommand,
  type StartLiveTailResponseStream,
} from '@aws-sdk/client-cloudwatch-logs';
import { mockClient } from 'aws-sdk-client-mock';
import { runTail } from '../../src/cli/tail-command';
import { SPAN_LINE_FILTER_PATTERN } from '../../src/span-line';
import { eventually, testIo } from './cli-io';
import { spanLine } from './span-lines';

const NOW = Date.UTC(2026, 10, 25, 5, 0, 0);
const ACCOUNT = '123456789012';
const arnOf = (name: string) => `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:${name}`;
const client = () => new CloudWatchLogsClient({ region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' } });
const deps = { cloudWatch: client, now: () => NOW, pollMs: 10 };

/** One span per function of the same trace: the service called both. */
const fnSpan = (spanId: string, operation: string) => spanLine({ spanId, parentSpanId: 'a2fb4a1d1a96d312', operation });
const event = (id: string, message: string, timestamp = NOW - 1000) => ({ eventId: id, timestamp, message, logStreamName: 's' });

/** A Live Tail response stream: the session start, the updates, then (like the real one) nothing until it is closed. */
function liveStream(updates: Array<Array<{ message: string; timestamp: number }>>, end?: Error, sampled = false): AsyncIterable<StartLiveTailResponseStream> {
  return (async function* () {
    yield { sessionStart: { sessionId: 'session-1', logGroupIdentifiers: [] } };
    for (const results of updates) yield { sessionUpdate: { sessionMetadata: { sampled }, sessionResults: results.map((r) => ({ ...r, logStreamName: 's' })) } };
    if (end) throw end; // the SDK throws modelled stream exceptions from the iterator
    await new Promise(() => undefined);
  })();
}

describe('npm run tail, CloudWatch Logs', () => {
  const cwl = mockClient(CloudWatchLogsClient);
  afterEach(() => cwl.reset());

  function describeGroups(...names: string[]): void {
    cwl.on(DescribeLogGroupsCommand).callsFake((input: { logGroupNamePrefix: string }) => ({
      logGroups: names.filter((n) => n.startsWith(input.logGroupNamePrefix)).map((n) => ({ logGroupName: n, arn: `${arnOf(n)}:*`, logGroupArn: arnOf(n) })),
    }));
  }

  it('reads a window of several log groups, a function name standing for its log group', async () => {
    cwl.on(FilterLogEventsCommand, { logGroupName: '/aws/lambda/fn-a' }).resolves({ events: [event('1', fnSpan('00000000000000a1', 'from-a'))] });
    cwl.on(FilterLogEventsCommand, { logGroupName: '/aws/lambda/fn-b' }).resolves({ events: [event('2', fnSpan('00000000000000b1', 'from-b'))] });
    const t = testIo({ stdinTTY: true });
    await runTail(['fn-a', '-g', '/aws/lambda/fn-b', '--since', '1h'], t.io, deps);
    const calls = cwl.commandCalls(FilterLogEventsCommand).map((c) => c.args[0].input);
    expect(calls).toHaveLength(2);
    for (const input of calls) expect(input).toMatchObject({ startTime: NOW - 3_600_000, filterPattern: SPAN_LINE_FILTER_PATTERN });
    expect(calls.map((i) => i.logGroupName).sort()).toEqual(['/aws/lambda/fn-a', '/aws/lambda/fn-b']);
    expect(t.out()).toMatch(/^trace 4bf92f3577b34da6 · .* · 2 spans/);
    expect(t.out()).toContain('from-a');
    expect(t.out()).toContain('from-b');
    expect(t.err()).toContain('tail: 2 spans in 1 trace');
  });

  it('follows with Live Tail: log groups by ARN, the span filter pattern, after the --since window', async () => {
    describeGroups('/aws/lambda/fn-a', '/aws/lambda/fn-a-other', '/aws/lambda/fn-b');
    cwl.on(FilterLogEventsCommand).resolves({ events: [event('h', spanLine({ spanId: '0000000000000001', operation: 'from-history', traceId: '1111111111111111' }))] });
    cwl.on(StartLiveTailCommand).callsFake(() => ({
      responseStream: liveStream([[], [{ message: fnSpan('00000000000000a1', 'live-a'), timestamp: NOW + 10 }, { message: 'END RequestId: 1', timestamp: NOW + 11 }]], undefined, true),
    }));
    const t = testIo({ stdinTTY: true });
    const done = runTail(['fn-a', 'fn-b', '--follow', '--wait', '20ms'], t.io, deps);
    await eventually(() => t.out().includes('live-a') && t.out().includes('from-history'));
    t.abort();
    await expect(done).resolves.toBe(0);
    const live = cwl.commandCalls(StartLiveTailCommand);
    expect(live).toHaveLength(1);
    expect(live[0].args[0].input).toEqual({
      logGroupIdentifiers: [arnOf('/aws/lambda/fn-a'), arnOf('/aws/lambda/fn-b')],
      logEventFilterPattern: SPAN_LINE_FILTER_PATTERN,
    });
    const history = cwl.commandCalls(FilterLogEventsCommand).map((c) => c.args[0].input);
    expect(history.map((i) => [i.logGroupName, i.startTime, i.endTime])).toEqual([
      ['/aws/lambda/fn-a', NOW - 600_000, NOW],
      ['/aws/lambda/fn-b', NOW - 600_000, NOW],
    ]);
    expect(t.err()).toContain('tail: following /aws/lambda/fn-a, /aws/lambda/fn-b with CloudWatch Logs Live Tail');
    expect(t.err().match(/Live Tail is sampling \(over 500 matching events per second\): some spans are not shown/g)).toHaveLength(1);
    // Both history reads return the same event here: shown once.
    expect(t.err()).toContain('3 spans in 2 traces; skipped 1 other line (not_json 1); 1 duplicate dropped');
    expect(t.out().match(/from-history/g)).toHaveLength(1);
  });

  it('falls back to FilterLogEvents polling where Live Tail is denied, and says so', async () => {
    describeGroups('/aws/lambda/fn-a');
    cwl.on(StartLiveTailCommand).rejects(new AccessDeniedException({ message: 'not authorized to perform: logs:StartLiveTail', $metadata: {} }));
    let polls = 0;
    cwl.on(FilterLogEventsCommand).callsFake((input: { endTime?: number }) => {
      if (input.endTime !== undefined) return { events: [] }; // the history window
      polls++;
      return { events: polls >= 2 ? [event('p', fnSpan('00000000000000a1', 'polled'), NOW + 5)] : [] };
    });
    const t = testIo({ stdinTTY: true });
    const done = runTail(['fn-a', '-f', '--wait', '20ms'], t.io, deps);
    await eventually(() => t.out().includes('polled'));
    t.abort();
    await done;
    expect(t.err()).toContain(
      'tail: Live Tail is not available (AccessDeniedException: not authorized to perform: logs:StartLiveTail); polling FilterLogEvents every 0.01 s instead',
    );
    const follow = cwl.commandCalls(FilterLogEventsCommand).map((c) => c.args[0].input).filter((i) => i.endTime === undefined);
    expect(follow[0]).toMatchObject({ logGroupName: '/aws/lambda/fn-a', startTime: NOW, filterPattern: SPAN_LINE_FILTER_PATTERN });
    expect(polls).toBeGreaterThanOrEqual(2);
  });

  it('falls back from where the stream stopped when a session fails mid-way; renews a session that timed out', async () => {
    describeGroups('/aws/lambda/fn-a');
    let sessions = 0;
    cwl.on(StartLiveTailCommand).callsFake(() => {
      sessions++;
      if (sessions === 1) return { responseStream: liveStream([[{ message: fnSpan('00000000000000a1', 'first-session'), timestamp: NOW + 100 }]], new SessionTimeoutException({ message: 'session timed out', $metadata: {} })) };
      return { responseStream: liveStream([[{ message: fnSpan('00000000000000a2', 'second-session'), timestamp: NOW + 200 }]], new SessionStreamingException({ message: 'internal error', $metadata: {} })) };
    });
    cwl.on(FilterLogEventsCommand).callsFake((input: { endTime?: number }) =>
      input.endTime !== undefined ? { events: [] } : { events: [event('p', fnSpan('00000000000000a3', 'after-fallback'), NOW + 300)] },
    );
    const t = testIo({ stdinTTY: true });
    const done = runTail(['fn-a', '-f', '--wait', '20ms'], t.io, deps);
    await eventually(() => t.out().includes('after-fallback'));
    t.abort();
    await done;
    expect(sessions).toBe(2);
    expect(t.out()).toContain('first-session');
    expect(t.out()).toContain('second-session');
    expect(t.err()).toContain('tail: Live Tail session reached its 3-hour limit: starting a new one');
    expect(t.err()).toContain('tail: Live Tail stopped (SessionStreamingException: internal error); polling FilterLogEvents every 0.01 s from here');
    const follow = cwl.commandCalls(FilterLogEventsCommand).map((c) => c.args[0].input).find((i) => i.endTime === undefined);
    expect(follow?.startTime).toBe(NOW + 200); // the last event the stream delivered
  });

  it('tells a missing log group apart from a missing Live Tail: no fallback, a clear error', async () => {
    describeGroups('/aws/lambda/other');
    cwl.on(FilterLogEventsCommand).resolves({ events: [] });
    const t = testIo({ stdinTTY: true });
    await expect(runTail(['nope', '-f'], t.io, deps)).rejects.toThrow('no log group /aws/lambda/nope in us-east-1');
    expect(cwl.commandCalls(StartLiveTailCommand)).toHaveLength(0);
  });

  it('takes log group ARNs as they are (another account), and --poll skips Live Tail', async () => {
    const arn = 'arn:aws:logs:eu-west-1:210987654321:log-group:/aws/lambda/shared';
    cwl.on(FilterLogEventsCommand).resolves({ events: [event('1', fnSpan('00000000000000a1', 'cross-account'))] });
    const t = testIo({ stdinTTY: true });
    const done = runTail([`${arn}:*`, '--follow', '--poll', '--wait', '20ms'], t.io, deps);
    await eventually(() => t.out().includes('cross-account'));
    t.abort();
    await done;
    expect(cwl.commandCalls(StartLiveTailCommand)).toHaveLength(0);
    expect(cwl.commandCalls(DescribeLogGroupsCommand)).toHaveLength(0);
    const input = cwl.commandCalls(FilterLogEventsCommand)[0].args[0].input;
    expect(input.logGroupIdentifier).toBe(arn);
    expect(input.logGroupName).toBeUndefined();
    expect(t.err()).toContain('tail: following /aws/lambda/shared by polling FilterLogEvents');
  });
});
