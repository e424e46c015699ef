import { readFileSync } from 'node:fs';
import * as net from 'node:net';
import { join } from 'node:path';
import type { CloudWatchLogsEvent } from 'aws-lambda';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { startCollector, type RunningCollector } from '../../src/collector/server';
import { forwardSubscriptionEvent } from '../../src/log-span-forwarder/handler';
import { embeddedCollectorTarget } from '../../src/lightstep/target';
import { LightStepExporter } from '../../src/log-span-forwarder/lightstep-exporter';
import { encodeSubscriptionEvent, type SubscriptionPayload } from '../../src/log-span-forwarder/subscription-event';
import { encodeSpanLine, SKIP_REASONS } from '../../src/span-line';
import { GENUINE_SPANS, MIXED_LINES } from '../../events/build-subscription-mixed';

type Handler = typeof import('../../src/log-span-forwarder/handler').handler;

const TOKEN = 'ls_token_handler_0123456789';
const ENV_KEYS = [
  'LIGHTSTEP_ACCESS_TOKEN',
  'LIGHTSTEP_ACCESS_TOKEN_PARAMETER',
  'AWS_REGION',
  'LIGHTSTEP_COLLECTOR_HOST',
  'LIGHTSTEP_COLLECTOR_PORT',
  'LIGHTSTEP_COLLECTOR_ENCRYPTION',
] as const;

/** A fresh handler module (config and exporter are per container, i.e. per module instance). */
function loadHandler(env: Partial<Record<(typeof ENV_KEYS)[number], string>>): Handler {
  for (const key of ENV_KEYS) {
    if (env[key] === undefined) delete process.env[key];
    else process.env[key] = env[key];
  }
  let handler: Handler | undefined;
  jest.isolateModules(() => {
    handler = (require('../../src/log-span-forwarder/handler') as typeof import('../../src/log-span-forwarder/handler')).handler;
  });
  return handler!;
}

function localEnv(port: number) {
  return {
    LIGHTSTEP_ACCESS_TOKEN: TOKEN,
    LIGHTSTEP_COLLECTOR_HOST: '127.0.0.1',
    LIGHTSTEP_COLLECTOR_PORT: String(port),
    LIGHTSTEP_COLLECTOR_ENCRYPTION: 'none',
  };
}

function dataEvent(messages: string[]): CloudWatchLogsEvent {
  const payload: SubscriptionPayload = {
    messageType: 'DATA_MESSAGE',
    owner: '123456789012',
    logGroup: '/aws/lambda/fn',
    logStream: '2024/05/14/[$LATEST]abc',
    subscriptionFilters: ['span-lines'],
    logEvents: messages.map((message, i) => ({ id: String(i), timestamp: 1715681730123 + i, message })),
  };
  return encodeSubscriptionEvent(payload);
}

