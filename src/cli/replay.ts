// `npm run replay -- [--file .local/dead-letter.jsonl] [--keep]`: feeds the local stack's
// dead-letter file, or the bodies of the deployed stack's SQS failure queue (Lambda on-failure
// records), back through the real forwarder. Reports to LightStep when
// LIGHTSTEP_ACCESS_TOKEN and LIGHTSTEP_COLLECTOR_HOST are set, else to the embedded collector on
// 127.0.0.1:COLLECTOR_PORT (default 8360; `npm start` must be running).
import { readConfig, type ForwarderConfig } from '../log-span-forwarder/config';
import { DEFAULT_DEAD_LETTER_PATH } from '../local/dead-letter';
import { createLocalForwarder, localCollectorForwarderConfig } from '../local/local-forwarder';
import { replayDeadLetters } from '../local/replay';
import { DEFAULT_COLLECTOR_PORT } from '../service/config';
import { parseArgs } from './args';

function forwarderConfig(env: NodeJS.ProcessEnv): { config: ForwarderConfig; description: string } {
  if (env.LIGHTSTEP_ACCESS_TOKEN && env.LIGHTSTEP_COLLECTOR_HOST) {
    const config = readConfig(env);
    return { config, description: `LightStep at ${config.collectorHost}:${config.collectorPort}` };
  }
  const port = env.COLLECTOR_PORT ? Number(env.COLLECTOR_PORT) : DEFAULT_COLLECTOR_PORT;
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`COLLECTOR_PORT must be a port number, got "${env.COLLECTOR_PORT}"`);
  return { config: localCollectorForwarderConfig(port), description: `the embedded collector at http://127.0.0.1:${port}` };
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2), { file: 'string', keep: 'flag' });
  const file = typeof args.file === 'string' ? args.file : DEFAULT_DEAD_LETTER_PATH;
  const { config, description } = forwarderConfig(process.env);
  const forwarder = createLocalForwarder(config, () => undefined);
  try {
    console.log(`replaying ${file} to ${description}`);
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
    forwarder.close();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`replay: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(2);
  },
);
