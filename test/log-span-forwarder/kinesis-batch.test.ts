import * as net from 'node:net';
import { gzipSync } from 'node:zlib';
import type { KinesisStreamEvent, KinesisStreamRecord } from 'aws-lambda';
import { startCollector, type RunningCollector } from '../../src/collector/server';
import { embeddedCollectorTarget } from '../../src/lightstep/target';
import { InMemoryExporter, type SpanExporter } from '../../src/log-span-forwarder/exporter';
import { forwardKinesisEvent } from '../../src/log-span-forwarder/kinesis-batch';
import { decodeKinesisRecord, encodeKinesisEvent, isKinesisStreamEvent } from '../../src/log-span-forwarder/kinesis-event';
import { LightStepExporter } from '../../src/log-span-forwarder/lightstep-exporter';
import { decodeSubscriptionEvent, encodeSubscriptionEvent, type SubscriptionPayload } from '../../src/log-span-forwarder/subscription-event';
import { encodeSpanLine, type FinishedSpan } from '../../src/span-line';

type Handler = typeof import('../../src/log-span-forwarder/handler').handler;
const TOKEN = 'ls_token_kinesis_0123456789';
const ENV_KEYS = ['LIGHTSTEP_ACCESS_TOKEN', 'LIGHTSTEP_ACCESS_TOKEN_PARAMETER', 'LIGHTSTEP_COLLECTOR_HOST', 'LIGHTSTEP_COLLECTOR_PORT', 'LIGHTSTEP_COLLECTOR_ENCRYPTION'] as const;
const savedEnv = Object.fromEntries(ENV_KEYS.map((key) => [key, process.env[key]]));
afterAll(() => {
  for (const key of ENV_KEYS) {
    if (savedEnv[key] === undefined) delete process.env[key];
    else process.env[key] = savedEnv[key];
  }
});

/** A fresh handler module pointed at a collector on 127.0.0.1 (one container). */
function loadHandler(port: number): Handler {
  Object.assign(process.env, {
    LIGHTSTEP_ACCESS_TOKEN: TOKEN,
    LIGHTSTEP_COLLECTOR_HOST: '127.0.0.1',
    LIGHTSTEP_COLLECTOR_PORT: String(port),
    LIGHTSTEP_COLLECTOR_ENCRYPTION: 'none',
  });
  delete process.env.LIGHTSTEP_ACCESS_TOKEN_PARAMETER;
  let handler: Handler | undefined;
  jest.isolateModules(() => {
    handler = (require('../../src/log-span-forwarder/handler') as typeof import('../../src/log-span-forwarder/handler')).handler;
  });
  return handler!;
}

let nextSpan = 0x6a00000000000000n;
function span(traceId = '7a3b9c1d2e4f5a6b', component = 'lambda_function'): FinishedSpan {
  return {
    traceId,
    spanId: (nextSpan++).toString(16),
    operation: 'lambda-execution',
    component,
    startMicros: 1764045116123456,
    durationMicros: 1532,
    tags: { 'span.kind': 'server', 'http.status_code': 200 },
    logs: [],
    baggage: {},
  };
}

/** What CloudWatch Logs puts in one record: a DATA_MESSAGE of a log stream's lines. */
function dataPayload(lines: string[], logGroup = '/aws/lambda/stack-traced', logStream = '2026/11/25/[$LATEST]0123'): SubscriptionPayload {
  return {
    messageType: 'DATA_MESSAGE',
    owner: '123456789012',
    logGroup,
    logStream,
    subscriptionFilters: ['TracedFunctionSpanLineStreamSubscription'],
    logEvents: lines.map((message, i) => ({ id: String(37_000_000 + i), timestamp: 1764045116123 + i, message })),
  };
}
const CONTROL: SubscriptionPayload = {
  messageType: 'CONTROL_MESSAGE',
  owner: 'CloudwatchLogs',
  logGroup: '',
  logStream: '',
  subscriptionFilters: [],
  logEvents: [{ id: '', timestamp: 1764045116123, message: 'CWL CONTROL MESSAGE: Checking health of destination Kinesis stream.' }],
};

