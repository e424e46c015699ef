/**
 * OpenTelemetry at both ends: an OTel-SDK caller (through the OpenTracing shim, exporting OTLP)
 * injects W3C `traceparent` into the request → the function handler runs in its own Node process
 * (a Lambda container), continues that 128-bit context and writes span lines → a genuine
 * subscription event → the forwarder Lambda handler with BOTH sinks on (OTLP and LightStep) →
 * embedded collectors. One 128-bit trace on the OTLP side; on the LightStep side the lower 64
 * bits, so both halves still join there.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { CloudWatchLogsEvent, Context } from 'aws-lambda';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { TracerShim } from '@opentelemetry/shim-opentracing';
import { FORMAT_HTTP_HEADERS } from 'opentracing';
import { lambdaContext } from '../../src/common/lambda-context';
import { startCollector, type RunningCollector } from '../../src/collector/server';
import type { ForwardSummary } from '../../src/log-span-forwarder/forward';
import { encodeSubscriptionEvent } from '../../src/log-span-forwarder/subscription-event';
import { w3cPropagator } from '../../src/service/otel-tracer';
import { decodeSpanLine, type FinishedSpan } from '../../src/span-line';

const ROOT = path.resolve(__dirname, '../..');

/** Runs one event through the function in a fresh process (a cold container); its stdout lines and response. */
function invokeFunction(event: unknown): Promise<{ lines: string[]; response: { statusCode: number; body: string } }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'otlp-e2e-event-'));
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

const HEADER_SECRET = 'otlp-e2e-header-secret-0123456789';
const LOG_STREAM = '2026/11/25/[$LATEST]0123456789abcdef0123456789abcdef';

function subscriptionEventFor(lines: string[]): CloudWatchLogsEvent {
  const now = Date.now();
  const messages = ['START RequestId: r1 Version: $LATEST', ...lines, 'END RequestId: r1', 'REPORT RequestId: r1\tDuration: 1.00 ms'];
  return encodeSubscriptionEvent({
    messageType: 'DATA_MESSAGE',
    owner: '123456789012',
    logGroup: '/aws/lambda/ot-function',
    logStream: LOG_STREAM,
    subscriptionFilters: ['span-lines'],
    logEvents: messages.map((message, i) => ({ id: `${now}${i}`, timestamp: now, message })),
  });
}