/** A port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const savedEnv = Object.fromEntries(ENV_KEYS.map((key) => [key, process.env[key]]));
afterAll(() => {
  for (const key of ENV_KEYS) {
    if (savedEnv[key] === undefined) delete process.env[key];
    else process.env[key] = savedEnv[key];
  }
});

describe('log-span-forwarder handler → embedded collector', () => {
  let collector: RunningCollector;
  beforeEach(async () => {
    collector = await startCollector({ port: 0, dbPath: ':memory:', accessToken: TOKEN });
  });
  afterEach(async () => {
    await collector.close();
  });

  it('forwards exactly the genuine spans of events/subscription-mixed.json and counts the rest by reason', async () => {
    const event = JSON.parse(readFileSync(join(__dirname, '../../events/subscription-mixed.json'), 'utf8'));
    const summary = await loadHandler(localEnv(collector.port))(event);

    const expectedSkipped = Object.fromEntries(SKIP_REASONS.map((reason) => [reason, 0]));
    for (const line of MIXED_LINES) if (line.outcome !== 'span') expectedSkipped[line.outcome]++;
    expect(summary).toEqual({ received: MIXED_LINES.length, lines: 2, forwarded: 3, truncated: 1, skipped: expectedSkipped, rejected: 0 });

    expect(collector.store.countSpans()).toBe(GENUINE_SPANS.length);
    const [dynamo, execution, billing] = GENUINE_SPANS;
    const trace = collector.store.getTrace(execution.traceId);
    expect(trace.map((s) => s.spanId).sort()).toEqual([dynamo.spanId, execution.spanId].sort());
    expect(trace.find((s) => s.spanId === execution.spanId)).toEqual({
      traceId: execution.traceId,
      spanId: execution.spanId,
      parentSpanId: execution.parentSpanId, // the caller's span: the trace stays joined
      operation: 'lambda-execution',
      component: 'lambda_function',
      startMicros: execution.startMicros,
      durationMicros: execution.durationMicros,
      tags: { ...execution.tags, 'baggage.tenant': 'acme' },
      logs: [],
    });
    expect(trace.find((s) => s.spanId === dynamo.spanId)).toMatchObject({
      parentSpanId: execution.spanId,
      tags: { ...dynamo.tags, 'baggage.tenant': 'acme' },
      logs: dynamo.logs,
    });
    // 128-bit trace id: the lower 64 bits; another component, its own tracer.
    expect(collector.store.getTrace(billing.traceId.slice(16))).toEqual([
      expect.objectContaining({ spanId: billing.spanId, component: 'billing-worker', tags: expect.objectContaining({ amount: 12.5 }) }),
    ]);
    // Nothing forged got in.
    expect(collector.store.getTrace(execution.traceId).some((s) => s.operation === 'forged')).toBe(false);
  });

  it('stores 10,000 spans from one event, and the same event again leaves 10,000', async () => {
    const lines = Array.from({ length: 10_000 }, (_, i) =>
      encodeSpanLine({
        traceId: (0xabc0000000000000n + BigInt(i >> 4)).toString(16),
        spanId: (0x5000000000000000n + BigInt(i)).toString(16),
        parentSpanId: i % 16 === 0 ? undefined : (0x5000000000000000n + BigInt(i - (i % 16))).toString(16),
        operation: 'batch-item',
        component: i % 2 === 0 ? 'lambda_function' : 'worker',
        startMicros: 1715681730123456 + i,
        durationMicros: 100,
        tags: { 'span.kind': 'server', i, even: i % 2 === 0 },
        logs: [],
        baggage: {},
      }) + '\n',
    );
    const event = dataEvent(lines);
    const handler = loadHandler(localEnv(collector.port));

    // Throughput is the bench's (npm run bench); here only that nothing is lost or doubled.
    const summary = await handler(event);

    expect(summary.forwarded).toBe(10_000);
    expect(collector.store.countSpans()).toBe(10_000);
    await handler(event); // a Lambda retry, or CloudWatch redelivering
    expect(collector.store.countSpans()).toBe(10_000);
  });

  it('skips a line with a zero trace id as bad_field; the rest of its batch arrives', async () => {
    // A collector answers 400 to a whole report holding one zero id: forwarded, this line would
    // send the good spans to retries and the dead-letter queue with it.
    const [dynamo, execution, billing] = GENUINE_SPANS;
    const zeroTrace = encodeSpanLine(execution).replace(`"trace":"${execution.traceId}"`, '"trace":"0000000000000000"');
    const zeroLowerHalf = encodeSpanLine(billing).replace(`"trace":"${billing.traceId}"`, `"trace":"${billing.traceId.slice(0, 16)}0000000000000000"`);
    expect(zeroTrace).toContain('"trace":"0000000000000000"');
    const summary = await loadHandler(localEnv(collector.port))(dataEvent([encodeSpanLine(dynamo), zeroTrace, zeroLowerHalf, encodeSpanLine(billing)]));
    expect(summary).toMatchObject({ received: 4, forwarded: 2, skipped: expect.objectContaining({ bad_field: 2 }) });
    expect(collector.store.countSpans()).toBe(2);
    expect(collector.store.getTrace(dynamo.traceId).map((s) => s.spanId)).toEqual([dynamo.spanId]);
    expect(collector.store.getTrace(billing.traceId.slice(16)).map((s) => s.spanId)).toEqual([billing.spanId]);
  });

  it('does nothing for a CONTROL_MESSAGE', async () => {
    const control = encodeSubscriptionEvent({
      messageType: 'CONTROL_MESSAGE',
      owner: 'CloudwatchLogs',
      logGroup: '',
      logStream: '',
      subscriptionFilters: [],
      logEvents: [{ id: '', timestamp: 1715681730123, message: 'CWL CONTROL MESSAGE: Checking health of destination Lambda.' }],
    });
    const summary = await loadHandler(localEnv(collector.port))(control);
    expect(summary).toMatchObject({ received: 0, forwarded: 0 });
    expect(collector.store.countSpans()).toBe(0);
  });

  it('reads the token from SSM when only LIGHTSTEP_ACCESS_TOKEN_PARAMETER is set (AWS itself faked)', async () => {
    // The SDK is loaded lazily, after the isolated load: the shared registry's copy is the one used.
    const ssm = mockClient(SSMClient);
    ssm.on(GetParameterCommand, { Name: '/lightstep/access-token', WithDecryption: true }).resolves({
      Parameter: { Value: TOKEN },
    });
    const { LIGHTSTEP_ACCESS_TOKEN: _fromSsm, ...env } = localEnv(collector.port);
    const handler = loadHandler({ ...env, LIGHTSTEP_ACCESS_TOKEN_PARAMETER: '/lightstep/access-token', AWS_REGION: 'eu-west-1' });
    try {
      await handler(dataEvent([encodeSpanLine(GENUINE_SPANS[1])]));
      await handler(dataEvent([encodeSpanLine(GENUINE_SPANS[0])]));
      expect(collector.store.countSpans()).toBe(2); // the collector only accepts TOKEN
      expect(ssm.calls()).toHaveLength(1); // once per container
    } finally {
      ssm.restore();
    }
  });

  it('a failed SSM read fails that invocation only: the next one reads the parameter again and forwards', async () => {
    const ssm = mockClient(SSMClient);
    ssm
      .on(GetParameterCommand)
      .rejectsOnce(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }))
      .resolves({ Parameter: { Value: TOKEN } });
    const { LIGHTSTEP_ACCESS_TOKEN: _fromSsm, ...env } = localEnv(collector.port);
    const handler = loadHandler({ ...env, LIGHTSTEP_ACCESS_TOKEN_PARAMETER: '/lightstep/access-token', AWS_REGION: 'eu-west-1' });
    try {
      await expect(handler(dataEvent([encodeSpanLine(GENUINE_SPANS[1])]))).rejects.toThrow(
        /LIGHTSTEP_ACCESS_TOKEN_PARAMETER: could not read SSM parameter \/lightstep\/access-token: ThrottlingException/,
      );
      expect(collector.store.countSpans()).toBe(0);
      await handler(dataEvent([encodeSpanLine(GENUINE_SPANS[1])])); // Lambda's retry of the same batch
      expect(collector.store.countSpans()).toBe(1);
      expect(ssm.calls()).toHaveLength(2);
    } finally {
      ssm.restore();
    }
  });

  it('rejects a malformed event (so it is retried, then dead-lettered)', async () => {
    await expect(loadHandler(localEnv(collector.port))({ awslogs: { data: 'bm90IGd6aXA=' } })).rejects.toThrow(/not gzip/);
  });
});

describe('log-span-forwarder handler failures', () => {
  it('rejects with a clear error, without the token, when the collector is down', async () => {
    const port = await closedPort();
    const handler = loadHandler(localEnv(port));
    const error = await handler(dataEvent([encodeSpanLine(GENUINE_SPANS[1])])).then(
      () => new Error('handler resolved'),
      (e: Error) => e,
    );
    expect(error.name).toBe('FlushError');
    expect(error.message).toContain(`127.0.0.1:${port}`);
    expect(error.message).toContain('ECONNREFUSED');
    expect(error.message).not.toContain(TOKEN);
    expect(error.stack ?? '').not.toContain(TOKEN);
  });

  it('writes a summary line with SpansForwarded 0 (SpansAttempted 1) when the flush fails', async () => {
    const port = await closedPort();
    const exporter = new LightStepExporter({ ...embeddedCollectorTarget(port), accessToken: TOKEN });
    const lines: string[] = [];
    try {
      const event = dataEvent([encodeSpanLine(GENUINE_SPANS[1]), 'START']);
      await expect(forwardSubscriptionEvent(event, exporter, (l) => lines.push(l))).rejects.toThrow(/ECONNREFUSED/);
    } finally {
      exporter.close();
    }
    expect(lines.map((l) => JSON.parse(l))).toEqual([
      expect.objectContaining({ LinesReceived: 2, SpansAttempted: 1, SpansForwarded: 0, LinesSkipped: 1, FlushFailed: 1 }),
    ]);
  });

  it.each([
    [{ LIGHTSTEP_COLLECTOR_ENCRYPTION: 'none' }, 'LIGHTSTEP_ACCESS_TOKEN'],
    [{ LIGHTSTEP_ACCESS_TOKEN: TOKEN, LIGHTSTEP_COLLECTOR_PORT: '99999' }, 'LIGHTSTEP_COLLECTOR_PORT'],
    [{ LIGHTSTEP_ACCESS_TOKEN: TOKEN, LIGHTSTEP_COLLECTOR_ENCRYPTION: 'ssl' }, 'LIGHTSTEP_COLLECTOR_ENCRYPTION'],
  ])('rejects when the configuration is bad (%j), naming %s', async (env, variable) => {
    const error = await loadHandler(env)(dataEvent(['START'])).catch((e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toContain(variable);
    expect((error as Error).message).not.toContain(TOKEN);
  });
});
