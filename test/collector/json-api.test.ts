// The JSON API over real HTTP.
import { startCollector, type RunningCollector } from '../../src/collector/server';
import { flush, idsOf, tracerFor } from './lightstep';

describe('JSON API', () => {
  let collector: RunningCollector;
  beforeAll(async () => {
    collector = await startCollector({ dbPath: ':memory:' });
  });
  afterAll(async () => {
    await collector.close();
  });

  const get = async (path: string) => {
    const res = await fetch(`${collector.url}${path}`);
    return { status: res.status, type: res.headers.get('content-type'), body: await res.json() };
  };

  it('GET /api/traces/:traceId returns the trace\'s spans in the agreed shape', async () => {
    const tracer = tracerFor(collector.port, 'node-service');
    const root = tracer.startSpan('router');
    const child = tracer.startSpan('service-egress', { childOf: root });
    child.log({ event: 'remote request ok' });
    child.finish();
    root.finish();
    expect(await flush(tracer)).toBeNull();
    const { traceId, spanId } = idsOf(root);

    const res = await get(`/api/traces/${traceId}`);
    expect(res.status).toBe(200);
    expect(res.type).toMatch(/^application\/json/);
    expect(res.body.spans).toHaveLength(2);
    for (const s of res.body.spans) {
      expect(Object.keys(s).sort()).toEqual(
        expect.arrayContaining(['component', 'durationMicros', 'logs', 'operation', 'spanId', 'startMicros', 'tags', 'traceId']),
      );
      expect(s.traceId).toMatch(/^[0-9a-f]{16}$/);
      expect(s.spanId).toMatch(/^[0-9a-f]{16}$/);
    }
    const egress = res.body.spans.find((s: { operation: string }) => s.operation === 'service-egress');
    expect(egress.parentSpanId).toBe(spanId);
    expect(egress.logs[0]).toEqual({ timestampMicros: expect.any(Number), fields: { event: 'remote request ok' } });

    // Upper case and a 32-hex id (lower 64 bits are what travels) find the same trace.
    expect((await get(`/api/traces/${traceId.toUpperCase()}`)).body.spans).toHaveLength(2);
    expect((await get(`/api/traces/${'0'.repeat(16)}${traceId}`)).body.spans).toHaveLength(2);
  });

  it('GET /api/traces/:traceId: 404 when unknown, 400 when not hex', async () => {
    expect(await get('/api/traces/0123456789abcdef')).toEqual({
      status: 404, type: expect.stringMatching(/json/), body: { error: 'trace not found', traceId: '0123456789abcdef' },
    });
    const bad = await get('/api/traces/not-a-trace-id');
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatch(/hex/);
  });

  it('GET /api/traces lists recent traces newest first, limited', async () => {
    const tracer = tracerFor(collector.port, 'lister');
    const base = Date.now() + 60_000; // later than anything else in this suite
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const s = tracer.startSpan(`trace-${i}`, { startTime: base + i * 1000 });
      s.finish(base + i * 1000 + 5);
      ids.push(idsOf(s).traceId);
    }
    expect(await flush(tracer)).toBeNull();

    const res = await get('/api/traces?limit=2');
    expect(res.status).toBe(200);
    expect(res.body.traces).toEqual([
      { traceId: ids[2], rootOperation: 'trace-2', rootComponent: 'lister', spanCount: 1, durationMicros: 5000, startMicros: (base + 2000) * 1000, errorCount: 0 },
      { traceId: ids[1], rootOperation: 'trace-1', rootComponent: 'lister', spanCount: 1, durationMicros: 5000, startMicros: (base + 1000) * 1000, errorCount: 0 },
    ]);
    expect((await get('/api/traces')).body.traces.length).toBeGreaterThanOrEqual(4);
  });

  it.each(['0', '-1', 'abc', '1.5', '1001'])('GET /api/traces?limit=%s is a 400 with a reason', async (limit) => {
    const res = await get(`/api/traces?limit=${limit}`);
    expect(res.status).toBe(400);
    expect(res.body.error).toMatch(/limit/);
  });
});
