// `npm run replay -- [--file .local/dead-letter.jsonl] [--keep]`: feeds the local stack's
// dead-letter file, or the bodies of the deployed stack's SQS failure queue (Lambda on-failure
// records), back through the real forwarder. Reports to LightStep when
// LIGHTSTEP_ACCESS_TOKEN and LIGHTSTEP_COLLECTOR_HOST are set, else to the embedded collector on
// 127.0.0.1:COLLECTOR_PORT (default 8360; `npm start` must be running).
import { readPort, type Env } from '../common/env';
import { DEFAULT_COLLECTOR_PORT } from '../collector/port';
import { describeTarget, embeddedCollectorTarget, lightStepRequested, readLightStepTarget, type LightStepTarget } from '../lightstep/target';
import { DEFAULT_DEAD_LETTER_PATH } from '../local/dead-letter';
import { createLocalForwarder } from '../local/local-forwarder';
import { replayDeadLetters } from '../local/replay';
import { parseArgs } from './args';

/** LightStep when its settings are given, else the embedded collector of a running `npm start`. */
function replayTarget(env: Env): LightStepTarget {
  if (lightStepRequested(env)) return readLightStepTarget(env);
  return embeddedCollectorTarget(readPort(env, 'COLLECTOR_PORT', DEFAULT_COLLECTOR_PORT, 'connect'));
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2), { file: 'string', keep: 'flag' });
  const file = typeof args.file === 'string' ? args.file : DEFAULT_DEAD_LETTER_PATH;
  const target = replayTarget(process.env);
  const forwarder = createLocalForwarder(target, () => undefined);
  try {
    console.log(`replaying ${file} to ${describeTarget(target)}`);
    const summary = await replayDeadLetters(file, forwarder.invoke, { keep: args.keep === true });
    if (summary.lines === 0) {
      console.log('nothing to replay: the dead-letter file is empty or absent');
      return 0;
    }
    console.log(
      `lines: ${summary.lines}, replayed: ${summary.replayed} (${summary.spansForwarded} spans forwarded), ` +
        `failed: ${summary.failed}, unreadable: ${summary.unreadable}, left in the file: ${summary.remaining}`,
    );
    for (const problem of summary.problems) console.log(`  line ${problem.lineNumber}: ${problem.error}`);
    return summary.failed + summary.unreadable === 0 ? 0 : 1;
  } finally {
    await forwarder.close();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`replay: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(2);
  },
);
