import { recordClientSockets } from '../common/client-sockets';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startCollector, type RunningCollector } from '../../src/collector/server';
import { InvalidIdError } from '../../src/lightstep/wire';
import type { LightStepTarget } from '../../src/lightstep/target';
import { FlushError } from '../../src/log-span-forwarder/exporter';
import { ComponentLimitError, initialBytesAfter, LightStepExporter, type LightStepExporterOptions } from '../../src/log-span-forwarder/lightstep-exporter';
import { postReport, reportBytes } from '../collector/proto-report';
import { decodeSpanLine, decodeSpanLineInto, encodeSpanLines, type FinishedSpan, type SpanView } from '../../src/span-line';

const TOKEN = 'ls_token_0123456789abcdef';

function spanNumber(i: number, component = 'lambda_function'): FinishedSpan {
  return {
    traceId: '4bf92f3577b34da6',
    spanId: (0x1000000000000000n + BigInt(i)).toString(16),
    parentSpanId: 'a1b2c3d4e5f60718',
    operation: `op-${i}`,
    component,
    startMicros: 1715681730123456 + i,
    durationMicros: 10 + i,
    tags: { i },
    logs: [],
    baggage: {},
  };
}

describe('LightStepExporter against the embedded collector (real HTTP)', () => {
  let collector: RunningCollector;
  let exporter: LightStepExporter | undefined;

  function exporterTo(port: number, extra: Partial<LightStepTarget> & LightStepExporterOptions = {}): LightStepExporter {
    const { maxSpansPerReport, maxReportBytes, maxComponents, ...target } = extra;
    exporter = new LightStepExporter(
      { accessToken: TOKEN, collectorHost: '127.0.0.1', collectorPort: port, collectorEncryption: 'none', reportTimeoutMillis: 5000, ...target },
      { maxSpansPerReport, maxReportBytes, maxComponents },
    );
    return exporter;
  }

  beforeEach(async () => {
    // The collector checks the token: a span stored proves the exporter sent it with the token.
    collector = await startCollector({ port: 0, dbPath: ':memory:', accessToken: TOKEN });
  });
  afterEach(async () => {
    exporter?.close();
    exporter = undefined;
    await collector.close();
  });

  it('delivers ids, parent, µs timestamps, typed tags and logs (0, false and "" included), per component', async () => {
    const span: FinishedSpan = {
      traceId: '4bf92f3577b34da6',
      spanId: '00f067aa0ba902b7',
      parentSpanId: 'a1b2c3d4e5f60718',
      operation: 'dynamodb.get',
      component: 'lambda_function',
      startMicros: 1715681730123456,
      durationMicros: 8345,
      tags: { 'db.type': 'dynamodb', items: 3, ratio: 0.75, hit: false, retries: 0, note: '', ok: true },
      logs: [
        { timestampMicros: 1715681730123999, fields: { event: 'request', attempt: 0, throttled: false, cursor: '' } },
      ],
      baggage: { tenant: 'acme' },
    };
    const other: FinishedSpan = { ...span, spanId: '0000000000000001', component: 'billing-worker', logs: [], baggage: {} };
    const s = exporterTo(collector.port);
    s.export([span, other]);
    await s.flush();

    const stored = collector.store.getTrace('4bf92f3577b34da6');
    expect(stored.find((x) => x.spanId === span.spanId)).toEqual({
      traceId: span.traceId,
      spanId: span.spanId,
      parentSpanId: span.parentSpanId,
      operation: 'dynamodb.get',
      component: 'lambda_function',
      startMicros: span.startMicros,
      durationMicros: 8345,
      tags: { ...span.tags, 'baggage.tenant': 'acme' },
      logs: span.logs,
    });
    expect(stored.find((x) => x.spanId === other.spanId)?.component).toBe('billing-worker');
    expect(s.components().sort()).toEqual(['billing-worker', 'lambda_function']);
  });

  it('refuses a zero id at export, queueing nothing: a collector refuses the whole report for one', async () => {
    // Why: one zero-id span in a report gets the whole report a 400.
    const good = spanNumber(1);
    const zeroSpan = { ...spanNumber(2), traceId: '0000000000000000' };
    const refused = await postReport(collector.url, reportBytes('lambda_function', [good, zeroSpan], TOKEN), { 'LightStep-Access-Token': TOKEN });
    expect(refused.status).toBe(400);
    expect(collector.store.countSpans()).toBe(0);

    const s = exporterTo(collector.port);
    expect(() => s.export([good, zeroSpan])).toThrow(InvalidIdError);
    expect(s.buffered()).toBe(0); // not even the good span of that call: nothing half-exported
    s.export([good]);
    await s.flush();
    expect(collector.store.countSpans()).toBe(1);
  });

  it('its LineSink delivers a line\'s spans as export() of their FinishedSpans does, per component', async () => {
    const spans = Array.from({ length: 12 }, (_, i) => ({ ...spanNumber(i, i < 8 ? 'lambda_function' : 'billing-worker'), baggage: { tenant: 'acme' } }));
    spans[0] = { ...spans[0], parentSpanId: undefined, tags: { 'http.method': 'GET', items: 3, hit: false } };
    spans[8] = { ...spans[8], parentSpanId: undefined };
    const lines = encodeSpanLines(spans.map((span, i) => (i === 0 || i === 8 ? span : { ...span, parentSpanId: spans[i < 8 ? 0 : 8].spanId })));
    expect(lines).toHaveLength(2);

    const viaExport = exporterTo(collector.port);
    viaExport.export(lines.flatMap((line) => (decodeSpanLine(line) as { spans: FinishedSpan[] }).spans));
    await viaExport.flush();
    const expected = collector.store.getTrace(spans[0].traceId);
    viaExport.close();
    await collector.close();
    collector = await startCollector({ port: 0, dbPath: ':memory:', accessToken: TOKEN });

    const s = exporterTo(collector.port);
    const sink = s.lineSink();
    for (const line of lines) {
      sink.beginLine();
      expect(decodeSpanLineInto(line, {}, sink)).toMatchObject({ ok: true });
      expect(sink.endLine(true)).toBeUndefined();
    }
    expect(s.buffered()).toBe(12);
    await s.flush();
    const byId = (a: { spanId: string }, b: { spanId: string }) => a.spanId.localeCompare(b.spanId);
    expect(collector.store.getTrace(spans[0].traceId).sort(byId)).toEqual(expected.sort(byId));
    expect(expected).toHaveLength(12);
    expect(s.components().sort()).toEqual(['billing-worker', 'lambda_function']);
  });

  it('its LineSink takes a whole line or none of it: an id the wire cannot carry gives the line back, naming the id', async () => {
    const s = exporterTo(collector.port);
    s.export([spanNumber(100)]);
    const sink = s.lineSink();
    const good = encodeSpanLines([{ ...spanNumber(1), parentSpanId: undefined }, { ...spanNumber(2), parentSpanId: spanNumber(1).spanId }])[0];
    const zeroTrace = good.replace(`"trace":"${spanNumber(1).traceId}"`, '"trace":"0000000000000000"');
    const views: SpanView[] = [];
    // Past the schema (which refuses a zero id first) straight to the sink: the sink's own guard.
    decodeSpanLineInto(good, {}, { span: (view) => views.push({ ...view, traceId: '0000000000000000', component: 'new-component' }) });
    sink.beginLine();
    for (const view of views) sink.span(view);
    expect(sink.endLine(true)).toMatch(/trace id is 0/);
    expect(s.buffered()).toBe(1);
    expect(s.components()).toEqual(['lambda_function']);
    expect(decodeSpanLineInto(zeroTrace, {}, sink)).toMatchObject({ ok: false, reason: 'bad_field' });

    sink.beginLine();
    decodeSpanLineInto(good, {}, sink);
    expect(sink.endLine(false)).toBeDefined(); // reading the line threw: what it gave is taken back
    expect(s.buffered()).toBe(1);
    sink.beginLine();
    decodeSpanLineInto(good, {}, sink);
    expect(sink.endLine(true)).toBeUndefined();
    await s.flush();
    expect(collector.store.countSpans()).toBe(3);
  });

  it('gives up at the flush deadline (the invocation\'s), not at the report timeout, naming it; sends nothing with no time left', async () => {
    const requests: http.IncomingMessage[] = [];
    const silent = http.createServer((request) => requests.push(request)); // reads, never answers
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const s = exporterTo((silent.address() as AddressInfo).port, { reportTimeoutMillis: 30_000 });
      s.export([spanNumber(1)]);
      const started = Date.now();
      await expect(s.flush({ deadlineMs: started + 300 })).rejects.toThrow(/no answer within [23]\d\d ms, the invocation's deadline/);
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(requests).toHaveLength(1);

      s.export([spanNumber(2)]);
      await expect(s.flush({ deadlineMs: Date.now() - 1 })).rejects.toThrow(/no time left before the invocation's deadline/);
      expect(requests).toHaveLength(1);
      expect(s.buffered()).toBe(0);
    } finally {
      silent.closeAllConnections();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it('holds at most maxComponents components: a line of one more is refused while all have spans waiting, idle ones make room after a flush', async () => {
    const s = exporterTo(collector.port, { maxComponents: 4 });
    const sink = s.lineSink();
    const lineOf = (i: number) => encodeSpanLines([{ ...spanNumber(i, `forged-${i}`), parentSpanId: undefined }])[0];
    const refusals: Array<string | undefined> = [];
    for (let i = 0; i < 6; i++) {
      sink.beginLine();
      decodeSpanLineInto(lineOf(i), {}, sink);
      refusals.push(sink.endLine(true));
    }
    expect(refusals.slice(0, 4)).toEqual([undefined, undefined, undefined, undefined]);
    expect(refusals[4]).toMatch(/component "forged-4" would be one more than the 4 with spans waiting/);
    expect(refusals[5]).toBeDefined();
    expect(s.buffered()).toBe(4);
    expect(() => s.export([spanNumber(9, 'forged-9')])).toThrow(ComponentLimitError);
    await s.flush();
    expect(collector.store.countSpans()).toBe(4);

    // All four idle now: new components take the places of the idlest ones.
    for (let i = 10; i < 13; i++) {
      sink.beginLine();
      decodeSpanLineInto(lineOf(i), {}, sink);
      expect(sink.endLine(true)).toBeUndefined();
    }
    expect(s.components().sort()).toEqual(['forged-10', 'forged-11', 'forged-12', 'forged-3']);
    await s.flush();
    expect(collector.store.countSpans()).toBe(7);
  });

  it('more spans than one report takes all arrive, in several reports', async () => {
    const s = exporterTo(collector.port, { maxSpansPerReport: 100 });
    const spans = Array.from({ length: 1050 }, (_, i) => spanNumber(i));
    s.export(spans);
    await s.flush();
    expect(collector.store.countSpans()).toBe(1050);
    expect(s.buffered()).toBe(0);
  });

  it('does not pile up socket listeners over many flushes on a kept-alive connection', async () => {
    // lightstep-tracer's own transport adds a 'timeout' listener per report to the reused socket
    // (MaxListenersExceededWarning on the 11th flush); the forwarder's transport must not.
    const recorded = recordClientSockets();
    const counts: string[] = [];
    try {
      const s = exporterTo(collector.port);
      for (let i = 0; i < 15; i++) {
        s.export([spanNumber(i)]);
        await s.flush();
        counts.push(recorded.listenerCounts());
      }
    } finally {
      recorded.stop();
    }
    expect(collector.store.countSpans()).toBe(15);
    expect(recorded.sockets).toHaveLength(1); // kept alive: one connection for every report
    expect(new Set(counts)).toEqual(new Set([counts[0]])); // the same listeners after the 15th report as after the first
  });

  it('concurrent flushes each answer for exactly their own spans (one exporter shared by parallel log streams)', async () => {
    // In front of the collector: the first report is refused, every other one passes through.
    let reports = 0;
    const proxy = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        if (reports++ === 0) return void res.writeHead(503).end('busy');
        const upstream = http.request(
          { host: '127.0.0.1', port: collector.port, path: req.url, method: 'POST', headers: req.headers },
          (answer) => answer.pipe(res.writeHead(answer.statusCode ?? 502, answer.headers)),
        );
        upstream.on('error', () => res.writeHead(502).end());
        upstream.end(Buffer.concat(chunks));
      });
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    try {
      const s = exporterTo((proxy.address() as AddressInfo).port, { maxSpansPerReport: 2 });
      // Three invocations, as the local stack runs them: export, then flush, without waiting.
      const invocations = [0, 1, 2].map((n) => {
        const spans = [0, 1, 2].map((i) => spanNumber(n * 10 + i));
        s.export(spans);
        return { spans, outcome: s.flush().then(() => 'ok', () => 'failed') };
      });
      const outcomes = await Promise.all(invocations.map((i) => i.outcome));
      expect(outcomes).toEqual(['failed', 'ok', 'ok']); // the refused report was the first one's
      for (const { spans, outcome } of invocations) {
        const arrived = spans.filter((span) => collector.store.getTrace(span.traceId).some((x) => x.spanId === span.spanId));
        // Resolved: all of its spans arrived. Rejected at its first report: none did, and none of
        // the others' spans went down with it.
        expect([await outcome, arrived.length]).toEqual((await outcome) === 'ok' ? ['ok', 3] : ['failed', 0]);
      }
      expect(collector.store.countSpans()).toBe(6);
      expect(s.buffered()).toBe(0);
    } finally {
      proxy.closeAllConnections();
      await new Promise((resolve) => proxy.close(resolve));
    }
  });

  it('rejects a refused report with host:port and the status, clears the buffer, and does not resend later', async () => {
    const s = exporterTo(collector.port, { accessToken: 'not-the-right-token' });
    s.export([spanNumber(1)]);
    const error: Error = await s.flush().then(
      () => new Error('flush resolved'),
      (e: Error) => e,
    );
    expect(error).toBeInstanceOf(FlushError);
    expect(error.message).toContain(`127.0.0.1:${collector.port}`);
    expect(error.message).toContain('401');
    expect(error.message).not.toContain('not-the-right-token');
    expect(s.buffered()).toBe(0);
    await expect(s.flush()).resolves.toBeUndefined(); // nothing stale left to send
  });

  it('with a 1-char token the message is not garbled by redaction', async () => {
    const s = exporterTo(collector.port, { accessToken: 't' }); // refused: the collector wants TOKEN
    s.export([spanNumber(1)]);
    const error = await s.flush().then(
      () => new Error('flush resolved'),
      (e: Error) => e,
    );
    expect(error).toBeInstanceOf(FlushError);
    expect(error.message).toMatch(
      new RegExp(`^LightStep report to 127\\.0\\.0\\.1:${collector.port} failed \\(lambda_function: POST http://127\\.0\\.0\\.1:${collector.port}/api/v2/reports answered 401 Unauthorized`),
    );
    expect(error.message).not.toContain('[redacted]');
  });

  it('redacts the token even when the collector echoes it back', async () => {
    const echo = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => res.writeHead(403).end(`token ${req.headers['lightstep-access-token']} is not allowed`));
    });
    await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
    try {
      const s = exporterTo((echo.address() as AddressInfo).port);
      s.export([spanNumber(1)]);
      const error = await s.flush().catch((e: Error) => e);
      // Exactly the echoed token is replaced; the rest of the message is intact.
      expect(String(error)).toBe(
        `FlushError: LightStep report to 127.0.0.1:${(echo.address() as AddressInfo).port} failed (lambda_function: ` +
          `POST http://127.0.0.1:${(echo.address() as AddressInfo).port}/api/v2/reports answered 403 Forbidden: token [redacted] is not allowed)`,
      );
      s.close();
    } finally {
      echo.closeAllConnections();
      await new Promise((resolve) => echo.close(resolve));
    }
  });
});

describe('initialBytesAfter: the next batch starts as large as the last one was', () => {
  it.each([
    [0, 64 * 1024],
    [64 * 1024, 64 * 1024],
    [64 * 1024 + 1, 128 * 1024],
    [1_000_000, 1024 * 1024],
    [50_000_000, 4 * 1024 * 1024],
  ])('after %i bytes: %i', (bytes, size) => {
    expect(initialBytesAfter(bytes)).toBe(size);
  });
});
