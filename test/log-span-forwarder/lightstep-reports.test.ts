// The reports LightStepExporter sends, read off the wire: what LightStep sees of them.
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startCollector, type RunningCollector } from '../../src/collector/server';
import { lightStepReporterTags } from '../../src/lightstep/reporter-identity';
import { COMPONENT_TAG, decodeReportRequest, EMPTY_REPORT_RESPONSE, spansFromReport, type WireSpan } from '../../src/lightstep/wire';
import { embeddedCollectorTarget } from '../../src/lightstep/target';
import { FlushError } from '../../src/log-span-forwarder/exporter';
import { LightStepExporter, type LightStepExporterOptions } from '../../src/log-span-forwarder/lightstep-exporter';
import type { FinishedSpan } from '../../src/span-line';
import { randomSpans } from '../lightstep/random-spans';

const TOKEN = 'ls_token_reports_0123456789';

interface Received {
  bytes: number;
  token: string | undefined;
  reporterId: string;
  tags: Array<[string, string]>;
  spans: WireSpan[];
}

/** A LightStep-protocol server that decodes every report; `refuse` picks reports to answer 503. */
async function recordingCollector(refuse: (report: Received, index: number) => boolean = () => false) {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const request = decodeReportRequest(body);
      const reporter = request.getReporter()!;
      const report: Received = {
        bytes: body.length,
        token: req.headers['lightstep-access-token'] as string | undefined,
        reporterId: (reporter as unknown as { getReporterId(): string }).getReporterId(),
        tags: reporter.getTagsList().map((kv) => [kv.getKey(), kv.getStringValue()]),
        spans: spansFromReport(request),
      };
      if (refuse(report, received.length)) {
        received.push({ ...report, spans: [] });
        return void res.writeHead(503).end('busy');
      }
      received.push(report);
      res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(EMPTY_REPORT_RESPONSE);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    received,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

function span(i: number, component: string): FinishedSpan {
  return {
    traceId: '4bf92f3577b34da6',
    spanId: (0x2000000000000000n + BigInt(i)).toString(16),
    operation: `op-${i}`,
    component,
    startMicros: 1715681730123456 + i,
    durationMicros: 10,
    tags: { i, padding: 'x'.repeat(200) },
    logs: [],
    baggage: {},
  };
}

describe('LightStepExporter reports, as sent', () => {
  let exporter: LightStepExporter | undefined;
  afterEach(() => {
    exporter?.close();
    exporter = undefined;
  });
  const exporterTo = (port: number, options: LightStepExporterOptions = {}) =>
    (exporter = new LightStepExporter({ ...embeddedCollectorTarget(port), accessToken: TOKEN }, options));

  it('carries the real tracer’s reporter tags and one reporter id per component, kept across flushes, and the token', async () => {
    const collector = await recordingCollector();
    try {
      const s = exporterTo(collector.port);
      s.export([span(1, 'lambda_function'), span(2, 'billing-worker')]);
      await s.flush();
      s.export([span(3, 'lambda_function')]);
      await s.flush();
      expect(collector.received).toHaveLength(3);
      const [first, other, again] = collector.received;
      for (const report of collector.received) expect(report.token).toBe(TOKEN);
      expect(first.tags).toEqual(lightStepReporterTags('lambda_function'));
      expect(other.tags).toEqual(lightStepReporterTags('billing-worker'));
      expect(new Map(first.tags).get(COMPONENT_TAG)).toBe('lambda_function');
      expect(again.reporterId).toBe(first.reporterId);
      expect(other.reporterId).not.toBe(first.reporterId);
      expect(first.reporterId).toMatch(/^[1-9]\d*$/);
    } finally {
      await collector.close();
    }
  });

  it('cuts a large batch into reports within maxReportBytes, each span once and in order', async () => {
    const collector = await recordingCollector();
    try {
      const s = exporterTo(collector.port, { maxReportBytes: 16 * 1024 });
      const spans = Array.from({ length: 500 }, (_, i) => span(i, 'lambda_function'));
      s.export(spans);
      await s.flush();
      expect(collector.received.length).toBeGreaterThan(5);
      for (const report of collector.received) expect(report.bytes).toBeLessThanOrEqual(16 * 1024);
      expect(collector.received.flatMap((r) => r.spans.map((x) => x.spanId))).toEqual(spans.map((x) => x.spanId));
      expect(s.buffered()).toBe(0);
    } finally {
      await collector.close();
    }
  });

  it('a refused report ends its component’s flush there: later reports are not sent, other components still deliver', async () => {
    // The second report of lambda_function is refused; billing-worker's pass.
    let lambdaReports = 0;
    const collector = await recordingCollector((report) => new Map(report.tags).get(COMPONENT_TAG) === 'lambda_function' && ++lambdaReports === 2);
    try {
      const s = exporterTo(collector.port, { maxSpansPerReport: 2 });
      s.export([0, 1, 2, 3, 4, 5].map((i) => span(i, 'lambda_function')));
      s.export([10, 11, 12].map((i) => span(i, 'billing-worker')));
      const error = await s.flush().catch((e: Error) => e);
      expect(error).toBeInstanceOf(FlushError);
      expect((error as Error).message).toMatch(/^LightStep report to 127\.0\.0\.1:\d+ failed \(lambda_function: POST .* answered 503 Service Unavailable: busy\)$/);
      const byComponent = (name: string) => collector.received.filter((r) => new Map(r.tags).get(COMPONENT_TAG) === name);
      expect(byComponent('lambda_function')).toHaveLength(2); // the third was never sent
      expect(byComponent('billing-worker').flatMap((r) => r.spans.map((x) => x.operation))).toEqual(['op-10', 'op-11', 'op-12']);
      expect(s.buffered()).toBe(0);
      await s.flush();
      expect(collector.received).toHaveLength(2 + 2); // nothing stale resent
    } finally {
      await collector.close();
    }
  });

  it('an export refused for one bad id takes back all of its spans, from every component, pending ones before it kept', async () => {
    const collector = await recordingCollector();
    try {
      const s = exporterTo(collector.port);
      s.export([span(1, 'lambda_function')]);
      const refused = [span(2, 'lambda_function'), span(3, 'billing-worker'), { ...span(4, 'new-component'), spanId: '0000000000000000' }];
      expect(() => s.export(refused)).toThrow(/span id is 0/);
      expect(s.buffered()).toBe(1);
      expect(s.components()).toEqual(['lambda_function']);
      await s.flush();
      expect(collector.received.flatMap((r) => r.spans.map((x) => x.operation))).toEqual(['op-1']);
    } finally {
      await collector.close();
    }
  });

  it('a 200 that is not a ReportResponse (a proxy’s HTML page) fails the flush', async () => {
    const proxy = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => res.writeHead(200, { 'content-type': 'text/html' }).end('<html><body>Welcome</body></html>'));
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    try {
      const s = exporterTo((proxy.address() as AddressInfo).port);
      s.export([span(1, 'lambda_function')]);
      const error = await s.flush().catch((e: Error) => e);
      expect(error).toBeInstanceOf(FlushError);
      expect((error as Error).message).toContain('answered 200 with a body that is not a ReportResponse (wire type 4 at byte 0)');
      expect(s.buffered()).toBe(0);
    } finally {
      proxy.closeAllConnections();
      await new Promise((resolve) => proxy.close(resolve));
    }
  });

  it('counts failed reports in a row per component, and a success resets the count', async () => {
    let refusing = true;
    const collector = await recordingCollector(() => refusing);
    try {
      const s = exporterTo(collector.port);
      const messages: string[] = [];
      for (let i = 0; i < 3; i++) {
        s.export([span(i, 'lambda_function')]);
        messages.push(await s.flush().then(() => 'ok', (e: Error) => e.message));
      }
      refusing = false;
      s.export([span(9, 'lambda_function')]);
      messages.push(await s.flush().then(() => 'ok', (e: Error) => e.message));
      refusing = true;
      s.export([span(10, 'lambda_function')]);
      messages.push(await s.flush().then(() => 'ok', (e: Error) => e.message));
      expect(messages.map((m) => /\((\d) failed reports in a row\)/.exec(m)?.[1] ?? (m === 'ok' ? 'ok' : '1'))).toEqual(['1', '2', '3', 'ok', '1']);
    } finally {
      await collector.close();
    }
  });
});

