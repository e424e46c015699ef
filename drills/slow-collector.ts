// Drill: a collector that accepts the connection and answers only after 30 s. The forwarder's
// invocation must end within its report timeout with a clear error (the Lambda then retries),
// the local stack's delivery must put the batch in the dead-letter file, and a healthy collector
// must get every span of it on replay.
import path from 'node:path';
import { deliverAsync } from '../src/local/async-delivery';
import { createLocalForwarder } from '../src/local/local-forwarder';
import { replayDeadLetters } from '../src/local/replay';
import { encodeSubscriptionEvent } from '../src/log-span-forwarder/subscription-event';
import { LightStepExporter } from '../src/log-span-forwarder/lightstep-exporter';
import { forwardSubscriptionEvent } from '../src/log-span-forwarder/handler';
import { encodeSpanLine } from '../src/span-line';
import { RestartableCollector } from './support/collector';
import { drillDir, measure, unmet, type DrillContext, type DrillResult, type DrillSize } from './support/drill';
import { dumpStore } from './support/evidence';
import { startSlowCollector, type SlowKind } from './support/slow-collector';

/** The forwarder's report timeout: the default LIGHTSTEP_REPORT_TIMEOUT_MILLIS at full size, short in npm test. */
export const SLOW_SIZES: Record<DrillSize, { reportTimeoutMillis: number; spans: number }> = {
  small: { reportTimeoutMillis: 500, spans: 20 },
  full: { reportTimeoutMillis: 5000, spans: 500 },
};
export const ANSWER_AFTER_MS = 30_000;
const KINDS: SlowKind[] = ['silent', 'headers-then-silence', 'trickle'];

export async function run(size: DrillSize, context: DrillContext): Promise<DrillResult> {
  return measure('slow-collector', size, async (result) => {
    const { reportTimeoutMillis, spans } = SLOW_SIZES[size];
    const dir = drillDir(context, 'slow-collector');
    const healthy = new RestartableCollector(dir, context.token, 'healthy-collector');
    await healthy.start();
    result.figures['report timeout (ms)'] = reportTimeoutMillis;
    result.figures['the slow collector answers after (ms)'] = ANSWER_AFTER_MS;
    for (const kind of KINDS) {
      const slow = await startSlowCollector(kind, ANSWER_AFTER_MS);
      const target = { accessToken: context.token, collectorHost: '127.0.0.1', collectorPort: slow.port, collectorEncryption: 'none' as const, reportTimeoutMillis };
      const { event, traceId } = batchOf(spans, kind);
      try {
        // The Lambda handler's logic: the invocation rejects (Lambda retries it), within the timeout.
        const exporter = new LightStepExporter(target);
        let started = performance.now();
        let message = 'resolved';
        try {
          await forwardSubscriptionEvent(event, exporter, () => undefined);
        } catch (error) {
          message = `${(error as Error).name}: ${(error as Error).message}`;
        }
        const invocationMs = performance.now() - started;
        exporter.close();
        result.errors.push(message);

        // The local stack's asynchronous delivery: three attempts, then the dead-letter file.
        const deadLetterPath = path.join(dir, `dead-letter-${kind}.jsonl`);
        const slowForwarder = createLocalForwarder(target, () => undefined);
        started = performance.now();
        const delivery = await deliverAsync(event, { logGroup: '/aws/lambda/slow', logStream: kind, logEvents: spans }, { invoke: slowForwarder.invoke, deadLetterPath, backoffMs: [10, 10] });
        const deliveryMs = performance.now() - started;
        await slowForwarder.close().catch(() => undefined);
        if (!delivery.delivered) result.errors.push(delivery.error);

        // The replay to a healthy collector.
        const healthyForwarder = createLocalForwarder(healthy.target(), () => undefined);
        const replay = await replayDeadLetters(deadLetterPath, healthyForwarder.invoke);
        await healthyForwarder.close();
        Object.assign(result.figures, {
          [`${kind}: invocation ended after (ms)`]: Math.round(invocationMs),
          [`${kind}: invocation error`]: message,
          [`${kind}: delivery attempts`]: delivery.attempts,
          [`${kind}: dead-lettered`]: delivery.delivered ? 'no' : 'yes',
          [`${kind}: three attempts took (ms)`]: Math.round(deliveryMs),
          [`${kind}: reports the slow collector read`]: slow.requests,
          [`${kind}: replayed spans`]: replay.spansForwarded,
          [`${kind}: spans stored after replay`]: healthy.store.getTrace(traceId).length,
          [`${kind}: spans sent`]: spans,
        });
      } finally {
        await slow.close();
      }
    }
    dumpStore(healthy.store, dir);
    await healthy.stop();
  });
}

/** One subscription event with `count` genuine span lines of one trace. */
function batchOf(count: number, kind: SlowKind) {
  const traceId = (BigInt(KINDS.indexOf(kind) + 1) * 0x1000000000001n + BigInt(Date.now())).toString(16).padStart(16, '0').slice(-16);
  const now = Date.now();
  const logEvents = Array.from({ length: count }, (_, i) => ({
    id: String(i),
    timestamp: now,
    message: encodeSpanLine({
      traceId,
      spanId: (BigInt(i + 1) * 0x10001n).toString(16).padStart(16, '0'),
      operation: `slow-${kind}`,
      component: 'lambda_function',
      startMicros: now * 1000 + i,
      durationMicros: 10,
      tags: { i },
      logs: [],
      baggage: {},
    }),
  }));
  const event = encodeSubscriptionEvent({ messageType: 'DATA_MESSAGE', owner: '123456789012', logGroup: '/aws/lambda/slow', logStream: kind, subscriptionFilters: ['span-lines'], logEvents });
  return { event, traceId };
}

export function problems(result: DrillResult): string[] {
  const timeout = Number(result.figures['report timeout (ms)']);
  const spans = Number(result.figures[`${KINDS[0]}: spans sent`]);
  const out = unmet(
    result,
    KINDS.flatMap((kind): Array<[string, (n: number) => boolean, string]> => [
      // The first report of a process also pays for loading the tracer and compiling the schema.
      [`${kind}: invocation ended after (ms)`, (n) => n < timeout + 1500, `${kind}: the invocation outlived its report timeout`],
      [`${kind}: delivery attempts`, (n) => n === 3, `${kind}: not retried twice`],
      [`${kind}: reports the slow collector read`, (n) => n >= 4, `${kind}: the slow collector did not see every attempt`],
      [`${kind}: spans stored after replay`, (n) => n === spans, `${kind}: spans lost`],
    ]),
  );
  for (const kind of KINDS) {
    if (!/^FlushError: .*no answer within \d+ ms/.test(String(result.figures[`${kind}: invocation error`]))) out.push(`${kind}: no clear timeout error: ${String(result.figures[`${kind}: invocation error`])}`);
    if (result.figures[`${kind}: dead-lettered`] !== 'yes') out.push(`${kind}: the batch did not reach the dead-letter file`);
  }
  return out;
}
