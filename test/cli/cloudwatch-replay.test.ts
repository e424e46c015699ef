import { CloudWatchLogsClient, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { mockClient } from 'aws-sdk-client-mock';
import { replayFromCloudWatch, ReplayInterruptedError } from '../../src/cli/cloudwatch-replay';
import { startCollector, type RunningCollector } from '../../src/collector/server';
import { forwardSubscriptionEvent } from '../../src/log-span-forwarder/handler';
import { embeddedCollectorTarget } from '../../src/lightstep/target';
import { LightStepExporter } from '../../src/log-span-forwarder/lightstep-exporter';
import { decodeSubscriptionEvent } from '../../src/log-span-forwarder/subscription-event';
import { encodeSpanLine } from '../../src/span-line';

const TRACE = '5b8aa5a2d2c872e8';

function line(i: number): string {
  return encodeSpanLine({
    traceId: TRACE,
    spanId: i.toString(16).padStart(16, '0'),
    parentSpanId: i === 1 ? undefined : '0000000000000001',
    operation: i === 1 ? 'lambda-execution' : 'compute',
    component: 'lambda_function',
    startMicros: 1764045116123456 + i,
    durationMicros: 100 + i,
    tags: { n: i },
    logs: [],
    baggage: {},
  });
}

describe('replay from CloudWatch Logs', () => {
  const cwl = mockClient(CloudWatchLogsClient);
  let collector: RunningCollector;
  let exporter: LightStepExporter;
  beforeAll(async () => {
    collector = await startCollector({ port: 0, dbPath: ':memory:' });
    exporter = new LightStepExporter({ ...embeddedCollectorTarget(collector.port), accessToken: 't' });
  });
  afterAll(async () => {
    exporter.close();
    await collector.close();
  });

  it('forwards a window of span lines as real subscription batches, one stream per batch, idempotently', async () => {
    const streamA = '2026/11/25/[$LATEST]aaaa';
    const streamB = '2026/11/25/[$LATEST]bbbb';
    cwl
      .on(FilterLogEventsCommand)
      .resolvesOnce({
        events: [1, 2, 3].map((i) => ({ eventId: `e${i}`, timestamp: 1000 + i, message: line(i), logStreamName: streamA })),
        nextToken: 'more',
      })
      .resolves({ events: [4, 5].map((i) => ({ eventId: `e${i}`, timestamp: 1000 + i, message: line(i), logStreamName: streamB })) });
    const client = new CloudWatchLogsClient({ region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' } });
    const streams: string[] = [];
    const forward = (event: Parameters<typeof forwardSubscriptionEvent>[0]) => {
      streams.push(decodeSubscriptionEvent(event).logStream);
      return forwardSubscriptionEvent(event, exporter, () => undefined);
    };
    const query = { logGroupName: '/aws/lambda/ot-function', startTime: 0 };

    const summary = await replayFromCloudWatch(client, query, forward);
    expect(summary).toMatchObject({ batches: 2, received: 5, forwarded: 5, skipped: { not_json: 0, not_span: 0 } });
    expect(streams).toEqual([streamA, streamB]);
    expect(collector.store.getTrace(TRACE)).toHaveLength(5);

    cwl.reset();
    cwl.on(FilterLogEventsCommand).resolves({ events: [1, 2].map((i) => ({ eventId: `e${i}`, timestamp: 1000 + i, message: line(i), logStreamName: streamA })) });
    await replayFromCloudWatch(client, query, forward);
    expect(collector.store.getTrace(TRACE)).toHaveLength(5);
  });

  it('stops at the first failed delivery and says so', async () => {
    cwl.reset();
    cwl.on(FilterLogEventsCommand).resolves({ events: [{ eventId: 'x', timestamp: 1, message: line(9), logStreamName: 's' }] });
    const client = new CloudWatchLogsClient({ region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' } });
    const down = new LightStepExporter({ ...embeddedCollectorTarget(1), accessToken: 'secret-token-xyz' });
    try {
      const replay = replayFromCloudWatch(client, { logGroupName: 'g', startTime: 0 }, (e) => forwardSubscriptionEvent(e, down, () => undefined));
      await expect(replay).rejects.toThrow(ReplayInterruptedError);
      await expect(replay).rejects.toThrow(/127\.0\.0\.1:1/);
      await expect(replay).rejects.toMatchObject({ resumeFrom: 1 }); // the failed batch's first event
      await expect(replay).rejects.not.toThrow(/secret-token-xyz/);
    } finally {
      down.close();
    }
  });
});
