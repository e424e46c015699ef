import * as lightstep from 'lightstep-tracer';
import { createIdSource } from '../../src/function/ids';
import { extractContext } from '../../src/function/propagation';
import { traced } from '../../src/function/traced';
import { capturingTracer, decodeAll, lambdaContext } from './helpers/lambda';
import { startLoopbackCollector } from './helpers/loopback-collector';

// 0 is LightStep's "no id": a report carrying one is refused whole, so a zero id from a caller (or
// minted here) would cost every span of that report, not just one.
const ZERO = '0000000000000000';
const GOOD_TRACE = 'aaaaaaaaaaaaaaaa';
const GOOD_SPAN = 'bbbbbbbbbbbbbbbb';

const ZERO_CONTEXTS: Array<[string, Record<string, string>]> = [
  ['trace id all zero', { 'ot-tracer-traceid': ZERO, 'ot-tracer-spanid': GOOD_SPAN }],
  ['span id all zero', { 'ot-tracer-traceid': GOOD_TRACE, 'ot-tracer-spanid': ZERO }],
  ['32-hex trace id all zero', { 'ot-tracer-traceid': ZERO + ZERO, 'ot-tracer-spanid': GOOD_SPAN }],
  // LightStep's wire keeps only the lower 64 bits: this id is 0 there.
  ['32-hex trace id with lower 64 bits zero', { 'OT-Tracer-TraceId': 'C0FFEE0000000001' + ZERO, 'OT-Tracer-SpanId': GOOD_SPAN }],
];

describe('zero ids from a caller count as no context', () => {
  test.each(ZERO_CONTEXTS)('extractContext: %s -> null', (_label, headers) => {
    expect(extractContext(headers)).toBeNull();
  });

  test('non-zero ids with zero digits in them still join (upper 64 bits of a 32-hex trace id may be zero)', () => {
    expect(extractContext({ 'ot-tracer-traceid': ZERO + '0000000000000001', 'ot-tracer-spanid': '0000000000000100' })).toMatchObject({
      traceId: ZERO + '0000000000000001',
      spanId: '0000000000000100',
    });
  });

  test.each(ZERO_CONTEXTS)('log mode: %s -> lambda-execution is a new root with non-zero ids', async (_label, headers) => {
    const { tracer, lines } = capturingTracer();
    const handler = traced(async () => ({ statusCode: 200 }), { tracer });
    await handler({ headers }, lambdaContext());
    const [execution] = decodeAll(lines);
    expect(execution.parentSpanId).toBeUndefined();
    expect(execution.traceId).toMatch(/^[0-9a-f]{16}$/);
    expect(execution.traceId).not.toBe(ZERO);
    expect(execution.spanId).not.toBe(ZERO);
  });

  test('a lightstep-tracer context with zero ids as childOf: the LogTracer starts a new root', () => {
    const { tracer, lines } = capturingTracer();
    const foreign = new lightstep.SpanContext(ZERO, GOOD_TRACE);
    tracer.startSpan('child-of-zero', { childOf: foreign }).finish();
    const [span] = decodeAll(lines);
    expect(span.parentSpanId).toBeUndefined();
    expect(span.traceId).not.toBe(GOOD_TRACE);
  });

  test('direct mode: zero caller ids never reach lightstep-tracer, so the collector accepts the report', async () => {
    const collector = await startLoopbackCollector();
    try {
      const { createDirectReporting } = await import('../../src/function/direct-reporting');
      const direct = createDirectReporting(
        { accessToken: 'zero-id-token', collectorHost: '127.0.0.1', collectorPort: collector.port, collectorEncryption: 'none', reportTimeoutMillis: 2000 },
        'lambda_function',
      );
      const telemetryErrors: string[] = [];
      const handler = traced(async (_event: unknown, _context, span) => span.context().toTraceId(), {
        tracer: direct.tracer,
        afterInvocation: direct.flush,
        onTelemetryError: (error) => telemetryErrors.push((error as Error).message),
      });
      for (const [, headers] of ZERO_CONTEXTS) {
        const traceId = await handler({ headers }, lambdaContext());
        expect(traceId).not.toMatch(/^0+$/);
      }
      expect(telemetryErrors).toEqual([]);
      expect(collector.refusedReports()).toBe(0);
      expect(collector.reports).toHaveLength(ZERO_CONTEXTS.length);
      for (const report of collector.reports) expect(report.ids[0].parentSpanIds).toEqual([]); // new roots
    } finally {
      await collector.close();
    }
  });

  test('control: the loopback collector refuses a report with a zero id, as LightStep does', async () => {
    const collector = await startLoopbackCollector();
    try {
      const { createDirectReporting } = await import('../../src/function/direct-reporting');
      const direct = createDirectReporting(
        { accessToken: 'zero-id-token', collectorHost: '127.0.0.1', collectorPort: collector.port, collectorEncryption: 'none', reportTimeoutMillis: 2000 },
        'lambda_function',
      );
      direct.tracer.startSpan('child-of-zero', { childOf: new lightstep.SpanContext(ZERO, GOOD_TRACE) }).finish();
      await expect(direct.flush()).rejects.toThrow('400');
      expect(collector.refusedReports()).toBe(1);
    } finally {
      await collector.close();
    }
  });
});

describe('minted ids are never zero', () => {
  test('a random source that yields zero ids: they are skipped, the pool refills when used up', () => {
    let fills = 0;
    // First pool: every id zero except the last; second pool: random-looking non-zero bytes.
    const nextId = createIdSource((pool) => {
      fills++;
      if (fills === 1) {
        pool.fill(0);
        pool[pool.length - 1] = 7;
      } else {
        for (let i = 0; i < pool.length; i++) pool[i] = (i * 37 + 11) & 0xff || 1;
      }
    });
    const first = nextId();
    expect(first).toBe('0000000000000007');
    const second = nextId();
    expect(second).not.toBe(ZERO);
    expect(second).toMatch(/^[0-9a-f]{16}$/);
    expect(fills).toBe(2);
  });
});
