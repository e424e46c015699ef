import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { buildAll, PROJECT_ROOT, type BuiltBundle } from '../../scripts/build';
import { startCollector, type RunningCollector } from '../../src/collector/server';
import { encodeKinesisEvent } from '../../src/log-span-forwarder/kinesis-event';
import { decodeSubscriptionEvent, encodeSubscriptionEvent } from '../../src/log-span-forwarder/subscription-event';
import { decodeSpanLine, matchesSpanLineFilter } from '../../src/span-line';
import { invokeBundle, stdoutLines, type Outcome } from './invoke-bundle';

// `npm run build` bundles what `sam build` would (scripts/build.ts reads template.yaml's
// BuildProperties). Here each bundle is built into a temp dir OUTSIDE the project (no
// node_modules to fall back on, as on Lambda) and run in a fresh node process.

const HTTP_API_EVENT = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'events', 'http-api-v2.json'), 'utf8')) as {
  headers: Record<string, string>;
  body?: string;
  isBase64Encoded?: boolean;
};
const CALLER = {
  traceId: HTTP_API_EVENT.headers['ot-tracer-traceid']!,
  spanId: HTTP_API_EVENT.headers['ot-tracer-spanid']!,
};

let workDir: string;
let bundles: Record<string, BuiltBundle>;
let collector: RunningCollector;

beforeAll(async () => {
  workDir = mkdtempSync(path.join(os.tmpdir(), 'lambda-bundles-'));
  bundles = Object.fromEntries((await buildAll(workDir)).map((b) => [b.target.logicalId, b]));
  collector = await startCollector({ dbPath: ':memory:' });
});

