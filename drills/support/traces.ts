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
  /** service-egress spans whose call failed (error=true: timeout, connection refused or reset). */
  failedCalls: number;
  /** Of those, the calls whose function ran anyway (the service gave up first): their lambda span arrived too. */
  failedCallsWithLambdaSpan: number;
  /** A few incomplete traces, for the report. */
  examples: string[];
}

/**
 * Each /ot-gen trace must hold exactly the article's shape: one router, `count` service-egress
 * under it, one lambda-execution under each egress; every span once. A call the service gave up
 * on (its egress span says error) may have no lambda span: the function may never have run.
 */
export function checkTraces(store: TraceStore, traces: ReadonlyArray<{ traceId: string; count: number }>): TraceCheck {
  const check: TraceCheck = { traces: traces.length, tracesComplete: 0, tracesIncomplete: 0, spansExpected: 0, spansStored: 0, spansMissing: 0, spansExtra: 0, listCountsWrong: 0, failedCalls: 0, failedCallsWithLambdaSpan: 0, examples: [] };
  for (const { traceId, count } of traces) {
    const spans = store.getTrace(traceId);
    check.spansExpected += expectedSpans(count);
    check.spansStored += spans.length;
    const problem = shapeProblem(spans, count, check);
    if (problem === undefined) check.tracesComplete++;
    else {
      check.tracesIncomplete++;
      if (check.examples.length < 5) check.examples.push(`${traceId}: ${problem}`);
    }
    // Required: the router, every egress span, a lambda span under every call that succeeded.
    const egress = spans.filter((s) => s.operation === 'service-egress');
    const failed = egress.filter((s) => s.tags.error === true || s.tags.error === 'true');
    const required = 1 + count + (count - failed.length);
    const failedIds = new Set(failed.map((s) => s.spanId));
    const optional = spans.filter((s) => s.operation === 'lambda-execution' && failedIds.has(s.parentSpanId ?? '')).length;
    check.spansMissing += Math.max(0, required - (spans.length - optional));
    check.spansExtra += Math.max(0, spans.length - optional - required);
  }
  for (const row of store.listTraces(Number.MAX_SAFE_INTEGER)) {
    if (row.spanCount !== store.getTrace(row.traceId).length) check.listCountsWrong++;
  }
  return check;
}

function shapeProblem(spans: StoredSpan[], count: number, check: TraceCheck): string | undefined {
  const ids = new Set(spans.map((s) => s.spanId));
  if (ids.size !== spans.length) return 'a span id twice';
  const routers = spans.filter((s) => s.operation === 'router');
  const egress = spans.filter((s) => s.operation === 'service-egress');
  const lambda = spans.filter((s) => s.operation === 'lambda-execution');
  if (routers.length !== 1 || egress.length !== count || spans.length !== 1 + egress.length + lambda.length) {
    return `router ${routers.length}, service-egress ${egress.length} of ${count}, lambda-execution ${lambda.length}, ${spans.length} spans`;
  }
  if (egress.some((s) => s.parentSpanId !== routers[0].spanId)) return 'an egress span not under the router';
  for (const call of egress) {
    const under = lambda.filter((s) => s.parentSpanId === call.spanId).length;
    const failed = call.tags.error === true || call.tags.error === 'true';
    if (failed) {
      check.failedCalls++;
      if (under === 1) check.failedCallsWithLambdaSpan++;
    }
    if (under > 1 || (!failed && under !== 1)) return `${under} lambda spans under a ${failed ? 'failed' : 'successful'} call`;
  }
  if (lambda.some((s) => !egress.some((e) => e.spanId === s.parentSpanId))) return 'a lambda span not under an egress span';
  return undefined;
}
