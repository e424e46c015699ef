import { createCloudWatchLogsClient } from '../../src/cli/cloudwatch-client';
import { fetchSpanEvents } from '../../src/cli/cloudwatch-span-events';
import { SPAN_LINE_FILTER_PATTERN } from '../../src/span-line';
import { startFakeCloudWatch, THROTTLED } from './fake-cloudwatch';
import { spanLine } from './span-lines';

const credentials = { accessKeyId: 'x', secretAccessKey: 'y' };
const line = spanLine({ spanId: '0000000000000001' });

describe('the CLI CloudWatch Logs client', () => {
  it('retries throttled calls with the SDK retry strategy (real HTTP, adaptive mode), not a loop of ours', async () => {
    const fake = await startFakeCloudWatch((call, i) =>
      i < 2 ? THROTTLED : { status: 200, body: { events: [{ eventId: '1', timestamp: 1, message: line, logStreamName: 's' }] } },
    );
    try {
      const cw = createCloudWatchLogsClient({ region: 'us-east-1' }, { endpoint: fake.endpoint, credentials });
      expect(await cw.config.retryStrategy()).toMatchObject({ mode: 'adaptive' });
      const ids: string[] = [];
      for await (const e of fetchSpanEvents(cw, { logGroupName: '/aws/lambda/fn', startTime: 0 })) ids.push(e.id);
      expect(ids).toEqual(['1']);
      expect(fake.calls.map((c) => c.operation)).toEqual(['FilterLogEvents', 'FilterLogEvents', 'FilterLogEvents']);
      expect(fake.calls[2].input).toMatchObject({ logGroupName: '/aws/lambda/fn', filterPattern: SPAN_LINE_FILTER_PATTERN });
    } finally {
      await fake.close();
    }
  });
});
