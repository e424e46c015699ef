/**
 * The whole pipeline in one test, with real parts only: a LightStep-traced caller injects its
 * context into request headers → the function handler runs in its own Node process (a Lambda
 * container) and writes span lines to its stdout → those lines become a genuine CloudWatch Logs
 * subscription event (gzip + base64) → the forwarder Lambda handler → the embedded collector,
 * which must hold ONE trace joining the caller's span and the function's spans.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { CloudWatchLogsEvent } from 'aws-lambda';
import * as lightstep from 'lightstep-tracer';
import { FORMAT_HTTP_HEADERS } from 'opentracing';
import { startCollector, type RunningCollector } from '../../src/collector/server';
import type { ForwardSummary } from '../../src/log-span-forwarder/forward';
import { encodeSubscriptionEvent } from '../../src/log-span-forwarder/subscription-event';
import { decodeSpanLine, type FinishedSpan } from '../../src/span-line';

const ROOT = path.resolve(__dirname, '../..');
const TOKEN = 'e2e-secret-token';

/** Runs one event through the function in a fresh process; returns its stdout lines and response. */
function invokeFunction(event: unknown): Promise<{ lines: string[]; response: { statusCode: number; body: string } }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'e2e-event-'));
  const file = path.join(dir, 'event.json');
  writeFileSync(file, JSON.stringify(event));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'src/function/local-invoke.ts'), file], {
      cwd: ROOT,
      env: { ...process.env, TRACE_REPORTING: 'log', COMPONENT_NAME: 'lambda_function', LIGHTSTEP_ACCESS_TOKEN: undefined },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    child.on('error', reject);
    child.on('close', (code) => {
      rmSync(dir, { recursive: true, force: true });
      const outcome = stderr.split('\n').find((l) => l.startsWith('{"requestId"'));
      if (code !== 0 || outcome === undefined) return reject(new Error(`function exited ${code}: ${stderr}`));
      resolve({ lines: stdout.split('\n').filter((l) => l !== ''), response: JSON.parse(outcome).response });
    });
  });
}

/** The function's log stream as Lambda would ship it: platform lines around what it wrote. */
function subscriptionEventFor(lines: string[]): CloudWatchLogsEvent {
  const requestId = '8f5a2b1c-0d3e-4f5a-9b6c-7d8e9f0a1b2c';
  const messages = [
    `START RequestId: ${requestId} Version: $LATEST`,
    ...lines,
    `END RequestId: ${requestId}`,
    `REPORT RequestId: ${requestId}\tDuration: 12.34 ms\tBilled Duration: 13 ms\tMemory Size: 128 MB\tMax Memory Used: 70 MB`,
  ];
  const now = Date.now();
  return encodeSubscriptionEvent({
    messageType: 'DATA_MESSAGE',
    owner: '123456789012',
    logGroup: '/aws/lambda/ot-function',
    logStream: '2026/11/25/[$LATEST]0123456789abcdef0123456789abcdef',
    subscriptionFilters: ['span-lines'],
    logEvents: messages.map((message, i) => ({ id: `${now}${i}`, timestamp: now, message })),
  });
}

describe('end to end: caller → function (log lines) → forwarder → collector', () => {
  let collector: RunningCollector;
  const savedEnv = { ...process.env };

  beforeAll(async () => {
    collector = await startCollector({ port: 0, dbPath: ':memory:' });
  });
  afterAll(async () => {
    process.env = savedEnv;
    await collector.close();
  });

  it('joins the function spans to the caller trace with their original ids and timestamps', async () => {
    // The caller: a service traced with the real lightstep-tracer, reporting to the collector.
    const caller = new lightstep.Tracer({
      access_token: TOKEN,
      component_name: 'node-service',
      collector_host: '127.0.0.1',
      collector_port: collector.port,
      collector_encryption: 'none',
      disable_reporting_loop: true,
      disable_report_on_exit: true,
      disable_clock_skew_correction: true,
      verbosity: 0,
    });
    const egress = caller.startSpan('service-egress');
    const headers: Record<string, string> = {};
    caller.inject(egress.context(), FORMAT_HTTP_HEADERS, headers);
    // A REST API keeps header case as sent: prove extraction does not care.
    const mixedCase = Object.fromEntries(
      Object.entries(headers).map(([k, v]) => [k.replace(/(^|-)([a-z])/g, (_m, dash: string, c: string) => dash + c.toUpperCase()), v]),
    );
    const template = JSON.parse(readFileSync(path.join(ROOT, 'events/apigw-rest-v1.json'), 'utf8'));
    const event = {
      ...template,
      headers: { ...mixedCase, 'Content-Type': 'application/json' },
      multiValueHeaders: Object.fromEntries(Object.entries(mixedCase).map(([k, v]) => [k, [v]])),
    };

    const { lines, response } = await invokeFunction(event);
    expect(response.statusCode).toBe(200);
    egress.finish();
    await new Promise<void>((resolve, reject) => caller.flush((err) => (err ? reject(err) : resolve())));

    const written = lines.map((l) => decodeSpanLine(l)).flatMap((d) => (d.ok ? d.spans : [] as FinishedSpan[]));
    const lambdaSpan = written.find((s) => s.operation === 'lambda-execution');
    expect(lambdaSpan).toBeDefined();

    // The forwarder Lambda, configured from its environment like in AWS.
    process.env.LIGHTSTEP_ACCESS_TOKEN = TOKEN;
    process.env.LIGHTSTEP_COLLECTOR_HOST = '127.0.0.1';
    process.env.LIGHTSTEP_COLLECTOR_PORT = String(collector.port);
    process.env.LIGHTSTEP_COLLECTOR_ENCRYPTION = 'none';
    let forwarderHandler!: (e: CloudWatchLogsEvent) => Promise<ForwardSummary>;
    jest.isolateModules(() => {
      forwarderHandler = require('../../src/log-span-forwarder/handler').handler;
    });
    const summary = await forwarderHandler(subscriptionEventFor(lines)); // also prints its EMF summary line
    expect(summary.forwarded).toBe(written.length);
    expect(summary.lines).toBe(lines.length); // one line holds the invocation's spans
    expect(summary.received).toBe(lines.length + 3);
    expect(summary.skipped.not_json).toBe(3);

    const traceId = egress.context().toTraceId();
    const res = await fetch(`${collector.url}/api/traces/${traceId}`);
    expect(res.status).toBe(200);
    const { spans } = (await res.json()) as { spans: Array<FinishedSpan & { parentSpanId?: string }> };
    expect(new Set(spans.map((s) => s.traceId))).toEqual(new Set([traceId]));
    expect(spans).toHaveLength(1 + written.length);

    const stored = spans.find((s) => s.operation === 'lambda-execution')!;
    expect(stored.parentSpanId).toBe(egress.context().toSpanId());
    expect(stored.spanId).toBe(lambdaSpan!.spanId);
    expect(stored.startMicros).toBe(lambdaSpan!.startMicros);
    expect(stored.durationMicros).toBe(lambdaSpan!.durationMicros);
    expect(stored.component).toBe('lambda_function');
    expect(stored.tags['faas.coldstart']).toBe(true);
    // Every span the function wrote hangs off the caller's trace, under its own recorded parent.
    for (const span of written) {
      const match = spans.find((s) => s.spanId === span.spanId)!;
      expect(match.parentSpanId).toBe(span.parentSpanId);
      expect(match.component).toBe('lambda_function');
    }
    const callerSpan = spans.find((s) => s.operation === 'service-egress')!;
    expect(callerSpan.component).toBe('node-service');
  });
});
