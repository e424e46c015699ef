// Drill: many concurrent /ot-gen?count=5 (autocannon) against the local stack. No 5xx, no
// unhandled rejection, every trace complete; throughput and latency are reported, not asserted.
import autocannon from 'autocannon';
import type { TraceStore } from '../src/collector/store';
import { RestartableCollector } from './support/collector';
import { drillDir, measure, positive, unmet, zero, type DrillContext, type DrillResult, type DrillSize } from './support/drill';
import { dumpStore, savePages } from './support/evidence';
import { callOtGen, startDrillStack } from './support/stack';
import { checkTraces } from './support/traces';

/** A fixed number of requests rather than a duration: on a busy machine a short window may finish none. */
export const LOAD_SIZES: Record<DrillSize, { connections: number; requests: number }> = {
  small: { connections: 50, requests: 50 },
  full: { connections: 500, requests: 2500 },
};
const COUNT = 5;

export async function run(size: DrillSize, context: DrillContext): Promise<DrillResult> {
  return measure('load', size, async (result) => {
    const { connections, requests } = LOAD_SIZES[size];
    const dir = drillDir(context, 'load');
    const collector = new RestartableCollector(dir, context.token);
    await collector.start();
    const drill = await startDrillStack({ dir, collector });
    const { stack } = drill;

    // Every container warm first: the drill measures the pipeline under load, not cold starts.
    await Promise.all(Array.from({ length: 2 }, () => callOtGen(stack.urls.service, 4)));

    const rejections: string[] = [];
    const onRejection = (reason: unknown) => rejections.push(String(reason));
    process.on('unhandledRejection', onRejection);
    const traceIds: string[] = [];
    let unreadable = 0;
    let failedFunctionCalls = 0;
    let run: autocannon.Result;
    try {
      run = await autocannon({
        url: `${stack.urls.service}/ot-gen?count=${COUNT}`,
        connections,
        amount: requests,
        timeout: 120,
        setupClient: (client) => {
          client.on('body', (body: Buffer) => {
            try {
              const answer = JSON.parse(body.toString('utf8')) as { traceId: string; failedCalls: number };
              traceIds.push(answer.traceId);
              failedFunctionCalls += answer.failedCalls;
            } catch {
              unreadable++;
            }
          });
        },
      });
      await stack.shipper.flush();
      await drill.close();
    } finally {
      process.off('unhandledRejection', onRejection);
    }

    const check = checkTraces(collector.store, traceIds.map((traceId) => ({ traceId, count: COUNT })));
    const statuses = Object.fromEntries(Object.entries(run.statusCodeStats ?? {}).map(([code, { count }]) => [code, Number(count)]));
    const fiveHundreds = Object.entries(statuses).filter(([code]) => Number(code) >= 500).reduce((sum, [, n]) => sum + n, 0);
    const errorLogs = drill.logLines.filter((line) => (JSON.parse(line) as { level: number }).level >= 50);
    Object.assign(result.figures, {
      connections,
      'duration (s)': run.duration,
      requests: run.requests.total,
      'answers 2xx': run['2xx'],
      'answers 5xx': fiveHundreds,
      'connection errors': run.errors,
      timeouts: run.timeouts,
      'unhandled rejections': rejections.length,
      'error log lines': errorLogs.length,
      'bodies without a trace id': unreadable,
      'function calls failed inside answers': failedFunctionCalls,
      'throughput (req/s, mean)': Math.round(run.requests.average),
      'function invocations/s': Math.round((run.requests.average ?? 0) * COUNT),
      'latency p50 (ms)': run.latency.p50,
      'latency p97.5 (ms)': run.latency.p97_5,
      'latency p99 (ms)': run.latency.p99,
      'latency max (ms)': run.latency.max,
      traces: check.traces,
      'traces complete': check.tracesComplete,
      'traces incomplete': check.tracesIncomplete,
      'spans expected': check.spansExpected,
      'spans stored': check.spansStored,
      'spans missing': check.spansMissing,
      'spans extra': check.spansExtra,
      'trace-list counts wrong': check.listCountsWrong,
      'failed calls (error on the egress span)': check.failedCalls,
      'failed calls whose function ran anyway': check.failedCallsWithLambdaSpan,
      ...failureKinds(collector.store, traceIds),
      'function containers at the end': stack.pool.size,
    });
    result.errors.push(...rejections, ...errorLogs, ...check.examples);
    dumpStore(collector.store, dir);
    await savePages(collector.url, traceIds, dir);
    await collector.stop();
  });
}

export function problems(result: DrillResult): string[] {
  const requests = Number(result.figures.requests);
  return unmet(result, [
    ['requests', positive, 'no request completed'],
    ['answers 2xx', (n) => n === requests, 'a request was not answered 2xx'],
    ['answers 5xx', zero, 'a 5xx answer'],
    ['connection errors', zero, 'connection errors'],
    ['unhandled rejections', zero, 'an unhandled rejection'],
    // At 500 connections on a small machine the local function emulator is overloaded: the failures are
    // figures there (each is on its egress span); at the small size every call must succeed.
    ...(result.size === 'small' ? [['function calls failed inside answers', zero, 'the service could not call the function'] as [string, (n: number) => boolean, string]] : []),
    ['error log lines', zero, 'the stack logged errors'],
    ['traces complete', (n) => n === requests, `a trace is incomplete: ${result.errors.join('; ')}`],
    ['spans missing', zero, 'spans were lost'],
    ['spans extra', zero, 'spans arrived that were never made'],
    ['trace-list counts wrong', zero, 'the trace list counts a span twice'],
  ]);
}

/** The failed calls by what the service recorded (timeout, reset, connect timeout). */
function failureKinds(store: TraceStore, traceIds: readonly string[]): Record<string, number> {
  const kinds: Record<string, number> = {};
  for (const traceId of traceIds) {
    for (const span of store.getTrace(traceId)) {
      if (span.operation !== 'service-egress') continue;
      const message = span.logs.find((l) => l.fields.event === 'error')?.fields.message;
      if (message === undefined) continue;
      const kind = `failed calls: ${String(message).replace(/^function call timed out.*/, 'timed out (30 s)').replace(/^fetch failed: /, '')}`;
      kinds[kind] = (kinds[kind] ?? 0) + 1;
    }
  }
  return kinds;
}
