import type { CloudWatchLogsEvent } from 'aws-lambda';
import { startCollector, type RunningCollector } from '../../src/collector/server';
import { FlushError } from '../../src/log-span-forwarder/exporter';
import { forwardSubscriptionEvent } from '../../src/log-span-forwarder/handler';
import { forwardKinesisEvent } from '../../src/log-span-forwarder/kinesis-batch';
import { encodeKinesisEvent } from '../../src/log-span-forwarder/kinesis-event';
import { OtlpExporter } from '../../src/log-span-forwarder/otlp-exporter';
import { encodeSubscriptionEvent } from '../../src/log-span-forwarder/subscription-event';
import type { RetryPolicy } from '../../src/otlp/retry';
import type { OtlpTarget } from '../../src/otlp/target';
import { otlpType } from '../../src/otlp/wire/schema';
import { encodeSpanLine, type FinishedSpan } from '../../src/span-line';
import { partialSuccessBody, startScriptedOtlpServer, type ScriptedOtlpServer } from '../otlp/helpers/scripted-otlp-server';

const SECRET = 'otlp-header-secret-0123456789';
const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
/** Quick backoff for the tests; Retry-After still sets its own wait. */
const FAST: RetryPolicy = { maxAttempts: 5, initialBackoffMs: 20, maxBackoffMs: 50, multiplier: 1.5, jitter: 0.2 };

function spans(count: number, from = 0): FinishedSpan[] {
  return Array.from({ length: count }, (_, k) => ({
    traceId: TRACE,
    spanId: (0x5000000000000000n + BigInt(from + k)).toString(16),
    parentSpanId: 'a2fb4a1d1a96d312',
    operation: 'lambda-execution',
    component: 'lambda_function',
    startMicros: 1764045116123456 + k,
    durationMicros: 10,
    tags: { 'span.kind': 'server' },
    logs: [],
    baggage: {},
  }));
}

function target(url: string, over: Partial<OtlpTarget> = {}): OtlpTarget {
  return { url, headers: { 'lightstep-access-token': SECRET }, protocol: 'http/protobuf', compression: 'gzip', timeoutMillis: 10_000, ...over };
}

function spanCount(body: Buffer): number {
  const type = otlpType('ExportTraceServiceRequest');
  const request = type.toObject(type.decode(body)) as { resourceSpans: Array<{ scopeSpans: Array<{ spans: unknown[] }> }> };
  return request.resourceSpans.flatMap((r) => r.scopeSpans).reduce((n, s) => n + s.spans.length, 0);
}

