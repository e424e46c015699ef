import { execFile } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import pino from 'pino';
import { startCollector, type RunningCollector } from '../../src/collector/server';
import { embeddedCollectorTarget } from '../../src/lightstep/target';
import { startService, type RunningService } from '../../src/service/server';
import type { OtGenResponse } from '../../src/service/ot-gen';
import { startFunctionStub } from './function-stub';

type Stub = Awaited<ReturnType<typeof startFunctionStub>>;

describe('service /ot-gen against a function stub and the embedded collector', () => {
  let collector: RunningCollector;
  let stub: Stub;
  let service: RunningService;

  beforeAll(async () => {
    collector = await startCollector({ port: 0, dbPath: ':memory:' });
    stub = await startFunctionStub();
    service = await startService({
      port: 0,
      lambdaUrl: stub.url,
      maxCount: 10,
      tracer: embeddedCollectorTarget(collector.port),
      tracePageBaseUrl: collector.url,
      logger: pino({ level: 'silent' }),
      tracerVerbosity: 0,
    });
  });

  afterAll(async () => {
    await service.close();
    await stub.close();
    await collector.close();
  });

  const get = async (query: string) => {
    const response = await fetch(`${service.url}/ot-gen${query}`);
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  it.each([
    ['', /count is required/],
    ['?count=', /count is required/],
    ['?count=abc', /not a number/],
    ['?count=2.5', /not an integer/],
    ['?count=1e1', /not an integer/],
    ['?count=0', /zero/],
    ['?count=-3', /negative/],
    ['?count=11', /above the maximum 10/],
    ['?count=1&count=2', /given once/],
  ])('GET /ot-gen%s → 400 with the reason, no call, no span', async (query, reason) => {
    const callsBefore = stub.calls.length;
    const spansBefore = collector.store.countSpans();
    const { status, body } = await get(query);
    expect(status).toBe(400);
    expect(Object.keys(body)).toEqual(['error']);
    expect(body.error).toMatch(reason);
    expect(stub.calls.length).toBe(callsBefore);
    // Nothing was started, so a flush has nothing to send.
    await fetch(`${service.url}/ot-gen?count=1`); // a good request flushes whatever the tracer holds
    const spansAfter = collector.store.countSpans();
    expect(spansAfter - spansBefore).toBe(2); // only the good request's router + one egress
  });

  it('traces count calls: router → service-egress × N with the context in the headers', async () => {
    const { status, body } = await get('?count=3');
    expect(status).toBe(200);
    const result = body as unknown as OtGenResponse;
    expect(result.traceId).toMatch(/^[0-9a-f]{16}$/);
    expect(result.traceUrl).toBe(`${collector.url}/traces/${result.traceId}`);
    expect(result.calls).toHaveLength(3);
    expect(result.calls.every((c) => c.ok && c.status === 200)).toBe(true);
    expect(result.reported).toBe(true);

    // The flush completed before the response: the spans are in the collector already.
    const spans = collector.store.getTrace(result.traceId);
    expect(spans).toHaveLength(4);
    const router = spans.find((s) => s.operation === 'router')!;
    const egress = spans.filter((s) => s.operation === 'service-egress');
    expect(router.parentSpanId).toBeUndefined();
    expect(egress).toHaveLength(3);
    for (const span of spans) expect(span.component).toBe('node-service');
    for (const span of egress) {
      expect(span.parentSpanId).toBe(router.spanId);
      expect(String(span.tags['http.status_code'])).toBe('200');
      expect(span.logs.some((l) => l.fields.event === 'remote request ok' && String(l.fields.status) === '200')).toBe(true);
      // Each child ends when its response arrived; the parent after the last child.
      expect(span.startMicros + span.durationMicros).toBeLessThanOrEqual(router.startMicros + router.durationMicros);
    }

    // The function saw each egress span's own context, in LightStep's header format.
    const received = stub.calls.slice(-3);
    expect(new Set(received.map((c) => c.headers['ot-tracer-traceid']))).toEqual(new Set([result.traceId]));
    expect(new Set(received.map((c) => c.headers['ot-tracer-spanid']))).toEqual(new Set(egress.map((s) => s.spanId)));
    expect(received.map((c) => c.headers['content-type'])).toEqual(Array(3).fill('application/json'));
  });

  it('fail=1 posts {"fail": true}; a 500 marks the egress span error=true with a log', async () => {
    const { status, body } = await get('?count=2&fail=1');
    expect(status).toBe(200);
    const result = body as unknown as OtGenResponse;
    expect(result.failedCalls).toBe(2);
    expect(result.calls.map((c) => c.status)).toEqual([500, 500]);
    expect(stub.calls.slice(-2).map((c) => c.body.fail)).toEqual([true, true]);
    const egress = collector.store.getTrace(result.traceId).filter((s) => s.operation === 'service-egress');
    expect(egress).toHaveLength(2);
    for (const span of egress) {
      expect(String(span.tags.error)).toBe('true');
      expect(span.logs.some((l) => l.fields.event === 'error' && /500/.test(String(l.fields.message)))).toBe(true);
    }
  });

});

describe('service when the function is unreachable', () => {
  it('records a network failure as error=true on the egress span', async () => {
    const collector = await startCollector({ port: 0, dbPath: ':memory:' });
    // A port that was free a moment ago: nothing listens there now.
    const gone = await startFunctionStub();
    await gone.close();
    const service = await startService({
      port: 0,
      lambdaUrl: gone.url,
      tracer: embeddedCollectorTarget(collector.port),
      logger: pino({ level: 'silent' }),
      tracerVerbosity: 0,
    });
    try {
      const result = (await (await fetch(`${service.url}/ot-gen?count=1`)).json()) as OtGenResponse;
      expect(result.calls[0].ok).toBe(false);
      expect(result.calls[0].status).toBeUndefined();
      expect(result.calls[0].error).toMatch(/ECONNREFUSED/);
      const egress = collector.store.getTrace(result.traceId).find((s) => s.operation === 'service-egress')!;
      expect(String(egress.tags.error)).toBe('true');
      expect(egress.logs.some((l) => /ECONNREFUSED/.test(String(l.fields.message)))).toBe(true);
    } finally {
      await service.close();
      await collector.close();
    }
  });
});

describe('flushing after every request', () => {
  // lightstep-tracer's stock transport adds a 'timeout' listener per report to a kept-alive
  // socket: the 11th flush prints MaxListenersExceededWarning. Checked in a plain Node process,
  // because jest's sandboxed `process` never sees 'warning' events.
  it('30 requests in a row print no process warning', async () => {
    const tsxLoader = pathToFileURL(require.resolve('tsx')).href;
    const probe = path.join(__dirname, 'warning-probe.ts');
    const stdout = await new Promise<string>((resolve, reject) => {
      execFile(process.execPath, ['--import', tsxLoader, probe, '30'], { timeout: 20_000 }, (err, out, errOut) =>
        err ? reject(new Error(`${err.message}\n${errOut}`)) : resolve(out),
      );
    });
    const result = JSON.parse(stdout.trim().split('\n').pop()!) as { requests: number; ok: number; spans: number; warnings: string[] };
    expect(result.warnings).toEqual([]);
    expect(result.ok).toBe(30);
    expect(result.spans).toBe(60);
  });
});
