import { CloudWatchLogsClient, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { mockClient } from 'aws-sdk-client-mock';
import { runReplayCloudWatch } from '../../src/cli/replay-cloudwatch-command';
import { startCollector, type RunningCollector } from '../../src/collector/server';
import { SPAN_LINE_FILTER_PATTERN } from '../../src/span-line';
import { testIo } from './cli-io';
import { spanLine } from './span-lines';

const TRACE = '6a1b2c3d4e5f6071';
const START = Date.UTC(2026, 10, 25, 4, 0, 0);
const END = Date.UTC(2026, 10, 25, 6, 0, 0);
const credentials = { accessKeyId: 'x', secretAccessKey: 'y' };
const client = () => new CloudWatchLogsClient({ region: 'us-east-1', credentials });

const line = (i: number) => spanLine({ traceId: TRACE, spanId: i.toString(16).padStart(16, '0'), parentSpanId: i === 1 ? undefined : '0000000000000001', operation: `op-${i}` });
const event = (i: number, stream: string, timestamp: number) => ({ eventId: `e${i}`, timestamp, message: line(i), logStreamName: stream });
/** A span-line lookalike the filter lets through but the decoder refuses. */
const BAD_LINE = '{"level":"FATAL","otspan":1,"op":"x"}';

/** A clock that moves 30 s per reading: progress shows a rate and an ETA. */
function steppingClock(from: number): () => number {
  let now = from;
  return () => (now += 30_000);
}

describe('npm run replay:cloudwatch', () => {
  const cwl = mockClient(CloudWatchLogsClient);
  let collector: RunningCollector;
  const lightStepEnv = () => ({
    LIGHTSTEP_ACCESS_TOKEN: 'replay-token',
    LIGHTSTEP_COLLECTOR_HOST: '127.0.0.1',
    LIGHTSTEP_COLLECTOR_PORT: String(collector.port),
    LIGHTSTEP_COLLECTOR_ENCRYPTION: 'none',
  });
  beforeEach(async () => {
    collector = await startCollector({ port: 0, dbPath: ':memory:' });
  });
  afterEach(async () => {
    cwl.reset();
    await collector.close().catch(() => undefined);
  });

  it('--dry-run decodes and counts, sends nothing, needs no LightStep settings', async () => {
    cwl.on(FilterLogEventsCommand).resolves({ events: [event(1, 's', START + 1), event(2, 's', START + 2), { eventId: 'b', timestamp: START + 3, message: BAD_LINE, logStreamName: 's' }] });
    const t = testIo({});
    await expect(runReplayCloudWatch(['my-fn', '--since', '2h', '--dry-run'], t.io, { cloudWatch: client, now: () => END })).resolves.toBe(0);
    expect(t.out()).toBe('dry run, nothing sent: 3 lines read in 1 batches, 2 spans would be forwarded; skipped bad_field 1\n');
    expect(cwl.commandCalls(FilterLogEventsCommand)[0].args[0].input).toMatchObject({
      logGroupName: '/aws/lambda/my-fn',
      startTime: END - 7_200_000,
      endTime: END,
      filterPattern: SPAN_LINE_FILTER_PATTERN,
    });
    expect(collector.store.countSpans()).toBe(0);
  });

  it('forwards to LightStep settings from the environment, with progress on a terminal only', async () => {
    cwl.on(FilterLogEventsCommand)
      .resolvesOnce({ events: [event(1, 'a', START + 1), event(2, 'a', START + 3_600_000)], nextToken: 'next' })
      .resolves({ events: [event(3, 'b', START + 5_400_000)] });
    const tty = testIo({ stderrTTY: true, env: lightStepEnv() });
    const args = ['-g', '/aws/lambda/my-fn', '--since', new Date(START).toISOString(), '--until', new Date(END).toISOString()];
    await expect(runReplayCloudWatch(args, tty.io, { cloudWatch: client, now: steppingClock(END) })).resolves.toBe(0);
    expect(tty.out()).toBe(`replayed 2 batches: 3 lines read, 3 spans forwarded to LightStep at 127.0.0.1:${collector.port}\n`);
    expect(collector.store.getTrace(TRACE)).toHaveLength(3);
    expect(tty.err()).toMatch(/\r\x1b\[K1 events read · 0 spans forwarded · 0 spans\/s · 0%/);
    expect(tty.err()).toMatch(/\r\x1b\[K3 events read · 2 spans forwarded · \d+ spans\/s · 75% · ETA \d+s/);
    expect(tty.err().endsWith('\r\x1b[K')).toBe(true); // the line is erased before the summary

    const piped = testIo({ stderrTTY: false, env: lightStepEnv() });
    await runReplayCloudWatch(args, piped.io, { cloudWatch: client, now: steppingClock(END) });
    expect(piped.err()).toBe('');
  });

  it('a failed delivery says where to resume: the first event not delivered, same window end', async () => {
    cwl
      .on(FilterLogEventsCommand)
      .resolvesOnce({ events: [event(1, 'a', START + 1000), event(2, 'a', START + 2000)], nextToken: 'page-2' })
      .resolvesOnce({ events: [event(3, 'b', START + 3000)], nextToken: 'page-3' }) // stream b begins: batch a is delivered
      .callsFakeOnce(async () => {
        await collector.close(); // then LightStep goes away
        return { events: [event(4, 'b', START + 4000)] };
      });
    const t = testIo({ env: lightStepEnv() });
    await expect(runReplayCloudWatch(['my-fn', '--since', '2h', '--region', 'eu-west-1'], t.io, { cloudWatch: client, now: () => END })).resolves.toBe(1);
    const resumeAt = new Date(START + 3000).toISOString();
    expect(t.err()).toContain(`everything before ${resumeAt} was delivered`);
    expect(t.err()).toContain(`resume with: npm run replay:cloudwatch -- my-fn --since ${resumeAt} --until ${new Date(END).toISOString()} --region eu-west-1\n`);
    expect(t.err()).toContain('before it: 1 batches, 2 spans forwarded');
    expect(t.err()).not.toContain('replay-token');
  });

  it('refuses a command line it cannot run', async () => {
    const t = testIo({});
    await expect(runReplayCloudWatch(['--since', '2h'], t.io)).rejects.toThrow(/name one log group or function \(got 0\)/);
    await expect(runReplayCloudWatch(['my-fn'], t.io)).rejects.toThrow(/--since is required/);
    await expect(runReplayCloudWatch(['my-fn', '--since', '1h', '--until', '2h'], t.io)).rejects.toThrow(/--until .* must be after --since/);
    await expect(runReplayCloudWatch(['a', 'b', '--since', '1h'], t.io)).rejects.toThrow(/got 2/);
  });
});
