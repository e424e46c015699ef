import type { CloudWatchLogsEvent } from 'aws-lambda';
import { DEFAULT_COLLECTOR_PORT } from '../collector/port';
import { readPort, type Env } from '../common/env';
import { describeTarget, embeddedCollectorTarget, lightStepRequested, readLightStepTarget, type LightStepTarget } from '../lightstep/target';
import { DEFAULT_DEAD_LETTER_PATH } from '../local/dead-letter';
import { createLocalForwarder } from '../local/local-forwarder';
import { replayDeadLetters } from '../local/replay';
import { emptySummary, type ForwardSummary } from '../log-span-forwarder/forward';
import { forwardSubscriptionEvent } from '../log-span-forwarder/handler';
import type { SkipReason } from '../span-line';
import type { CliIo } from './cli-io';
import { parseCommandLine, type CommandSpec } from './command-line';
import { DiscardingExporter } from './discarding-exporter';
import { ProgressLine } from './progress';

export const REPLAY_SPEC = {
  script: 'replay',
  bin: 'llt-replay',
  synopsis: '[options]',
  summary: [
    "Feeds dead letters back through the real forwarder: the local stack's dead-letter file, or the bodies",
    "of the deployed stack's SQS failure queue (Lambda on-failure records), one JSON line each. Delivered",
    'lines leave the file; failed and unreadable ones stay, so running it again retries exactly those.',
    'Reports to LightStep when LIGHTSTEP_ACCESS_TOKEN and LIGHTSTEP_COLLECTOR_HOST are set, else to the',
    'embedded collector on 127.0.0.1:COLLECTOR_PORT (default 8360; npm start must be running).',
  ].join('\n'),
  options: {
    file: { type: 'string', short: 'f', value: 'path', description: `the dead-letter lines (default ${DEFAULT_DEAD_LETTER_PATH})` },
    keep: { type: 'boolean', description: 'leave every line in the file, delivered or not' },
    'dry-run': { type: 'boolean', short: 'n', description: 'decode every line and count its spans, send nothing, leave the file as it is' },
  },
  examples: [
    { command: 'npm run replay', says: "the local stack's dead letters, to the embedded collector" },
    { command: 'npm run replay -- --file dlq.jsonl --dry-run', says: 'how many spans the SQS bodies in dlq.jsonl hold, sending nothing' },
    {
      command: 'LIGHTSTEP_ACCESS_TOKEN=… LIGHTSTEP_COLLECTOR_HOST=collector.lightstep.com npm run replay -- --file dlq.jsonl --keep',
      says: 'to LightStep, keeping the file (delete the SQS messages once it exits 0)',
    },
  ],
  notes: ['Progress (lines replayed, spans forwarded, rate, ETA) is shown on stderr when it is a terminal. Exit code: 0 when every line was replayed, 1 when some were not (they are named), 2 on a usage or setting error.'],
} satisfies CommandSpec;

/**
 * LightStep when its settings are given, else the embedded collector of a running `npm start`.
 * The one place this CLI reads the LightStep settings.
 */
function replayTarget(env: Env): LightStepTarget {
  if (lightStepRequested(env)) return readLightStepTarget(env);
  return embeddedCollectorTarget(readPort(env, 'COLLECTOR_PORT', DEFAULT_COLLECTOR_PORT, 'connect'));
}

/** `npm run replay`: see REPLAY_SPEC. Resolves the exit code. */
export async function runReplay(argv: string[], io: CliIo): Promise<number> {
  const parsed = parseCommandLine(REPLAY_SPEC, argv);
  if (parsed.help) {
    io.stdout.write(parsed.text);
    return 0;
  }
  const file = parsed.values.file ?? DEFAULT_DEAD_LETTER_PATH;
  const dryRun = parsed.values['dry-run'] === true;
  const keep = dryRun || parsed.values.keep === true;
  const target = dryRun ? dryRunForwarder() : localForwarder(io.env);
  const skipped = emptySummary().skipped;
  const invoke = async (event: CloudWatchLogsEvent): Promise<ForwardSummary> => {
    const result = await target.invoke(event);
    for (const reason of Object.keys(result.skipped) as SkipReason[]) skipped[reason] += result.skipped[reason];
    return result;
  };
  const progress = new ProgressLine(io.stderr, { enabled: io.stderr.isTTY === true, readLabel: 'lines replayed', spansLabel: dryRun ? 'spans decoded' : 'spans forwarded' });
  let spans = 0;
  try {
    io.stdout.write(dryRun ? `dry run of ${file}: decoding only, nothing is sent and the file is left as it is\n` : `replaying ${file} to ${target.description}\n`);
    const summary = await replayDeadLetters(file, (event) => invoke(event).then((r) => ((spans += r.forwarded), r)), {
      keep,
      onProgress: (done, total) => progress.update({ read: done, spans, fraction: done / total }),
    });
    progress.done();
    if (summary.lines === 0) {
      io.stdout.write('nothing to replay: the dead-letter file is empty or absent\n');
      return 0;
    }
    const skippedText = Object.entries(skipped)
      .filter(([, n]) => n > 0)
      .map(([reason, n]) => `${reason} ${n}`)
      .join(', ');
    io.stdout.write(
      dryRun
        ? `lines: ${summary.lines}, readable: ${summary.replayed} (${summary.spansForwarded} spans would be forwarded${skippedText ? `; skipped ${skippedText}` : ''}), ` +
            `unreadable: ${summary.unreadable}, failed to decode: ${summary.failed}\n`
        : `lines: ${summary.lines}, replayed: ${summary.replayed} (${summary.spansForwarded} spans forwarded), ` +
            `failed: ${summary.failed}, unreadable: ${summary.unreadable}, left in the file: ${summary.remaining}\n`,
    );
    for (const problem of summary.problems) io.stdout.write(`  line ${problem.lineNumber}: ${problem.error}\n`);
    const notDone = summary.failed + summary.unreadable;
    if (notDone > 0 && !dryRun) {
      io.stderr.write(
        keep
          ? `replay: ${notDone} of ${summary.lines} lines were not replayed (named above); --keep left every line in ${file}\n`
          : `replay: ${notDone} lines were not replayed and stay in ${file} (the delivered ones left it): run the same command again to retry only them\n`,
      );
    }
    return notDone === 0 ? 0 : 1;
  } finally {
    progress.done();
    await target.close();
  }
}

interface Forwarder {
  invoke(event: CloudWatchLogsEvent): Promise<ForwardSummary>;
  description: string;
  close(): Promise<void>;
}

function localForwarder(env: NodeJS.ProcessEnv): Forwarder {
  const target = replayTarget(env);
  const forwarder = createLocalForwarder(target, () => undefined);
  return { invoke: forwarder.invoke, description: describeTarget(target), close: () => forwarder.close() };
}

function dryRunForwarder(): Forwarder {
  const exporter = new DiscardingExporter();
  return { invoke: (event) => forwardSubscriptionEvent(event, exporter, () => undefined), description: 'nowhere (dry run)', close: () => exporter.shutdown() };
}
