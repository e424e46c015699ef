import type { CloudWatchLogsEvent } from 'aws-lambda';
import { LineSplitter, toLogEvent } from '../../src/local/log-lines';
import { SubscriptionShipper } from '../../src/local/subscription-shipper';
import { decodeSubscriptionEvent } from '../../src/log-span-forwarder/subscription-event';
import { encodeSpanLine } from '../../src/span-line';

const spanLine = (op: string) =>
  encodeSpanLine({
    traceId: '0123456789abcdef',
    spanId: 'fedcba9876543210',
    operation: op,
    component: 'lambda_function',
    startMicros: 1_700_000_000_000_000,
    durationMicros: 1500,
    tags: {},
    logs: [],
    baggage: {},
  }) + '\n';

describe('LineSplitter', () => {
  it('hands on complete lines with their newline, holds a partial line until it completes', () => {
    const lines: string[] = [];
    const splitter = new LineSplitter((line) => lines.push(line));
    splitter.push('START a\n{"x":');
    expect(lines).toEqual(['START a\n']);
    splitter.push('1}\nEND');
    splitter.end();
    expect(lines).toEqual(['START a\n', '{"x":1}\n', 'END']);
  });
});

describe('SubscriptionShipper', () => {
  afterEach(() => jest.useRealTimers());

  it('ships only span lines, per log stream, as genuine subscription events within the batch window', async () => {
    jest.useFakeTimers();
    const delivered: CloudWatchLogsEvent[] = [];
    const shipper = new SubscriptionShipper({
      logGroup: '/aws/lambda/fn',
      filterName: 'spans',
      flushIntervalMs: 100,
      deliver: async (event) => {
        delivered.push(event);
        return { delivered: true, attempts: 1 };
      },
    });
    shipper.add('stream-a', toLogEvent('START RequestId: 1 Version: $LATEST\n'));
    shipper.add('stream-a', toLogEvent(spanLine('lambda-execution')));
    shipper.add('stream-a', toLogEvent('{"level":30,"msg":"an app log line"}\n'));
    shipper.add('stream-b', toLogEvent(spanLine('other')));
    shipper.add('stream-a', toLogEvent('2024-01-01T00:00:00.000Z\t1\tINFO\t{"otspan":1}\n')); // console.log text: not JSON
    jest.advanceTimersByTime(99);
    expect(delivered).toHaveLength(0);
    jest.advanceTimersByTime(1);
    expect(delivered).toHaveLength(2);
    const payloads = delivered.map(decodeSubscriptionEvent);
    expect(payloads.map((p) => p.logStream).sort()).toEqual(['stream-a', 'stream-b']);
    const a = payloads.find((p) => p.logStream === 'stream-a')!;
    expect(a).toMatchObject({ messageType: 'DATA_MESSAGE', owner: '000000000000', logGroup: '/aws/lambda/fn', subscriptionFilters: ['spans'] });
    expect(a.logEvents.map((e) => JSON.parse(e.message).op)).toEqual(['lambda-execution']);
    expect(shipper.stats).toMatchObject({ offered: 5, matched: 2, batches: 2 });
    await shipper.flush();
  });

  it("ships a stream's batch as soon as its invocation's REPORT line arrives", async () => {
    const delivered: string[] = [];
    const shipper = new SubscriptionShipper({
      logGroup: '/aws/lambda/fn',
      filterName: 'spans',
      flushIntervalMs: 60_000,
      deliver: async (event) => {
        delivered.push(decodeSubscriptionEvent(event).logStream);
        return { delivered: true, attempts: 1 };
      },
    });
    shipper.add('a', toLogEvent(spanLine('lambda-execution')));
    shipper.add('b', toLogEvent(spanLine('lambda-execution')));
    shipper.add('a', toLogEvent('END RequestId: 1\n'));
    expect(delivered).toEqual([]);
    shipper.add('a', toLogEvent('REPORT RequestId: 1\tDuration: 1.00 ms\n'));
    expect(delivered).toEqual(['a']);
    await shipper.flush();
    expect(delivered).toEqual(['a', 'b']);
  });

  it('sends a full batch at once and flush() sends the rest', async () => {
    const delivered: number[] = [];
    const shipper = new SubscriptionShipper({
      logGroup: '/aws/lambda/fn',
      filterName: 'spans',
      flushIntervalMs: 60_000,
      maxBatchEvents: 2,
      deliver: async (event) => {
        delivered.push(decodeSubscriptionEvent(event).logEvents.length);
        return { delivered: true, attempts: 1 };
      },
    });
    for (let i = 0; i < 3; i++) shipper.add('s', toLogEvent(spanLine(`op${i}`)));
    expect(delivered).toEqual([2]);
    await shipper.flush();
    expect(delivered).toEqual([2, 1]);
  });
});