describe('LightStepExporter → embedded collector: random spans arrive as exported', () => {
  let collector: RunningCollector;
  beforeAll(async () => {
    collector = await startCollector({ port: 0, dbPath: ':memory:', accessToken: TOKEN });
  });
  afterAll(() => collector.close());

  it('stores ids, parent, times, typed tags and logs, baggage as tags, per component (600 seeded random spans)', async () => {
    const components = ['lambda_function', 'billing-worker', 'ünïcödé 😀'];
    // Span ids made unique: the store keeps one span per id (the random ones repeat edge values).
    const spans: FinishedSpan[] = randomSpans(42, 600).map((s, i) => ({
      ...s,
      spanId: (0x3000000000000000n + BigInt(i)).toString(16),
      component: components[i % 3],
      baggage: s.baggage ?? {},
    }));
    const exporter = new LightStepExporter({ ...embeddedCollectorTarget(collector.port), accessToken: TOKEN }, { maxReportBytes: 64 * 1024 });
    try {
      exporter.export(spans);
      await exporter.flush();
    } finally {
      exporter.close();
    }
    const plusZero = (record: Record<string, string | number | boolean>) =>
      Object.fromEntries(Object.entries(record).map(([key, value]) => [key, Object.is(value, -0) ? 0 : value]));
    for (const [index, sent] of spans.entries()) {
      const traceId = sent.traceId.slice(-16);
      const stored = collector.store.getTrace(traceId).find((x) => x.spanId === sent.spanId);
      const tags = plusZero(sent.tags);
      for (const key in sent.baggage) tags[`baggage.${key}`] = sent.baggage[key];
      const expected: WireSpan = {
        traceId,
        spanId: sent.spanId,
        operation: sent.operation,
        component: sent.component,
        startMicros: sent.startMicros,
        durationMicros: sent.durationMicros,
        tags,
        logs: sent.logs.map((log) => ({ timestampMicros: log.timestampMicros, fields: plusZero(log.fields) })),
      };
      if (sent.parentSpanId !== undefined) expected.parentSpanId = sent.parentSpanId;
      expect([index, stored]).toEqual([index, expected]);
    }
  });
});