function withData(event: KinesisStreamEvent, index: number, data: string): KinesisStreamEvent {
  const records = event.Records.map((r) => ({ ...r, kinesis: { ...r.kinesis } }));
  records[index]!.kinesis.data = data;
  return { Records: records };
}
const sequenceNumbers = (event: KinesisStreamEvent, from = 0) => event.Records.slice(from).map((r) => r.kinesis.sequenceNumber);
const parsed = (lines: string[]) => lines.map((l) => JSON.parse(l) as Record<string, unknown>);

async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('Kinesis records: the same decoder as subscription events', () => {
  test('a record holds exactly what a subscription event holds (one encoder, one decoder)', () => {
    const payload = dataPayload([encodeSpanLine(span()), 'START RequestId: x']);
    const [record] = encodeKinesisEvent([payload]).Records;
    expect(record!.kinesis.data).toBe(encodeSubscriptionEvent(payload).awslogs.data);
    expect(Buffer.from(record!.kinesis.data, 'base64').subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));
    expect(decodeKinesisRecord(record, 0)).toEqual(decodeSubscriptionEvent(encodeSubscriptionEvent(payload)));
  });

  test.each([
    ['characters outside base64', 'H4sI!!!', /Records\[0\]\.kinesis\.data is not base64/],
    ['base64 that is not gzip', Buffer.from('{"messageType":"DATA_MESSAGE"}').toString('base64'), /Records\[0\]\.kinesis\.data is not gzip/],
    ['gzip that is not JSON', gzipSync('START RequestId').toString('base64'), /Records\[0\]\.kinesis\.data is not JSON/],
    ['JSON of the wrong shape', gzipSync('{"messageType":"PING"}').toString('base64'), /^Records\[0\]: unknown messageType "PING"/],
    ['no data at all', '', /Records\[0\] has no kinesis\.data string/],
  ])('names the record for %s', (_what, data, message) => {
    const event = withData(encodeKinesisEvent([dataPayload([])]), 0, data);
    expect(() => decodeKinesisRecord(event.Records[0], 0)).toThrow(message);
  });

  test('the event shape is told apart once: Kinesis Records, subscription awslogs, and anything else refused', () => {
    expect(isKinesisStreamEvent(encodeKinesisEvent([CONTROL]))).toBe(true);
    expect(isKinesisStreamEvent({ Records: [] })).toBe(true);
    expect(isKinesisStreamEvent(encodeSubscriptionEvent(CONTROL))).toBe(false);
    expect(() => isKinesisStreamEvent({ Records: [{ eventSource: 'aws:sqs', body: '{}' }] })).toThrow(/Records from "aws:sqs", expected "aws:kinesis"/);
  });
});

