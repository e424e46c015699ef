import { CloudWatchLogsClient, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { mockClient } from 'aws-sdk-client-mock';
import { parseArgs, parseSince } from '../../src/cli/args';
import { fetchSpanEvents } from '../../src/cli/cloudwatch-span-events';
import { SamLogsReader } from '../../src/cli/sam-logs-reader';
import { SpanPrinter, tailCloudWatch } from '../../src/cli/tail';
import { SPAN_LINE_FILTER_PATTERN, encodeSpanLine } from '../../src/span-line';

function spanLine(spanId: string, operation = 'lambda-execution'): string {
  return encodeSpanLine({
    traceId: '4bf92f3577b34da6',
    spanId,
    parentSpanId: 'a2fb4a1d1a96d312',
    operation,
    component: 'lambda_function',
    startMicros: 1764045116123456,
    durationMicros: 2500,
    tags: { 'faas.coldstart': true, error: false },
    logs: [{ timestampMicros: 1764045116124000, fields: { event: 'note', n: 0 } }],
    baggage: {},
  });
}

describe('SamLogsReader', () => {
  it('puts a span line that sam re-indented over several lines back together, byte for byte', () => {
    const line = spanLine('00f067aa0ba902b7');
    const stream = '2026/11/25/[$LATEST]f897b8fa94329363';
    const pretty = JSON.stringify(JSON.parse(line), null, 2).split('\n');
    const output = [
      `${stream} 2026-11-25T04:31:56.100000 START RequestId: 8f5a Version: $LATEST`,
      `${stream} 2026-11-25T04:31:56.123000 ${pretty[0]}`,
      ...pretty.slice(1),
      `${stream} 2026-11-25T04:31:56.130000 END RequestId: 8f5a`,
    ];
    const reader = new SamLogsReader();
    const events = output.map((l) => reader.push(l)).filter((e) => e !== undefined);
    const last = reader.end();
    const messages = [...events, last].map((e) => e?.message);
    expect(messages).toEqual(['START RequestId: 8f5a Version: $LATEST', line, 'END RequestId: 8f5a']);
  });
});

describe('SpanPrinter', () => {
  it('prints span lines readably and counts the rest by reason', () => {
    const out: string[] = [];
    const printer = new SpanPrinter((l) => out.push(l));
    printer.message(spanLine('00f067aa0ba902b7'));
    printer.message('START RequestId: 8f5a Version: $LATEST');
    printer.message('{"level":30,"msg":"hi"}');
    expect(out).toHaveLength(1);
    expect(out[0]).toMatch(/^2025-11-25T\S+ lambda_function lambda-execution 2\.50ms trace=4bf92f3577b34da6 span=00f067aa0ba902b7 parent=a2fb4a1d1a96d312/);
    expect(printer.skipped).toEqual({ not_json: 1, not_span: 1 });
  });
});

describe('CloudWatch span events', () => {
  const cwl = mockClient(CloudWatchLogsClient);
  afterEach(() => cwl.reset());

  it('pages through FilterLogEvents with the subscription filter pattern', async () => {
    cwl
      .on(FilterLogEventsCommand)
      .resolvesOnce({ events: [{ eventId: '1', timestamp: 10, message: spanLine('0000000000000001'), logStreamName: 's' }], nextToken: 'page-2' })
      .resolvesOnce({ events: [{ eventId: '2', timestamp: 11, message: spanLine('0000000000000002'), logStreamName: 's' }] });
    const client = new CloudWatchLogsClient({ region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' } });
    const ids: string[] = [];
    for await (const event of fetchSpanEvents(client, { logGroupName: '/aws/lambda/fn', startTime: 5 })) ids.push(event.id);
    expect(ids).toEqual(['1', '2']);
    const calls = cwl.commandCalls(FilterLogEventsCommand);
    expect(calls).toHaveLength(2);
    expect(calls[0].args[0].input).toMatchObject({ logGroupName: '/aws/lambda/fn', startTime: 5, filterPattern: SPAN_LINE_FILTER_PATTERN });
    expect(calls[1].args[0].input.nextToken).toBe('page-2');
  });

  it('follows without printing an event twice when windows overlap', async () => {
    const first = { eventId: 'a', timestamp: 100, message: spanLine('000000000000000a'), logStreamName: 's' };
    const second = { eventId: 'b', timestamp: 101, message: spanLine('000000000000000b'), logStreamName: 's' };
    const controller = new AbortController();
    cwl
      .on(FilterLogEventsCommand)
      .resolvesOnce({ events: [first] })
      .callsFake(() => {
        controller.abort();
        return { events: [first, second] };
      });
    const client = new CloudWatchLogsClient({ region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' } });
    const out: string[] = [];
    await tailCloudWatch(client, new SpanPrinter((l) => out.push(l)), { logGroupName: 'g', startTime: 0, follow: true, signal: controller.signal, pollMs: 5 });
    expect(out.map((l) => /span=(\w+)/.exec(l)?.[1])).toEqual(['000000000000000a', '000000000000000b']);
  });
});

describe('CLI arguments', () => {
  it('parses options and names the bad one', () => {
    expect(parseArgs(['--log-group', 'g', '--follow'], { 'log-group': 'string', follow: 'flag' })).toEqual({ 'log-group': 'g', follow: true });
    expect(() => parseArgs(['--nope'], { follow: 'flag' })).toThrow(/--nope/);
    expect(() => parseArgs(['--log-group'], { 'log-group': 'string' })).toThrow(/--log-group needs a value/);
  });
  it('reads --since as a duration or a date', () => {
    expect(parseSince('10m', 1_000_000)).toBe(400_000);
    expect(parseSince('2026-11-25T00:00:00Z')).toBe(Date.UTC(2026, 10, 25));
    expect(() => parseSince('yesterday')).toThrow(/--since/);
  });
});