describe('OtlpExporter delivery and failures', () => {
  let collector: RunningCollector;
  let server: ScriptedOtlpServer | undefined;
  let exporter: OtlpExporter | undefined;
  beforeEach(async () => {
    collector = await startCollector({ port: 0, dbPath: ':memory:' });
  });
  afterEach(async () => {
    await exporter?.shutdown().catch(() => undefined);
    exporter = undefined;
    await server?.close();
    server = undefined;
    await collector.close();
  });

  it('retries a 503 after its Retry-After, then delivers once (the spans stored once, with the function’s ids)', async () => {
    server = await startScriptedOtlpServer([{ status: 503, headers: { 'retry-after': '1' }, body: 'overloaded' }, 'forward'], collector.url);
    exporter = new OtlpExporter(target(server.url), { retry: FAST });
    exporter.export(spans(3));
    await expect(exporter.flush()).resolves.toEqual({ rejectedSpans: 0, rejectionMessage: '' });
    expect(server.requests).toHaveLength(2);
    // Retry-After: 1 is honoured over the 20 ms backoff.
    expect(server.requests[1].at - server.requests[0].at).toBeGreaterThanOrEqual(990);
    expect(server.requests[1].raw.equals(server.requests[0].raw)).toBe(true);
    expect(collector.store.getTrace(TRACE).map((s) => [s.traceId, s.spanId, s.parentSpanId])).toEqual(
      spans(3).map((s) => [TRACE, s.spanId, 'a2fb4a1d1a96d312']),
    );
    expect(exporter.buffered()).toBe(0);
  });

  it('retries 429, 502 and 504 with backoff, and connections lost before an answer', async () => {
    server = await startScriptedOtlpServer([{ status: 429 }, { status: 502 }, 'hang-up', { status: 504 }, 'forward'], collector.url);
    exporter = new OtlpExporter(target(server.url), { retry: FAST });
    exporter.export(spans(2));
    await exporter.flush();
    expect(server.requests).toHaveLength(5);
    expect(collector.store.countSpans()).toBe(2);
  });

  it('never retries a 400: the flush fails at once, naming the endpoint and status, so Lambda retries the event', async () => {
    server = await startScriptedOtlpServer([{ status: 400, headers: { 'content-type': 'text/plain' }, body: 'bad span' }, 'forward'], collector.url);
    exporter = new OtlpExporter(target(server.url), { retry: FAST });
    exporter.export(spans(2));
    const error = await exporter.flush().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FlushError);
    expect((error as Error).message).toBe(`OTLP export to ${server.url} answered 400 Bad Request: bad span`);
    expect(server.requests).toHaveLength(1);
    expect(collector.store.countSpans()).toBe(0);
    expect(exporter.buffered()).toBe(0);
  });

  it('does not retry other refusals (401, 500) either', async () => {
    for (const status of [401, 500]) {
      const refusing = await startScriptedOtlpServer([{ status }]);
      const once = new OtlpExporter(target(refusing.url), { retry: FAST });
      once.export(spans(1));
      await expect(once.flush()).rejects.toThrow(new RegExp(`answered ${status}`));
      expect(refusing.requests).toHaveLength(1);
      await once.shutdown();
      await refusing.close();
    }
  });

  it('gives up at the attempt limit, saying how often it tried', async () => {
    server = await startScriptedOtlpServer([{ status: 503 }]);
    exporter = new OtlpExporter(target(server.url), { retry: { ...FAST, maxAttempts: 3 } });
    exporter.export(spans(1));
    await expect(exporter.flush()).rejects.toThrow(/answered 503 Service Unavailable \(after 3 attempts\)$/);
    expect(server.requests).toHaveLength(3);
  });

  it('stops retrying before the invocation’s deadline instead of waiting out a long Retry-After', async () => {
    server = await startScriptedOtlpServer([{ status: 429, headers: { 'retry-after': '30' } }]);
    exporter = new OtlpExporter(target(server.url), { retry: FAST });
    exporter.export(spans(1));
    const started = Date.now();
    const error = await exporter.flush({ deadlineMs: Date.now() + 2000 }).catch((e: Error) => e);
    expect(Date.now() - started).toBeLessThan(1000);
    expect((error as Error).message).toMatch(/answered 429 Too Many Requests; not retried after 1 attempt: waiting 30000 ms would pass the invocation's deadline/);
    expect(server.requests).toHaveLength(1);
  });

  it('spends no attempt when the deadline has already passed', async () => {
    server = await startScriptedOtlpServer(['forward'], collector.url);
    exporter = new OtlpExporter(target(server.url));
    exporter.export(spans(1));
    await expect(exporter.flush({ deadlineMs: Date.now() - 1 })).rejects.toThrow(/no time left before the deadline/);
    expect(server.requests).toHaveLength(0);
  });

  it('counts a partial success’s rejected spans, without retrying, and redacts the header values in its message', async () => {
    server = await startScriptedOtlpServer([
      { status: 200, headers: { 'content-type': 'application/x-protobuf' }, body: partialSuccessBody(2, `2 spans too old for token ${SECRET}`) },
    ]);
    exporter = new OtlpExporter(target(server.url), { retry: FAST });
    exporter.export(spans(5));
    await expect(exporter.flush()).resolves.toEqual({ rejectedSpans: 2, rejectionMessage: '2 spans too old for token [redacted]' });
    expect(server.requests).toHaveLength(1);
  });

  it('never prints a header value: an echoing refusal is redacted, one with a short value is left out', async () => {
    const echo = (body: string) => ({ status: 403, headers: { 'content-type': 'text/plain' }, body });
    server = await startScriptedOtlpServer([echo(`token ${SECRET} is not valid`)]);
    exporter = new OtlpExporter(target(server.url));
    exporter.export(spans(1));
    const error = (await exporter.flush().catch((e: Error) => e)) as Error;
    expect(error.message).toBe(`OTLP export to ${server.url} answered 403 Forbidden: token [redacted] is not valid`);
    // The header did go out.
    expect(server.requests[0].headers['lightstep-access-token']).toBe(SECRET);

    const short = await startScriptedOtlpServer([echo('key abc is not valid')]);
    const shortExporter = new OtlpExporter(target(short.url, { headers: { 'x-key': 'abc' } }));
    shortExporter.export(spans(1));
    const shortError = (await shortExporter.flush().catch((e: Error) => e)) as Error;
    expect(shortError.message).toBe(`OTLP export to ${short.url} answered 403 Forbidden (text not shown: a header value is too short to redact)`);
    await shortExporter.shutdown();
    await short.close();
  });

  it('names a refused connection (retried, then given up), without any header value', async () => {
    exporter = new OtlpExporter(target('http://127.0.0.1:1/v1/traces'), { retry: { ...FAST, maxAttempts: 2 } });
    exporter.export(spans(1));
    const error = (await exporter.flush().catch((e: Error) => e)) as Error;
    expect(error.message).toMatch(/^OTLP export to http:\/\/127\.0\.0\.1:1\/v1\/traces: connect ECONNREFUSED 127\.0\.0\.1:1 \(after 2 attempts\)$/);
    expect(error.message).not.toContain(SECRET);
  });

  it('sends gzip with the content type of the protocol, or plain bodies with compression none', async () => {
    server = await startScriptedOtlpServer(['forward'], collector.url);
    exporter = new OtlpExporter(target(server.url));
    exporter.export(spans(1));
    await exporter.flush();
    const json = new OtlpExporter(target(server.url, { protocol: 'http/json', compression: 'none' }));
    json.export(spans(1, 1));
    await json.flush();
    await json.shutdown();
    const [proto, plain] = server.requests;
    expect(proto.headers).toMatchObject({ 'content-type': 'application/x-protobuf', 'content-encoding': 'gzip' });
    expect(proto.raw.subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));
    expect(plain.headers['content-type']).toBe('application/json');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(JSON.parse(plain.raw.toString()).resourceSpans[0].scopeSpans[0].spans[0].traceId).toBe(TRACE);
    expect(collector.store.countSpans()).toBe(2);
  });

  it('splits a large batch into requests of at most 1,000 spans', async () => {
    server = await startScriptedOtlpServer(['forward'], collector.url);
    exporter = new OtlpExporter(target(server.url));
    exporter.export(spans(2500));
    await exporter.flush();
    expect(server.requests.map((r) => spanCount(r.body))).toEqual([1000, 1000, 500]);
    expect(collector.store.countSpans()).toBe(2500);
  });

  it('export is all or nothing: a batch with an id OTLP cannot carry queues none of it', () => {
    exporter = new OtlpExporter(target('http://127.0.0.1:1/v1/traces'));
    const batch = spans(3);
    batch[2] = { ...batch[2], spanId: '0000000000000000' };
    expect(() => exporter!.export(batch)).toThrow(/span id is not 16 lowercase hex, or is 0/);
    expect(exporter.buffered()).toBe(0);
  });

  it('through the handler: the summary line counts SpansRejected; a failed flush rejects with FlushFailed 1', async () => {
    const lines = spans(3).map((s) => encodeSpanLine(s));
    const event: CloudWatchLogsEvent = encodeSubscriptionEvent({
      messageType: 'DATA_MESSAGE',
      owner: '123456789012',
      logGroup: '/aws/lambda/fn',
      logStream: '2026/11/25/[$LATEST]abc',
      subscriptionFilters: ['span-lines'],
      logEvents: lines.map((message, i) => ({ id: String(i), timestamp: 1764045116123 + i, message })),
    });
    server = await startScriptedOtlpServer([
      { status: 200, headers: { 'content-type': 'application/x-protobuf' }, body: partialSuccessBody(1, 'one too late') },
      { status: 400 },
    ]);
    exporter = new OtlpExporter(target(server.url), { retry: FAST });
    const written: string[] = [];
    const summary = await forwardSubscriptionEvent(event, exporter, (line) => written.push(line));
    expect(summary).toMatchObject({ received: 3, forwarded: 3, rejected: 1 });
    expect(JSON.parse(written[0])).toMatchObject({ SpansAttempted: 3, SpansForwarded: 3, SpansRejected: 1, RejectionMessage: 'one too late', FlushFailed: 0 });

    await expect(forwardSubscriptionEvent(event, exporter, (line) => written.push(line))).rejects.toThrow(FlushError);
    expect(JSON.parse(written[1])).toMatchObject({ SpansForwarded: 0, SpansRejected: 0, FlushFailed: 1 });
  });
});

