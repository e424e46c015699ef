// Drill: every subscription batch delivered twice, at the same moment (Lambda's at-least-once
// delivery, and two forwarder containers racing), and all of them once more afterwards through
// `npm run replay`. Nothing may be stored twice, and the trace list must count each span once.
import type { CloudWatchLogsEvent } from 'aws-lambda';
import { appendDeadLetter } from '../src/local/dead-letter';
import type { ForwarderInvoke } from '../src/local/async-delivery';
import { LOCAL_FUNCTION_NAME } from '../src/local/stack';
import { RestartableCollector } from './support/collector';
import { runCli } from './support/cli';
import { drillDir, measure, positive, unmet, writeArtifact, zero, type DrillContext, type DrillResult, type DrillSize } from './support/drill';
import { dumpStore, savePages } from './support/evidence';
import { callOtGen, startDrillStack } from './support/stack';
import { checkTraces } from './support/traces';
import path from 'node:path';

export const DUPLICATE_SIZES: Record<DrillSize, { calls: number; concurrency: number }> = {
  small: { calls: 12, concurrency: 4 },
  full: { calls: 300, concurrency: 8 },
};
const COUNT = 3;

export async function run(size: DrillSize, context: DrillContext): Promise<DrillResult> {
  return measure('duplicate', size, async (result) => {
    const { calls, concurrency } = DUPLICATE_SIZES[size];
    const dir = drillDir(context, 'duplicate');
    // Over OTLP (SERVICE_TRACER=otel): the OTLP sinks carry the run's header value, for the secrets check.
    const collector = new RestartableCollector(dir, context.token, 'collector', context.otlpHeader);
    await collector.start();

    const delivered: CloudWatchLogsEvent[] = [];
    let forwarded = 0;
    const twice = (real: ForwarderInvoke): ForwarderInvoke => async (event) => {
      delivered.push(event);
      const [first, second] = (await Promise.all([real(event), real(event)])) as Array<{ forwarded: number }>;
      forwarded += first.forwarded + second.forwarded;
      return first;
    };
    const drill = await startDrillStack({ dir, collector, forwarderOverride: twice, otel: true });
    const { stack } = drill;

    const traces: Array<{ traceId: string; count: number }> = [];
    let failedCalls = 0;
    let next = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        for (let i = next++; i < calls; i = next++) {
          const call = await callOtGen(stack.urls.service, COUNT);
          if (call.body) traces.push({ traceId: call.body.traceId, count: COUNT });
          else failedCalls++;
        }
      }),
    );
    await stack.shipper.flush();
    const afterTwice = collector.totalReceived('lambda_function');

    // A third delivery of every batch, after the fact: the replay CLI over a file of all of them.
    const replayFile = path.join(dir, 'every-batch-again.jsonl');
    for (const event of delivered) {
      appendDeadLetter(replayFile, { event, error: 'redelivered on purpose', attempts: 0, failedAt: new Date().toISOString(), logGroup: `/aws/lambda/${LOCAL_FUNCTION_NAME}` });
    }
    const replay = await runCli('replay', ['--file', replayFile], collector.env());
    writeArtifact(dir, 'replay-output.txt', `exit ${replay.code}\n${replay.stdout}\n${replay.stderr}`);
    result.errors.push(replay.stdout, replay.stderr);
    await drill.close();

    const check = checkTraces(collector.store, traces);
    const lambda = collector.totalReceived('lambda_function');
    const storedLambda = traces.flatMap((t) => collector.store.getTrace(t.traceId).filter((s) => s.component === 'lambda_function'));
    const distinctLambda = new Set(storedLambda.map((s) => `${s.traceId}/${s.spanId}`)).size;
    Object.assign(result.figures, {
      '/ot-gen?count=3 calls': calls,
      'calls failed': failedCalls,
      'subscription batches': delivered.length,
      'deliveries (2 at once + 1 replayed, per batch)': delivered.length * 3,
      'spans forwarded by the two concurrent deliveries': forwarded,
      'replay exit code': replay.code ?? -1,
      'lambda spans received by the collector': lambda.spans,
      'lambda spans received, first two deliveries': afterTwice.spans,
      'lambda spans stored': storedLambda.length,
      'lambda spans stored twice': storedLambda.length - distinctLambda,
      traces: check.traces,
      'traces complete': check.tracesComplete,
      'traces incomplete': check.tracesIncomplete,
      'spans missing': check.spansMissing,
      'spans extra': check.spansExtra,
      'trace-list counts wrong': check.listCountsWrong,
      'spans in the store': collector.store.countSpans(),
      'spans expected': check.spansExpected,
    });
    result.errors.push(...check.examples);
    dumpStore(collector.store, dir);
    await savePages(collector.url, traces.map((t) => t.traceId), dir);
    await collector.stop();
  });
}

export function problems(result: DrillResult): string[] {
  const stored = Number(result.figures['lambda spans stored']);
  return unmet(result, [
    ['calls failed', zero, 'a /ot-gen call failed'],
    ['subscription batches', positive, 'no batch was delivered'],
    ['lambda spans received by the collector', (n) => n === 3 * stored, 'the collector did not receive every span three times'],
    ['lambda spans stored twice', zero, 'a span is stored twice'],
    ['traces incomplete', zero, 'a trace is incomplete'],
    ['spans extra', zero, 'a trace holds more spans than were made'],
    ['trace-list counts wrong', zero, 'the trace list counts a span twice'],
    ['spans in the store', (n) => n === Number(result.figures['spans expected']), 'the store holds another number of spans than were made'],
    ['replay exit code', zero, 'npm run replay failed'],
  ]);
}
