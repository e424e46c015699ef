// Drill: the collector goes down for part of a run of /ot-gen calls (its listener really closes,
// connections dropped) and comes back on the same port. Every span of every trace must arrive
// exactly once: through the forwarder's retries, the dead-letter file and `npm run replay`.
import { existsSync, readFileSync } from 'node:fs';
import type { CloudWatchLogsEvent } from 'aws-lambda';
import type { ForwarderInvoke } from '../src/local/async-delivery';
import { RestartableCollector } from './support/collector';
import { runCli } from './support/cli';
import { drillDir, measure, positive, sleep, unmet, writeArtifact, zero, type DrillContext, type DrillResult, type DrillSize } from './support/drill';
import { dumpStore, savePages } from './support/evidence';
import { callOtGen, startDrillStack, type OtGenCall } from './support/stack';
import { checkTraces } from './support/traces';

export const OUTAGE_SIZES: Record<DrillSize, { calls: number; concurrency: number }> = {
  small: { calls: 40, concurrency: 4 },
  full: { calls: 1000, concurrency: 8 },
};
const COUNT = 3;
/** The collector is down from this share of the calls to that one. */
const DOWN_FROM = 0.3;
const UP_AT = 0.6;
const MIN_DOWN_MS = 1500;

export async function run(size: DrillSize, context: DrillContext): Promise<DrillResult> {
  return measure('outage', size, async (result) => {
    const { calls, concurrency } = OUTAGE_SIZES[size];
    const dir = drillDir(context, 'outage');
    const collector = new RestartableCollector(dir, context.token);
    await collector.start();

    // Attempts per subscription event (by its payload), and which attempt delivered it.
    const attempts = new Map<string, number>();
    const deliveredAt = new Map<string, number>();
    const counting = (real: ForwarderInvoke): ForwarderInvoke => async (event: CloudWatchLogsEvent) => {
      const key = event.awslogs.data;
      const attempt = (attempts.get(key) ?? 0) + 1;
      attempts.set(key, attempt);
      const summary = await real(event);
      deliveredAt.set(key, attempt);
      return summary;
    };
    const drill = await startDrillStack({ dir, collector, forwarderOverride: counting, retryBackoffMs: [100, 300] });
    const { stack } = drill;

    const results: OtGenCall[] = new Array(calls);
    const downIndex = Math.floor(calls * DOWN_FROM);
    const upIndex = Math.floor(calls * UP_AT);
    let next = 0;
    let downAt = 0;
    let upAt = 0;
    let restarted!: () => void;
    const up = new Promise<void>((resolve) => (restarted = resolve));
    const worker = async () => {
      for (let i = next++; i < calls; i = next++) {
        if (i === downIndex) {
          await collector.stop();
          downAt = performance.now();
        }
        if (i === upIndex) {
          // Down until the forwarder's retries (100 + 300 ms) have given up on some batch, so the
          // dead-letter file and the replay are part of every run; on a busy machine that takes longer.
          while (stack.shipper.stats.deadLettered === 0 || performance.now() - downAt < MIN_DOWN_MS) {
            if (performance.now() - downAt > 60_000) throw new Error('no batch reached the dead-letter file in 60 s of outage');
            await sleep(50);
          }
          // One more call while down, then back at once: its batch fails once and a retry delivers it.
          results[i] = await callOtGen(stack.urls.service, COUNT);
          await collector.start();
          upAt = performance.now();
          restarted();
          continue;
        }
        // Calls after the restart wait for it: the run goes on with the collector back.
        if (i > upIndex) await up;
        results[i] = await callOtGen(stack.urls.service, COUNT);
      }
    };
    const started = performance.now();
    await Promise.all(Array.from({ length: concurrency }, worker));
    const drivenMs = performance.now() - started;
    await stack.shipper.flush(); // every delivery and its retries settled

    const deadLetters = existsSync(stack.deadLetterPath) ? readFileSync(stack.deadLetterPath, 'utf8').split('\n').filter(Boolean) : [];
    for (const line of deadLetters) result.errors.push((JSON.parse(line) as { error: string }).error);
    writeArtifact(dir, 'dead-letter-before-replay.jsonl', deadLetters.join('\n'));
    // `npm run replay`, as a user runs it, with the LightStep settings of this collector.
    const replay = await runCli('replay', ['--file', stack.deadLetterPath], collector.env());
    writeArtifact(dir, 'replay-output.txt', `exit ${replay.code}\n${replay.stdout}\n${replay.stderr}`);
    result.errors.push(replay.stdout, replay.stderr);
    await drill.close(); // the service's last flush: spans it kept through the outage

    const traces = results.filter((r) => r.body).map((r) => ({ traceId: r.body!.traceId, count: COUNT }));
    const check = checkTraces(collector.store, traces);
    const batches = attempts.size;
    let firstTry = 0;
    let onRetry = 0;
    for (const [key] of attempts) {
      const at = deliveredAt.get(key);
      if (at === 1) firstTry++;
      else if (at !== undefined) onRetry++;
    }
    const received = collector.totalReceived();
    const replayed = /replayed: (\d+) \((\d+) spans forwarded\)/.exec(replay.stdout);
    Object.assign(result.figures, {
      '/ot-gen?count=3 calls': calls,
      concurrency,
      'answers 200': results.filter((r) => r.status === 200).length,
      'answers 5xx or no answer': results.filter((r) => r.status >= 500 || r.status === 0).length,
      'collector down (ms)': Math.round(upAt - downAt),
      'calls driven in (ms)': Math.round(drivenMs),
      'subscription batches': batches,
      'delivered at the first attempt': firstTry,
      'delivered by a retry': onRetry,
      'dead-lettered (3 attempts failed)': deadLetters.length,
      'replay exit code': replay.code ?? -1,
      'replayed batches': replayed ? Number(replayed[1]) : 0,
      'spans forwarded by the replay': replayed ? Number(replayed[2]) : 0,
      'dead-letter file left': existsSync(stack.deadLetterPath) ? 'yes' : 'no',
      traces: check.traces,
      'traces complete': check.tracesComplete,
      'traces incomplete': check.tracesIncomplete,
      'spans expected': check.spansExpected,
      'spans stored': check.spansStored,
      'spans missing': check.spansMissing,
      'spans extra': check.spansExtra,
      'trace-list counts wrong': check.listCountsWrong,
      'spans received by the collector': received.spans,
      'spans delivered twice (absorbed by the store)': received.spans - received.inserted,
    });
    result.errors.push(...check.examples);
    dumpStore(collector.store, dir);
    await savePages(collector.url, traces.map((t) => t.traceId), dir);
    await collector.stop();
  });
}

export function problems(result: DrillResult): string[] {
  const calls = Number(result.figures['/ot-gen?count=3 calls']);
  return unmet(result, [
    ['answers 200', (n) => n === calls, 'a /ot-gen call failed'],
    ['traces complete', (n) => n === calls, `a trace is incomplete: ${result.errors.filter((e) => /^[0-9a-f]{16}:/.test(e)).join('; ')}`],
    ['spans missing', zero, 'spans were lost'],
    ['spans extra', zero, 'spans arrived that were never made'],
    ['trace-list counts wrong', zero, 'the trace list counts a span twice'],
    ['delivered by a retry', positive, 'no batch was saved by a retry: the outage did not exercise them'],
    ['dead-lettered (3 attempts failed)', positive, 'no batch reached the dead-letter file: the outage did not exercise it'],
    ['replayed batches', (n) => n === Number(result.figures['dead-lettered (3 attempts failed)']), 'the replay did not deliver every dead-lettered batch'],
    ['replay exit code', zero, 'npm run replay failed'],
  ]);
}