describe('end to end with OpenTelemetry: OTel caller → function span lines → forwarder OTLP sink → collector', () => {
  let otlpCollector: RunningCollector;
  let lightStepCollector: RunningCollector;
  const savedEnv = { ...process.env };

  beforeAll(async () => {
    otlpCollector = await startCollector({ port: 0, dbPath: ':memory:', accessToken: HEADER_SECRET });
    lightStepCollector = await startCollector({ port: 0, dbPath: ':memory:' });
  });
  afterAll(async () => {
    process.env = savedEnv;
    await otlpCollector.close();
    await lightStepCollector.close();
  });

  it('one 128-bit trace; lambda-execution’s parent is the caller’s span; span ids as the function wrote them', async () => {
    // The caller: the OpenTelemetry SDK, exporting OTLP to the collector.
    const provider = new BasicTracerProvider({
      resource: resourceFromAttributes({ 'service.name': 'node-service' }),
      spanProcessors: [new SimpleSpanProcessor(new OTLPTraceExporter({ url: `${otlpCollector.url}/v1/traces`, headers: { 'lightstep-access-token': HEADER_SECRET } }))],
    });
    const propagator = w3cPropagator();
    const caller = new TracerShim(provider.getTracer('node-service'), { textMapPropagator: propagator, httpHeadersPropagator: propagator });
    const egress = caller.startSpan('service-egress', { tags: { 'span.kind': 'client' } });
    const headers: Record<string, string> = {};
    caller.inject(egress.context(), FORMAT_HTTP_HEADERS, headers);
    const traceId = egress.context().toTraceId();
    expect(traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(traceId.slice(0, 16)).not.toBe('0000000000000000');
    expect(headers.traceparent).toBe(`00-${traceId}-${egress.context().toSpanId()}-01`);

    // The function, in its own process, sees only the request: an API Gateway event with the
    // caller's headers (a REST API keeps their case as sent).
    const template = JSON.parse(readFileSync(path.join(ROOT, 'events/apigw-rest-v1.json'), 'utf8'));
    const event = {
      ...template,
      headers: { Traceparent: headers.traceparent, 'Content-Type': 'application/json' },
      multiValueHeaders: { Traceparent: [headers.traceparent], 'Content-Type': ['application/json'] },
    };
    const { lines, response } = await invokeFunction(event);
    expect(response.statusCode).toBe(200);
    egress.finish();
    await provider.forceFlush();
    await provider.shutdown();

    const written = lines.map((l) => decodeSpanLine(l)).flatMap((d) => (d.ok ? d.spans : [])) as FinishedSpan[];
    const lambdaSpan = written.find((s) => s.operation === 'lambda-execution')!;
    expect(lambdaSpan.parentSpanId).toBe(egress.context().toSpanId());
    expect(written.every((s) => s.traceId === traceId)).toBe(true); // the span lines carry all 128 bits

    // The forwarder Lambda, both sinks on, configured from its environment as in AWS.
    process.env = {
      ...savedEnv,
      AWS_REGION: 'eu-west-1',
      OTEL_EXPORTER_OTLP_ENDPOINT: otlpCollector.url,
      OTEL_EXPORTER_OTLP_HEADERS: `lightstep-access-token=${HEADER_SECRET}`,
      LIGHTSTEP_ACCESS_TOKEN: 'lightstep-e2e-token',
      LIGHTSTEP_COLLECTOR_HOST: '127.0.0.1',
      LIGHTSTEP_COLLECTOR_PORT: String(lightStepCollector.port),
      LIGHTSTEP_COLLECTOR_ENCRYPTION: 'none',
    };
    let forwarderHandler!: (e: CloudWatchLogsEvent, c?: Context) => Promise<ForwardSummary>;
    jest.isolateModules(() => {
      forwarderHandler = require('../../src/log-span-forwarder/handler').handler;
    });
    const forwarderContext = lambdaContext({ functionName: 'log-span-forwarder', functionVersion: '1', awsRequestId: 'f1', deadlineMs: Date.now() + 60_000 });
    const summary = await forwarderHandler(subscriptionEventFor(lines), forwarderContext);
    expect(summary).toMatchObject({ forwarded: written.length, rejected: 0 });

    // OTLP side: one trace, 128-bit, the caller's span and every span the function wrote.
    const spans = otlpCollector.store.getTrace(traceId);
    expect(new Set(spans.map((s) => s.traceId))).toEqual(new Set([traceId]));
    expect(spans).toHaveLength(1 + written.length);
    expect(otlpCollector.store.listTraces(10).map((t) => t.traceId)).toEqual([traceId]);
    const stored = spans.find((s) => s.spanId === lambdaSpan.spanId)!;
    expect(stored).toMatchObject({
      parentSpanId: egress.context().toSpanId(),
      operation: 'lambda-execution',
      component: 'lambda_function',
      startMicros: lambdaSpan.startMicros,
      durationMicros: lambdaSpan.durationMicros,
      resource: {
        'service.name': 'lambda_function',
        'faas.name': 'ot-function',
        'faas.version': '$LATEST',
        'faas.instance': LOG_STREAM,
        'cloud.region': 'eu-west-1',
        'cloud.account.id': '123456789012',
      },
    });
    expect(stored.tags).toMatchObject({ 'span.kind': 'server', 'faas.coldstart': true });
    for (const span of written) {
      const match = spans.find((s) => s.spanId === span.spanId)!;
      expect(match.parentSpanId).toBe(span.parentSpanId);
      expect(match.startMicros).toBe(span.startMicros);
    }
    expect(spans.find((s) => s.operation === 'service-egress')!.component).toBe('node-service');

    // LightStep side: the same spans under the lower 64 bits, parents unchanged, so they join the
    // caller's trace there (LightStep keys a trace by those 64 bits).
    const lower = lightStepCollector.store.getTrace(traceId.slice(16));
    expect(lower.map((s) => [s.traceId, s.spanId, s.parentSpanId]).sort()).toEqual(
      written.map((s) => [traceId.slice(16), s.spanId, s.parentSpanId]).sort(),
    );
  });
});
