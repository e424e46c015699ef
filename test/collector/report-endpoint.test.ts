// POST /api/v2/reports with hand-built protobuf reports: typed values, bad bodies, access tokens.
import { startCollector, type RunningCollector } from '../../src/collector/server';
import { flush, tracerFor } from './lightstep';
import { postReport, reportBytes, type SpanSpec } from './proto-report';

const T = '00000000000000a1';
const ROOT: SpanSpec = {
  traceId: T,
  spanId: 'ffffffffffffff01', // above 2^63: must survive the decimal → hex trip unsigned
  operation: 'root',
  startMicros: 1_700_000_000_000_001,
  durationMicros: 5000,
};

describe('POST /api/v2/reports', () => {
  let collector: RunningCollector;
  afterEach(async () => {
    await collector.close();
  });

  describe('accepting any token', () => {
    beforeEach(async () => {
      collector = await startCollector({ dbPath: ':memory:' });
    });

    it('answers 200 with an empty ReportResponse and keeps tag and log value types', async () => {
      const child: SpanSpec = {
        traceId: T,
        spanId: '0000000000000002',
        parentSpanId: ROOT.spanId,
        operation: 'child',
        startMicros: ROOT.startMicros + 10,
        durationMicros: 20,
        tags: { s: 'text', i: 42, neg: -7, d: 1.5, yes: true, no: false, error: true },
        logs: [{ timestampMicros: ROOT.startMicros + 15, fields: { event: 'x', zero: 0, off: false, empty: '' } }],
      };
      const res = await postReport(collector.url, reportBytes('lambda_function', [ROOT, child]));

      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/octet-stream');
      expect((await res.arrayBuffer()).byteLength).toBe(0);
      const spans = collector.store.getTrace(T);
      expect(spans).toEqual([
        {
          traceId: T, spanId: ROOT.spanId, operation: 'root', component: 'lambda_function',
          startMicros: ROOT.startMicros, durationMicros: 5000, tags: {}, logs: [],
        },
        {
          traceId: T, spanId: '0000000000000002', parentSpanId: ROOT.spanId, operation: 'child',
          component: 'lambda_function', startMicros: ROOT.startMicros + 10, durationMicros: 20,
          tags: { s: 'text', i: 42, neg: -7, d: 1.5, yes: true, no: false, error: true },
          logs: [{ timestampMicros: ROOT.startMicros + 15, fields: { event: 'x', zero: 0, off: false, empty: '' } }],
        },
      ]);
      expect(collector.store.listTraces(5)[0].errorCount).toBe(1);
    });

    it('stores the same report twice only once', async () => {
      const body = reportBytes('c', [ROOT]);
      expect((await postReport(collector.url, body)).status).toBe(200);
      expect((await postReport(collector.url, body)).status).toBe(200);
      expect(collector.store.countSpans()).toBe(1);
      expect(collector.store.listTraces(5)[0].spanCount).toBe(1);
    });

    it('stores 10,000 spans of one report', async () => {
      const spans: SpanSpec[] = Array.from({ length: 10_000 }, (_, i) => ({
        traceId: (1000 + (i % 10)).toString(16).padStart(16, '0'),
        spanId: (i + 1).toString(16).padStart(16, '0'),
        operation: 'bulk',
        startMicros: ROOT.startMicros + i,
        durationMicros: 1,
        tags: { i },
      }));
      const body = reportBytes('bulk', spans);
      expect((await postReport(collector.url, body)).status).toBe(200);
      expect((await postReport(collector.url, body)).status).toBe(200);
      expect(collector.store.countSpans()).toBe(10_000);
      expect(collector.store.listTraces(100).map((t) => t.spanCount)).toEqual(Array(10).fill(1000));
    });

    it.each([
      ['bytes that are not protobuf', Buffer.from('garbage, not a protobuf body')],
      ['text that parses as unknown protobuf fields', Buffer.from('hello world')],
      ['an empty body', Buffer.alloc(0)],
    ])('answers 400 with a reason for %s', async (_name, body) => {
      const res = await postReport(collector.url, body);
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
      expect((await res.text()).length).toBeGreaterThan(5);
      expect(collector.store.countSpans()).toBe(0);
    });

    it('answers 400 for a span without ids and stores nothing of that report', async () => {
      const res = await postReport(collector.url, reportBytes('c', [ROOT, { ...ROOT, spanId: '0' }]));
      expect(res.status).toBe(400);
      expect(await res.text()).toMatch(/span 1 has no trace id or span id/);
      expect(collector.store.countSpans()).toBe(0);
    });

    it('answers 413 for a body over 16 MB', async () => {
      const res = await postReport(collector.url, Buffer.alloc(16 * 1024 * 1024 + 1));
      expect(res.status).toBe(413);
    });
  });

  describe('with an access token configured', () => {
    const SECRET = 'the-right-token-1234';
    beforeEach(async () => {
      collector = await startCollector({ dbPath: ':memory:', accessToken: SECRET });
    });

    it('accepts the configured token', async () => {
      const res = await postReport(collector.url, reportBytes('c', [ROOT], SECRET), { 'LightStep-Access-Token': SECRET });
      expect(res.status).toBe(200);
      expect(collector.store.countSpans()).toBe(1);
    });

    it('rejects another token with 401, never echoing either token, and the tracer sees the failure', async () => {
      const wrong = 'wrong-token-5678';
      const res = await postReport(collector.url, reportBytes('c', [ROOT], wrong), { 'LightStep-Access-Token': wrong });
      expect(res.status).toBe(401);
      const text = await res.text();
      expect(text).not.toContain(wrong);
      expect(text).not.toContain(SECRET);

      const tracer = tracerFor(collector.port, 'node-service', wrong);
      tracer.startSpan('rejected').finish();
      const err = await flush(tracer);
      expect(err).toBeInstanceOf(Error);
      expect(err!.message).toContain('401');
      expect(err!.message).not.toContain(wrong);
      expect(collector.store.countSpans()).toBe(0);
    });
  });
});
