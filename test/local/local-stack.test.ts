import { writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { StoredSpan } from '../../src/collector/types';
import type { LocalStack } from '../../src/local/stack';
import { byOperation, fetchTrace, otGen, pollUntil, startTestStack } from './helpers';

/** The article's shape: router → service-egress × N → one lambda-execution under each. */
const ARTICLE_OPERATIONS = new Set(['router', 'service-egress', 'lambda-execution']);
const articleSpans = (spans: StoredSpan[]) => spans.filter((s) => ARTICLE_OPERATIONS.has(s.operation));

describe('local stack end to end (service → function containers → log shipping → forwarder → collector)', () => {
  let stack: LocalStack;
  // When each report reached the collector, per span id: the latency measurement below.
  const arrivals = new Map<string, number>();

  beforeAll(async () => {
    stack = await startTestStack({
      onCollectorReport: () => {
        const now = Date.now();
        for (const trace of stack.collector.store.listTraces(50)) {
          for (const span of stack.collector.store.getTrace(trace.traceId)) if (!arrivals.has(span.spanId)) arrivals.set(span.spanId, now);
        }
      },
    });
  });

  afterAll(async () => {
    await stack?.close();
  });

  it('GET /ot-gen?count=5 → one trace: router → 5 service-egress → a lambda-execution under each', async () => {
    const result = await otGen(stack, 'count=5');
    expect(result.calls.map((c) => c.status)).toEqual([200, 200, 200, 200, 200]);
    expect(result.traceUrl).toBe(`${stack.urls.collector}/traces/${result.traceId}`);

    const spans = await pollUntil(
      () => fetchTrace(stack, result.traceId),
      (s) => byOperation(s, 'lambda-execution').length >= 5,
    );
    const article = articleSpans(spans);
    expect(article).toHaveLength(11);
    const [router] = byOperation(spans, 'router');
    const egress = byOperation(spans, 'service-egress');
    const lambda = byOperation(spans, 'lambda-execution');
    expect(router.parentSpanId).toBeUndefined();
    expect(egress).toHaveLength(5);
    expect(lambda).toHaveLength(5);
    for (const span of [router, ...egress]) expect(span.component).toBe('node-service');
    for (const span of egress) expect(span.parentSpanId).toBe(router.spanId);
    // Exactly one lambda-execution per egress span, parented by it: the function continued the
    // caller's context from the headers, and the forwarder kept the function's own ids.
    expect(lambda.map((s) => s.parentSpanId).sort()).toEqual(egress.map((s) => s.spanId).sort());
    for (const span of lambda) {
      expect(span.component).toBe('lambda_function');
      expect(span.traceId).toBe(result.traceId);
    }
    // Nothing else: the article's shape exactly (the demo's compute span is only for requests naming n).
    expect(spans).toHaveLength(11);
  });

  it('overlapping requests run in more than one warm container, and only span lines are shipped', async () => {
    await Promise.all([otGen(stack, 'count=3'), otGen(stack, 'count=3')]);
    expect(stack.pool.size).toBeGreaterThan(1);
    // START/END/REPORT lines went through the filter too, and were left out.
    expect(stack.shipper.stats.offered).toBeGreaterThan(stack.shipper.stats.matched);
    expect(stack.shipper.stats.matched).toBeGreaterThan(0);
  });

  it('the function failing on request → error=true on the egress span and on the lambda span', async () => {
    const result = await otGen(stack, 'count=2&fail=1');
    // The traced handler turns the thrown demo error into a 500 response (the span keeps the error).
    expect(result.calls.map((c) => c.status)).toEqual([500, 500]);
    expect(result.failedCalls).toBe(2);
    const spans = await pollUntil(
      () => fetchTrace(stack, result.traceId),
      (s) => byOperation(s, 'lambda-execution').length >= 2,
    );
    const egress = byOperation(spans, 'service-egress');
    const lambda = byOperation(spans, 'lambda-execution');
    expect(egress).toHaveLength(2);
    expect(lambda).toHaveLength(2);
    for (const span of egress) {
      expect(String(span.tags.error)).toBe('true');
      expect(span.logs.some((l) => l.fields.event === 'error' && /500/.test(String(l.fields.message)))).toBe(true);
    }
    for (const span of lambda) {
      expect(span.tags.error).toBe(true); // forwarded with its recorded type
      expect(egress.map((e) => e.spanId)).toContain(span.parentSpanId);
      expect(span.logs.some((l) => /failure requested/.test(String(l.fields.message)))).toBe(true);
    }
  });

  it('measures how long a span takes from the function returning to the collector', async () => {
    const samples: number[] = [];
    for (let round = 0; round < 5; round++) {
      const result = await otGen(stack, 'count=4');
      const spans = await pollUntil(
        () => fetchTrace(stack, result.traceId),
        (s) => byOperation(s, 'lambda-execution').length >= 4,
      );
      for (const span of byOperation(spans, 'lambda-execution')) {
        const arrived = arrivals.get(span.spanId);
        expect(arrived).toBeDefined();
        // The span's end is when the handler's work finished: the function returned just after.
        samples.push(arrived! - (span.startMicros + span.durationMicros) / 1000);
      }
    }
    samples.sort((a, b) => a - b);
    const pick = (q: number) => samples[Math.min(samples.length - 1, Math.floor(q * samples.length))];
    const line =
      `span latency, function return → collector (local stack: shipped at the REPORT line, 100 ms window at most), n=${samples.length}: ` +
      `min ${pick(0).toFixed(0)} ms, p50 ${pick(0.5).toFixed(0)} ms, p90 ${pick(0.9).toFixed(0)} ms, max ${pick(1).toFixed(0)} ms ` +
      `(Node ${process.version}, ${new Date().toISOString()})`;
    // A figure for the notes, kept in test-artifacts/ rather than printed into jest's report.
    const dir = path.join(__dirname, '../../test-artifacts');
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'local-span-latency.txt'), line + '\n');
    expect(samples.length).toBe(20);
  });
});