describe('OtlpExporter on the Kinesis path', () => {
  it('passes each record’s log group, stream and account as the resource, and counts a partial success in the batch line', async () => {
    const server = await startScriptedOtlpServer([
      { status: 200, headers: { 'content-type': 'application/x-protobuf' }, body: partialSuccessBody(1, 'late') },
    ]);
    const exporter = new OtlpExporter(target(server.url), { region: 'eu-west-1' });
    try {
      const payload = (logGroup: string, logStream: string) => ({
        messageType: 'DATA_MESSAGE' as const,
        owner: '123456789012',
        logGroup,
        logStream,
        subscriptionFilters: ['span-lines'],
        logEvents: spans(1, logGroup.length).map((s, i) => ({ id: String(i), timestamp: 1764045116123, message: encodeSpanLine(s) })),
      });
      const event = encodeKinesisEvent([payload('/aws/lambda/one', '2026/11/25/[3]aaa'), payload('/aws/lambda/second', '2026/11/25/[$LATEST]bbb')]);
      const lines: string[] = [];
      await expect(forwardKinesisEvent(event, exporter, (line) => lines.push(line))).resolves.toEqual({ batchItemFailures: [] });
      const batchLine = JSON.parse(lines[lines.length - 1]);
      expect(batchLine).toMatchObject({ SpansRejected: 1, RejectionMessage: 'late', RecordsFailed: 0 });
      const type = otlpType('ExportTraceServiceRequest');
      const sent = type.toObject(type.decode(server.requests[0].body)) as { resourceSpans: Array<{ resource: { attributes: Array<{ key: string; value: { stringValue?: string } }> } }> };
      const resources = sent.resourceSpans.map((r) => Object.fromEntries(r.resource.attributes.map((a) => [a.key, a.value.stringValue])));
      expect(resources.map((r) => [r['faas.name'], r['faas.version'], r['cloud.account.id'], r['cloud.region']])).toEqual([
        ['one', '3', '123456789012', 'eu-west-1'],
        ['second', '$LATEST', '123456789012', 'eu-west-1'],
      ]);
    } finally {
      await exporter.shutdown();
      await server.close();
    }
  });
});
