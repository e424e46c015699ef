import type { TraceStore } from '../../src/collector/store';
import type { StoredSpan } from '../../src/collector/types';
import { expectedSpans } from './stack';

export interface TraceCheck {
  traces: number;
  tracesComplete: number;
  tracesIncomplete: number;
  spansExpected: number;
  spansStored: number;
  spansMissing: number;
  /** Stored beyond the article's shape (a span under a new id would be one). */
  spansExtra: number;
  /** Rows of the trace list whose span count is not the number of spans stored (a double count). */
  listCountsWrong: number;
  /** A few incomplete traces, for the report. */
  examples: string[];
}

/**
 * Each /ot-gen trace must hold exactly the article's shape: one router, `count` service-egress
 * under it, one lambda-execution under each egress; every span once.
 */
export function checkTraces(store: TraceStore, traces: ReadonlyArray<{ traceId: string; count: number }>): TraceCheck {
  const check: TraceCheck = { traces: traces.length, tracesComplete: 0, tracesIncomplete: 0, spansExpected: 0, spansStored: 0, spansMissing: 0, spansExtra: 0, listCountsWrong: 0, examples: [] };
  for (const { traceId, count } of traces) {
    const spans = store.getTrace(traceId);
    const expected = expectedSpans(count);
    check.spansExpected += expected;
    check.spansStored += spans.length;
    const problem = shapeProblem(spans, count);
    if (problem === undefined) check.tracesComplete++;
    else {
      check.tracesIncomplete++;
      if (check.examples.length < 5) check.examples.push(`${traceId}: ${problem}`);
    }
    check.spansMissing += Math.max(0, expected - spans.length);
    check.spansExtra += Math.max(0, spans.length - expected);
  }
  for (const row of store.listTraces(Number.MAX_SAFE_INTEGER)) {
    if (row.spanCount !== store.getTrace(row.traceId).length) check.listCountsWrong++;
  }
  return check;
}

function shapeProblem(spans: StoredSpan[], count: number): string | undefined {
  const ids = new Set(spans.map((s) => s.spanId));
  if (ids.size !== spans.length) return 'a span id twice';
  const routers = spans.filter((s) => s.operation === 'router');
  const egress = spans.filter((s) => s.operation === 'service-egress');
  const lambda = spans.filter((s) => s.operation === 'lambda-execution');
  if (routers.length !== 1 || egress.length !== count || lambda.length !== count || spans.length !== 1 + 2 * count) {
    return `router ${routers.length}, service-egress ${egress.length}, lambda-execution ${lambda.length} of ${count}, ${spans.length} spans`;
  }
  if (egress.some((s) => s.parentSpanId !== routers[0].spanId)) return 'an egress span not under the router';
  const egressIds = new Set(egress.map((s) => s.spanId));
  const parents = new Set(lambda.map((s) => s.parentSpanId));
  if (parents.size !== count || [...parents].some((p) => p === undefined || !egressIds.has(p))) return 'a lambda span not under its own egress span';
  return undefined;
}