describe('the handler on Kinesis batches → embedded collector', () => {
  let collector: RunningCollector;
  beforeEach(async () => {
    collector = await startCollector({ port: 0, dbPath: ':memory:', accessToken: TOKEN });
  });
  afterEach(() => collector.close());

  test('every span of every good record arrives; corrupt records are skipped, counted and named, never failing the batch', async () => {
    const fromA = [span('aaaa00000000000a'), span('aaaa00000000000a')];
    const fromB = [span('bbbb00000000000b', 'billing-worker')];
    const later = [span('cccc00000000000c')];
    const good = encodeKinesisEvent([
      CONTROL,
      dataPayload([...fromA.map((s) => encodeSpanLine(s)), 'END RequestId: x'], '/aws/lambda/a'),
      dataPayload([]), // replaced by bad gzip
      dataPayload(fromB.map((s) => encodeSpanLine(s)), '/aws/lambda/b'),
      dataPayload([]), // replaced by bad base64
      dataPayload(later.map((s) => encodeSpanLine(s)), '/aws/lambda/a', 'other-stream'),
    ]);
    const event = withData(withData(good, 2, Buffer.from('not gzip at all').toString('base64')), 4, '%%%');
    const response = await loadHandler(collector.port)(event);

    expect(response).toEqual({ batchItemFailures: [] });
    expect(collector.store.countSpans()).toBe(4);
    for (const s of [...fromA, ...fromB, ...later]) {
      expect(collector.store.getTrace(s.traceId).map((stored) => stored.spanId)).toContain(s.spanId);
    }
    expect(collector.store.getTrace('bbbb00000000000b')[0]).toMatchObject({ component: 'billing-worker' });
  });

  test('summary lines: one per source log group (the same metrics as the subscription path) and one for the batch', async () => {
    const event = withData(
      encodeKinesisEvent([
        dataPayload([encodeSpanLine(span()), 'START'], '/aws/lambda/a'),
        dataPayload([]),
        dataPayload([encodeSpanLine(span()), encodeSpanLine(span())], '/aws/lambda/a'),
        dataPayload(['{"level":30,"msg":"app"}'], '/aws/lambda/b'),
        CONTROL,
      ]),
      1,
      gzipSync('[1,2]').toString('base64'),
    );
    const exporter = new LightStepExporter({ ...embeddedCollectorTarget(collector.port), accessToken: TOKEN });
    const lines: string[] = [];
    try {
      expect(await forwardKinesisEvent(event, exporter, (l) => lines.push(l))).toEqual({ batchItemFailures: [] });
    } finally {
      exporter.close();
    }
    const [a, b, batch] = parsed(lines);
    expect(lines).toHaveLength(3);
    expect(a).toMatchObject({ SourceLogGroup: '/aws/lambda/a', LinesReceived: 4, SpansForwarded: 3, LinesSkipped: 1, Skipped_not_json: 1, FlushFailed: 0 });
    expect(b).toMatchObject({ SourceLogGroup: '/aws/lambda/b', LinesReceived: 1, SpansForwarded: 0, Skipped_not_span: 1, FlushFailed: 0 });
    expect(batch).toMatchObject({
      SourceStream: 'span-lines',
      RecordsReceived: 5,
      RecordsControl: 1,
      RecordsCorrupt: 1,
      RecordsFailed: 0,
      CorruptRecords: [{ SequenceNumber: event.Records[1]!.kinesis.sequenceNumber, Error: 'Records[1]: subscription payload is not an object' }],
    });
    expect((batch!._aws as { CloudWatchMetrics: Array<{ Dimensions: string[][]; Metrics: Array<{ Name: string }> }> }).CloudWatchMetrics[0]).toMatchObject({
      Dimensions: [['SourceStream']],
      Metrics: ['RecordsReceived', 'RecordsControl', 'RecordsCorrupt', 'RecordsFailed', 'SpansRejected'].map((Name) => ({ Name, Unit: 'Count' })),
    });
    expect(lines.join('\n')).not.toContain('otspan');
  });

  test('an empty batch answers success and sends nothing', async () => {
    expect(await loadHandler(collector.port)({ Records: [] })).toEqual({ batchItemFailures: [] });
    expect(collector.store.countSpans()).toBe(0);
  });

  test('a record whose eventSource is not Kinesis, inside a Kinesis batch, is a corrupt record like any other', async () => {
    const event = encodeKinesisEvent([dataPayload([encodeSpanLine(span())]), dataPayload([encodeSpanLine(span())])]);
    (event.Records[1] as { eventSource: string }).eventSource = 'aws:dynamodb';
    const lines: string[] = [];
    const exporter = new InMemoryExporter();
    expect(await forwardKinesisEvent(event, exporter, (l) => lines.push(l))).toEqual({ batchItemFailures: [] });
    expect(exporter.flushed).toHaveLength(1);
    expect(parsed(lines).at(-1)).toMatchObject({ RecordsCorrupt: 1, CorruptRecords: [{ Error: expect.stringMatching(/Records\[1\] is not a Kinesis record/) }] });
  });
});

