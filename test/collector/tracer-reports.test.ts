// The real lightstep-tracer reporting to the embedded collector over plain HTTP (protobuf).
import * as opentracing from 'opentracing';
import { startCollector, type RunningCollector } from '../../src/collector/server';
import { flush, idsOf, tracerFor } from './lightstep';

describe('collector receiving real lightstep-tracer reports', () => {
  let collector: RunningCollector;

  beforeEach(async () => {
    collector = await startCollector({ dbPath: ':memory:' });
  });
  afterEach(async () => {
    await collector.close();
  });

  it('stores a parent and child with the tracer\'s ids, component, tags, logs and timestamps', async () => {
    // prepare
    const tracer = tracerFor(collector.port, 'node-service');
    const parent = tracer.startSpan('router');
    const child = tracer.startSpan('service-egress', { childOf: parent });
    child.setTag('http.status_code', 200);
    child.setTag('peer.service', 'lambda');
    child.log({ event: 'remote request ok', status: 200 });
    child.finish();
    parent.finish();

    // act
    const err = await flush(tracer);

    // assess
    expect(err).toBeNull();
    const p = idsOf(parent);
    const c = idsOf(child);
    expect(c.traceId).toBe(p.traceId);
    const spans = collector.store.getTrace(p.traceId);
    expect(spans).toHaveLength(2);
    const storedParent = spans.find((s) => s.spanId === p.spanId)!;
    const storedChild = spans.find((s) => s.spanId === c.spanId)!;
    expect(storedParent).toMatchObject({ traceId: p.traceId, operation: 'router', component: 'node-service' });
    expect(storedParent.parentSpanId).toBeUndefined();
    expect(storedChild).toMatchObject({
      traceId: p.traceId,
      parentSpanId: p.spanId,
      operation: 'service-egress',
      component: 'node-service',
    });
    // lightstep-tracer's SpanImp sends every tag as a string; its parent_span_guid tag becomes parentSpanId.
    expect(storedChild.tags).toEqual({ 'http.status_code': '200', 'peer.service': 'lambda' });
    expect(storedChild.logs).toHaveLength(1);
    expect(storedChild.logs[0].fields).toEqual({ event: 'remote request ok', status: '200' });
    expect(storedChild.logs[0].timestampMicros).toBeGreaterThanOrEqual(storedChild.startMicros);
    expect(storedChild.logs[0].timestampMicros).toBeLessThanOrEqual(storedChild.startMicros + storedChild.durationMicros);
    const nowMicros = Date.now() * 1000;
    expect(storedParent.startMicros).toBeGreaterThan(nowMicros - 60e6);
    expect(storedParent.startMicros).toBeLessThanOrEqual(nowMicros);
    expect(storedParent.startMicros).toBeLessThanOrEqual(storedChild.startMicros);
  });

  it('keeps explicit start and finish microseconds exactly', async () => {
    const tracer = tracerFor(collector.port, 'lambda_function');
    const startMs = 1_700_000_000_123.456;
    const span = tracer.startSpan('lambda-execution', { startTime: startMs });
    span.finish(startMs + 42.5);

    expect(await flush(tracer)).toBeNull();

    const [stored] = collector.store.getTrace(idsOf(span).traceId);
    expect(stored.startMicros).toBe(1_700_000_000_123_456);
    expect(stored.durationMicros).toBe(42_500);
    expect(stored.component).toBe('lambda_function');
  });

  it('joins spans from two tracers (two components) into one trace via the injected context', async () => {
    const service = tracerFor(collector.port, 'node-service');
    const lambda = tracerFor(collector.port, 'lambda_function');
    const egress = service.startSpan('service-egress');
    const headers: Record<string, string> = {};
    service.inject(egress.context(), opentracing.FORMAT_HTTP_HEADERS, headers);
    const remoteCtx = lambda.extract(opentracing.FORMAT_HTTP_HEADERS, headers)!;
    const exec = lambda.startSpan('lambda-execution', { childOf: remoteCtx });
    exec.finish();
    egress.finish();

    expect(await flush(lambda)).toBeNull();
    expect(await flush(service)).toBeNull();

    const spans = collector.store.getTrace(idsOf(egress).traceId);
    expect(spans.map((s) => [s.operation, s.component]).sort()).toEqual([
      ['lambda-execution', 'lambda_function'],
      ['service-egress', 'node-service'],
    ]);
    expect(spans.find((s) => s.operation === 'lambda-execution')!.parentSpanId).toBe(idsOf(egress).spanId);
  });

  it('stores a redelivered report once', async () => {
    const tracer = tracerFor(collector.port, 'node-service');
    const span = tracer.startSpan('once');
    span.finish();
    // flush() empties the buffer; put the same record back to send the identical report again.
    const records = [...tracer._spanRecords];
    expect(await flush(tracer)).toBeNull();
    for (const record of records) tracer._addSpanRecord(record);
    expect(await flush(tracer)).toBeNull();

    expect(collector.store.countSpans()).toBe(1);
    expect(collector.store.listTraces(10)[0].spanCount).toBe(1);
  });

  it('reports many spans across several flushes over a kept-alive connection', async () => {
    const tracer = tracerFor(collector.port, 'node-service');
    for (let round = 0; round < 5; round++) {
      const root = tracer.startSpan(`round-${round}`);
      for (let i = 0; i < 100; i++) tracer.startSpan('work', { childOf: root }).finish();
      root.finish();
      expect(await flush(tracer)).toBeNull();
    }
    expect(collector.store.countSpans()).toBe(505);
    expect(collector.store.listTraces(10)).toHaveLength(5);
  });
});