afterAll(async () => {
  await collector?.close();
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

function packagesIn(bundle: BuiltBundle): string[] {
  const names = bundle.inputs.flatMap((input) => /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input)?.[1] ?? []);
  return [...new Set(names)].sort();
}

const collectorEnv = (): Record<string, string> => ({
  LIGHTSTEP_ACCESS_TOKEN: 'bundle-test-token',
  LIGHTSTEP_COLLECTOR_HOST: '127.0.0.1',
  LIGHTSTEP_COLLECTOR_PORT: String(collector.port),
  LIGHTSTEP_COLLECTOR_ENCRYPTION: 'none',
});

function expectOk(outcome: Outcome): void {
  if (outcome.error !== undefined) throw new Error(`${outcome.phase} failed: ${outcome.error}\n${outcome.stderr.slice(0, 2000)}`);
}

/** A function's stdout lines → what the subscription filter lets through → a real subscription event. */
function subscriptionEventFrom(lines: string[], logGroup = '/aws/lambda/lambda-log-tracing-traced') {
  const timestamp = Date.now();
  return encodeSubscriptionEvent({
    messageType: 'DATA_MESSAGE',
    owner: '123456789012',
    logGroup,
    logStream: '2026/11/25/[$LATEST]0123456789abcdef',
    subscriptionFilters: ['TracedFunctionSpanLineSubscription'],
    logEvents: lines.filter(matchesSpanLineFilter).map((message, i) => ({ id: String(36_000_000 + i), timestamp, message })),
  });
}

describe('bundles built from template.yaml', () => {
  test('one self-contained bundle (+ source map) per function, with its size', () => {
    expect(Object.keys(bundles).sort()).toEqual(['DirectTracedFunction', 'LogSpanForwarder', 'TracedFunction']);
    for (const bundle of Object.values(bundles)) {
      expect(path.basename(bundle.file)).toBe('handler.js');
      expect(bundle.bytes).toBeGreaterThan(10_000);
      expect(bundle.sourceMapBytes).toBeGreaterThan(0);
      // Only packages the nodejs22.x runtime provides may stay outside: nothing else is deployed.
      expect(bundle.warnings).toEqual([]);
    }
  });

  test('only the direct copy contains lightstep-tracer: the log-mode function has no reporting, the forwarder writes its reports itself', () => {
    expect(packagesIn(bundles.TracedFunction!)).not.toContain('lightstep-tracer');
    expect(packagesIn(bundles.TracedFunction!)).not.toContain('google-protobuf');
    expect(packagesIn(bundles.DirectTracedFunction!)).toContain('lightstep-tracer');
    // src/lightstep/wire/report-writer.ts: no tracer, no collector_pb, no google-protobuf to load.
    expect(packagesIn(bundles.LogSpanForwarder!)).not.toContain('lightstep-tracer');
    expect(packagesIn(bundles.LogSpanForwarder!)).not.toContain('google-protobuf');
    expect(bundles.TracedFunction!.bytes).toBeLessThan(bundles.DirectTracedFunction!.bytes / 2);
  });

  test('size budget: the log-mode function bundle stays under 256 KB (cold start is what it saves)', () => {
    // Measured 209 KB, about half of it ajv (the span-line schema validator, used only by the
    // decoder). A budget in the test keeps a heavy dependency from slipping in unnoticed.
    expect(bundles.TracedFunction!.bytes).toBeLessThan(256 * 1024);
  });
});

describe('the traced function bundle (log mode), invoked with events/http-api-v2.json', () => {
  test('returns 200 and has written the lambda-execution span line, child of the caller, before returning', async () => {
    const outcome = await invokeBundle(workDir, bundles.TracedFunction!.file, HTTP_API_EVENT, { TRACE_REPORTING: 'log' }, 'lambda-log-tracing-traced');
    expectOk(outcome);
    expect(outcome.result).toMatchObject({ statusCode: 200 });
    // Self-contained: the runtime loaded the bundle and nothing else from disk.
    expect(outcome.loaded?.filter((m) => !m.endsWith('lambda-runner.cjs'))).toEqual([bundles.TracedFunction!.file]);

    const spans = stdoutLines(outcome).map((line) => decodeSpanLine(line)).flatMap((d) => (d.ok ? d.spans : []));
    const execution = spans.find((s) => s.operation === 'lambda-execution');
    expect(execution).toMatchObject({ traceId: CALLER.traceId, parentSpanId: CALLER.spanId, component: 'lambda_function' });
    expect(spans.map((s) => s.operation)).toEqual(['compute', 'lambda-execution']);
    expect(stdoutLines(outcome).filter(matchesSpanLineFilter)).toHaveLength(1); // the invocation: one line
  });

  test('a failing request ({"fail": true}) answers 500 and marks the span error=true', async () => {
    const event = { ...HTTP_API_EVENT, body: JSON.stringify({ fail: true }), isBase64Encoded: false };
    const outcome = await invokeBundle(workDir, bundles.TracedFunction!.file, event, {}, 'lambda-log-tracing-traced');
    expectOk(outcome);
    expect(outcome.result).toMatchObject({ statusCode: 500 });
    const execution = stdoutLines(outcome).map((line) => decodeSpanLine(line)).flatMap((d) => (d.ok ? d.spans : [])).find((s) => s.operation === 'lambda-execution');
    expect(execution?.tags.error).toBe(true);
  });
});

describe('the direct-reporting function bundle', () => {
  test('reports lambda-execution to a collector itself, flushed before it returns, and writes no span line', async () => {
    const outcome = await invokeBundle(
      workDir,
      bundles.DirectTracedFunction!.file,
      HTTP_API_EVENT,
      { TRACE_REPORTING: 'direct', ...collectorEnv() },
      'lambda-log-tracing-traced-direct',
    );
    expectOk(outcome);
    expect(outcome.result).toMatchObject({ statusCode: 200 });
    expect(stdoutLines(outcome).filter(matchesSpanLineFilter)).toEqual([]);
    const stored = collector.store.getTrace(CALLER.traceId).filter((s) => s.operation === 'lambda-execution');
    expect(stored.length).toBeGreaterThanOrEqual(1);
    expect(stored[0]).toMatchObject({ parentSpanId: CALLER.spanId, component: 'lambda_function' });
  });
});

describe('the forwarder bundle', () => {
  test('a CONTROL_MESSAGE (CloudWatch\'s check when the subscription is created) forwards nothing', async () => {
    const event = encodeSubscriptionEvent({
      messageType: 'CONTROL_MESSAGE',
      owner: 'CloudwatchLogs',
      logGroup: '',
      logStream: '',
      subscriptionFilters: [],
      logEvents: [{ id: '', timestamp: Date.now(), message: 'CWL CONTROL MESSAGE: Checking health of destination Lambda function.' }],
    });
    const outcome = await invokeBundle(workDir, bundles.LogSpanForwarder!.file, event, collectorEnv(), 'lambda-log-tracing-log-span-forwarder');
    expectOk(outcome);
    expect(outcome.result).toMatchObject({ received: 0, forwarded: 0 });
  });

  test('events/subscription-mixed.json: exactly the genuine span lines are forwarded', async () => {
    const event = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'events', 'subscription-mixed.json'), 'utf8')) as { awslogs: { data: string } };
    const messages = (JSON.parse(gunzipSync(Buffer.from(event.awslogs.data, 'base64')).toString('utf8')) as { logEvents: Array<{ message: string }> }).logEvents.map((e) => e.message);
    const genuine = messages.flatMap((m) => {
      const decoded = decodeSpanLine(m);
      return decoded.ok ? decoded.spans : [];
    });
    const outcome = await invokeBundle(workDir, bundles.LogSpanForwarder!.file, event, collectorEnv(), 'lambda-log-tracing-log-span-forwarder');
    expectOk(outcome);
    expect(outcome.result).toMatchObject({ received: messages.length, forwarded: genuine.length });
  });

  test('end to end on the deploy artifacts: function bundle stdout → filter → subscription event → forwarder bundle → collector', async () => {
    const traceId = '5c0ffee5c0ffee01';
    const callerSpanId = '0123456789abcdef';
    const request = {
      ...HTTP_API_EVENT,
      headers: { ...HTTP_API_EVENT.headers, 'ot-tracer-traceid': traceId, 'ot-tracer-spanid': callerSpanId },
    };
    const invoked = await invokeBundle(workDir, bundles.TracedFunction!.file, request, {}, 'lambda-log-tracing-traced');
    expectOk(invoked);
    // What Lambda puts in the log group besides the function's own lines.
    const logGroupLines = [
      'START RequestId: 3f1c9a52-8d4e-4b7a-9c61-5e2f0a7b8c9d Version: $LATEST',
      ...stdoutLines(invoked),
      'END RequestId: 3f1c9a52-8d4e-4b7a-9c61-5e2f0a7b8c9d',
    ];
    const recorded = stdoutLines(invoked).map((line) => decodeSpanLine(line)).flatMap((d) => (d.ok ? d.spans : []));

    const forwarded = await invokeBundle(workDir, bundles.LogSpanForwarder!.file, subscriptionEventFrom(logGroupLines), collectorEnv(), 'lambda-log-tracing-log-span-forwarder');
    expectOk(forwarded);
    expect(forwarded.result).toMatchObject({ received: 1, lines: 1, forwarded: recorded.length }); // the filter passed the one span line
    // The forwarder's own output (its summary) must never look like a span line: no feedback loop.
    expect(stdoutLines(forwarded).filter(matchesSpanLineFilter)).toEqual([]);

    const stored = collector.store.getTrace(traceId);
    const execution = recorded.find((s) => s.operation === 'lambda-execution')!;
    expect(stored.find((s) => s.spanId === execution.spanId)).toMatchObject({
      traceId,
      parentSpanId: callerSpanId,
      operation: 'lambda-execution',
      component: 'lambda_function',
      startMicros: execution.startMicros,
      durationMicros: execution.durationMicros,
    });
  });

  test('a Kinesis batch (KinesisStream=true): every good record forwarded, a corrupt one skipped, an empty batchItemFailures', async () => {
    const traceId = '5c0ffee5c0ffee02';
    const invoked = await invokeBundle(workDir, bundles.TracedFunction!.file, { ...HTTP_API_EVENT, headers: { ...HTTP_API_EVENT.headers, 'ot-tracer-traceid': traceId } }, {}, 'lambda-log-tracing-traced');
    expectOk(invoked);
    const recorded = stdoutLines(invoked).map((line) => decodeSpanLine(line)).flatMap((d) => (d.ok ? d.spans : []));
    const payload = decodeSubscriptionEvent(subscriptionEventFrom(stdoutLines(invoked)));
    const event = encodeKinesisEvent([payload, payload, payload]);
    event.Records[1]!.kinesis.data = Buffer.from('corrupt').toString('base64');

    const forwarded = await invokeBundle(workDir, bundles.LogSpanForwarder!.file, event, collectorEnv(), 'lambda-log-tracing-log-span-forwarder');
    expectOk(forwarded);
    expect(forwarded.result).toEqual({ batchItemFailures: [] });
    // The same payload twice (as a redelivery would be): each span is stored once, by its ids.
    expect(collector.store.getTrace(traceId).map((s) => s.spanId).sort()).toEqual(recorded.filter((s) => s.traceId === traceId).map((s) => s.spanId).sort());
    const batchLine = stdoutLines(forwarded).map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => 'RecordsReceived' in l);
    expect(batchLine).toMatchObject({ RecordsReceived: 3, RecordsCorrupt: 1, RecordsFailed: 0 });
  });

  test('a collector that is down fails the invocation (so Lambda retries, then the failure queue) without showing the token', async () => {
    const event = subscriptionEventFrom([
      '{"level":"FATAL","otspan":1,"op":"x","dur":1,"comp":"lambda_function","trace":"00000000000000aa","span":"00000000000000bb","start":1715681730123456}',
    ]);
    const outcome = await invokeBundle(
      workDir,
      bundles.LogSpanForwarder!.file,
      event,
      { ...collectorEnv(), LIGHTSTEP_ACCESS_TOKEN: 'secret-token-never-shown', LIGHTSTEP_COLLECTOR_PORT: '1' },
      'lambda-log-tracing-log-span-forwarder',
    );
    expect(outcome.phase).toBe('invoke');
    expect(outcome.error).toEqual(expect.any(String));
    expect(`${outcome.error}${outcome.stdout}${outcome.stderr}`).not.toContain('secret-token-never-shown');
  });
});