describe('failures and the checkpoint (Lambda retries from the lowest sequence number reported)', () => {
  test('a failed flush names every record from the first one with spans; Lambda\'s retry from there delivers each span once', async () => {
    const port = await closedPort();
    const spans = [span(), span(), span()];
    const event = encodeKinesisEvent([
      CONTROL, // before any span: not named, so the checkpoint moves past it
      dataPayload(['START RequestId: y']),
      dataPayload([encodeSpanLine(spans[0]!)]),
      dataPayload([]),
      dataPayload([encodeSpanLine(spans[1]!), encodeSpanLine(spans[2]!)]),
    ]);
    const down = new LightStepExporter({ ...embeddedCollectorTarget(port), accessToken: TOKEN });
    const lines: string[] = [];
    let response;
    try {
      response = await forwardKinesisEvent(event, down, (l) => lines.push(l));
    } finally {
      down.close();
    }
    expect(response.batchItemFailures.map((f) => f.itemIdentifier)).toEqual(sequenceNumbers(event, 2));
    const [group, batch] = parsed(lines);
    expect(group).toMatchObject({ LinesReceived: 4, SpansAttempted: 3, SpansForwarded: 0, FlushFailed: 1 });
    expect(batch).toMatchObject({ RecordsReceived: 5, RecordsFailed: 3, Error: expect.stringContaining(`127.0.0.1:${port}`) });
    expect(JSON.stringify(batch)).not.toContain(TOKEN);

    // What Lambda does next: the records from the checkpoint on, once the collector is back.
    const collector = await startCollector({ port, dbPath: ':memory:', accessToken: TOKEN });
    const up = new LightStepExporter({ ...embeddedCollectorTarget(port), accessToken: TOKEN });
    try {
      const checkpoint = response.batchItemFailures[0]!.itemIdentifier;
      const retry = { Records: event.Records.filter((r) => BigInt(r.kinesis.sequenceNumber) >= BigInt(checkpoint)) };
      expect(await forwardKinesisEvent(retry, up, () => undefined)).toEqual({ batchItemFailures: [] });
      expect(collector.store.getTrace(spans[0]!.traceId).map((s) => s.spanId).sort()).toEqual(spans.map((s) => s.spanId).sort());
    } finally {
      up.close();
      await collector.close();
    }
  });

  test('a record an exporter refuses fails from that record on; the records before it are delivered', async () => {
    const delivered = new InMemoryExporter();
    let exports = 0;
    const refusesSecond: SpanExporter = {
      name: 'picky',
      export(spans) {
        if (++exports === 2) throw new Error('cannot convert span');
        delivered.export(spans);
      },
      flush: () => delivered.flush(),
      shutdown: () => delivered.shutdown(),
    };
    const first = span();
    const event = encodeKinesisEvent([
      dataPayload([encodeSpanLine(first)]),
      dataPayload([encodeSpanLine(span())]),
      dataPayload([encodeSpanLine(span())]),
    ]);
    const lines: string[] = [];
    const response = await forwardKinesisEvent(event, refusesSecond, (l) => lines.push(l));
    expect(response.batchItemFailures.map((f) => f.itemIdentifier)).toEqual(sequenceNumbers(event, 1));
    expect(delivered.flushed.map((s) => s.spanId)).toEqual([first.spanId]); // the third was never exported
    expect(parsed(lines).at(-1)).toMatchObject({ RecordsFailed: 2, Error: 'picky refused the spans of Records[1]: cannot convert span' });
  });

  test('a failed record without a sequence number fails the whole batch (a checkpoint past it would lose it)', async () => {
    const event = encodeKinesisEvent([dataPayload([encodeSpanLine(span())])]);
    delete (event.Records[0]!.kinesis as Partial<KinesisStreamRecord['kinesis']>).sequenceNumber;
    const failing: SpanExporter = { name: 'down', export: () => undefined, flush: () => Promise.reject(new Error('down')), shutdown: async () => undefined };
    const lines: string[] = [];
    await expect(forwardKinesisEvent(event, failing, (l) => lines.push(l))).rejects.toThrow(/Records\[0\] failed and has no kinesis.sequenceNumber/);
    expect(parsed(lines).at(-1)).toMatchObject({ RecordsFailed: 1 });
  });
});
