import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import type { CloudWatchLogsEvent } from 'aws-lambda';
import { describeTarget, loadLightStepTarget, type LightStepTarget } from '../lightstep/target';
import { forwardSubscriptionEvent, type ForwardSummary } from '../log-span-forwarder/handler';
import { LightStepExporter } from '../log-span-forwarder/lightstep-exporter';
import type { CliIo } from './cli-io';
import { createCloudWatchLogsClient, type AwsTarget } from './cloudwatch-client';
import { replayFromCloudWatch, ReplayInterruptedError, type CloudWatchReplaySummary } from './cloudwatch-replay';
import { parseCommandLine, UsageError, type CommandSpec } from './command-line';
import { DiscardingExporter } from './discarding-exporter';
import { logGroupTarget } from './log-groups';
import { ProgressLine } from './progress';
import { parseTime, timeArgument } from './time-values';

export const REPLAY_CLOUDWATCH_SPEC = {
  script: 'replay:cloudwatch',
  bin: 'llt-replay-cloudwatch',
  synopsis: '[options] <log-group | function> --since <when>',
  summary: [
    'Reads the span lines of a time window from CloudWatch Logs (FilterLogEvents with the subscription',
    "filter's pattern) and forwards them to LightStep with the forwarder's own code, as subscription",
    'batches. For a window the forwarder missed: a failure record that was too large or expired.',
    'Configured like the forwarder: LIGHTSTEP_ACCESS_TOKEN (or LIGHTSTEP_ACCESS_TOKEN_PARAMETER),',
    'LIGHTSTEP_COLLECTOR_HOST, LIGHTSTEP_COLLECTOR_PORT, LIGHTSTEP_COLLECTOR_ENCRYPTION.',
  ].join('\n'),
  positionals: true,
  options: {
    'log-group': { type: 'string', short: 'g', value: 'group', description: 'the log group, function name (my-fn = /aws/lambda/my-fn) or log group ARN' },
    since: { type: 'string', value: 'when', description: 'window start: 6h, 2d ago, or a date (required)' },
    until: { type: 'string', value: 'when', description: 'window end (default: now, fixed when the replay starts)' },
    'dry-run': { type: 'boolean', short: 'n', description: 'read and decode, count spans and skipped lines by reason, send nothing (no LightStep settings needed)' },
    region: { type: 'string', value: 'region', description: 'AWS region (default: the SDK chain, AWS_REGION / the profile)' },
    profile: { type: 'string', value: 'name', description: 'AWS profile (default: AWS_PROFILE / default)' },
  },
  examples: [
    { command: 'npm run replay:cloudwatch -- my-fn --since 6h --dry-run', says: 'how many spans the last 6 hours of /aws/lambda/my-fn hold, sending nothing' },
    {
      command: 'LIGHTSTEP_ACCESS_TOKEN_PARAMETER=/lightstep/access-token npm run replay:cloudwatch -- my-fn --since 2026-11-25T04:00:00Z --until 2026-11-25T06:00:00Z',
      says: 'forward a two-hour window to LightStep, the token read from SSM',
    },
  ],
  notes: [
    'Progress (events read, spans forwarded, rate, ETA) is shown on stderr when it is a terminal. Throttled ' +
      'CloudWatch calls are retried by the SDK (adaptive retry mode). When a read or a delivery fails, the ' +
      'command prints the --since/--until to resume with: everything before that point was delivered.',
  ],
} satisfies CommandSpec;

export interface ReplayCloudWatchDependencies {
  cloudWatch?: (target: AwsTarget) => CloudWatchLogsClient;
  now?: () => number;
  /** Where the spans go, with a description for the summary. Default: forwarderTarget. */
  target?: (env: NodeJS.ProcessEnv) => Promise<ForwardTarget>;
}

export interface ForwardTarget {
  forward(event: CloudWatchLogsEvent): Promise<ForwardSummary>;
  description: string;
  close(): Promise<void>;
}

/**
 * The LightStep settings, read like the forwarder Lambda reads them. The one place this CLI reads
 * them, so where they come from can change in one spot.
 */
function lightStepSettings(env: NodeJS.ProcessEnv): Promise<LightStepTarget> {
  return loadLightStepTarget(env);
}

/** LightStep through the forwarder's own exporter. */
export async function forwarderTarget(env: NodeJS.ProcessEnv): Promise<ForwardTarget> {
  const target = await lightStepSettings(env);
  const exporter = new LightStepExporter(target);
  return {
    forward: (event) => forwardSubscriptionEvent(event, exporter, () => undefined),
    description: describeTarget(target),
    close: () => exporter.shutdown(),
  };
}

/** `npm run replay:cloudwatch`: see REPLAY_CLOUDWATCH_SPEC. Resolves the exit code. */
export async function runReplayCloudWatch(argv: string[], io: CliIo, deps: ReplayCloudWatchDependencies = {}): Promise<number> {
  const parsed = parseCommandLine(REPLAY_CLOUDWATCH_SPEC, argv);
  if (parsed.help) {
    io.stdout.write(parsed.text);
    return 0;
  }
  const { values, positionals } = parsed;
  const groups = [...positionals, ...(values['log-group'] !== undefined ? [values['log-group']] : [])];
  if (groups.length !== 1) throw new UsageError(`name one log group or function (got ${groups.length}); see --help`);
  if (values.since === undefined) throw new UsageError('--since is required (e.g. --since 2h, or a date); see --help');
  const group = logGroupTarget(groups[0]);
  const now = (deps.now ?? Date.now)();
  const startTime = parseTime('--since', values.since, now);
  const endTime = values.until !== undefined ? parseTime('--until', values.until, now) : now;
  if (endTime <= startTime) throw new UsageError(`--until (${timeArgument(endTime)}) must be after --since (${timeArgument(startTime)})`);

  const dryRun = values['dry-run'] === true;
  const target = dryRun ? dryRunTarget() : await (deps.target ?? forwarderTarget)(io.env);
  const client = (deps.cloudWatch ?? createCloudWatchLogsClient)({ region: values.region, profile: values.profile });
  const progress = new ProgressLine(io.stderr, {
    enabled: io.stderr.isTTY === true,
    readLabel: 'events read',
    spansLabel: dryRun ? 'spans decoded' : 'spans forwarded',
    now: deps.now,
  });
  try {
    const summary = await replayFromCloudWatch(
      client,
      { logGroupName: group.name, logGroupArn: group.arn, startTime, endTime },
      (event) => target.forward(event),
      {
        onProgress: (p) => progress.update({ read: p.read, spans: p.forwarded, fraction: (p.newestTimestamp - startTime) / (endTime - startTime) }),
      },
    );
    progress.done();
    io.stdout.write(
      dryRun
        ? `dry run, nothing sent: ${summary.received} lines read in ${summary.batches} batches, ${summary.forwarded} spans would be forwarded${skippedText(summary)}\n`
        : `replayed ${summary.batches} batches: ${summary.received} lines read, ${summary.forwarded} spans forwarded to ${target.description}${skippedText(summary)}\n`,
    );
    return 0;
  } catch (error) {
    progress.done();
    if (!(error instanceof ReplayInterruptedError)) throw error;
    const resume = [
      `npm run replay:cloudwatch --`,
      groups[0],
      `--since ${timeArgument(error.resumeFrom)}`,
      `--until ${timeArgument(endTime)}`,
      ...(values.region ? [`--region ${values.region}`] : []),
      ...(values.profile ? [`--profile ${values.profile}`] : []),
    ].join(' ');
    io.stderr.write(
      `replay:cloudwatch: stopped: ${error.message}\n` +
        `  before it: ${error.summary.batches} batches, ${error.summary.forwarded} spans forwarded; everything before ${timeArgument(error.resumeFrom)} was delivered\n` +
        `  resume with: ${resume}\n`,
    );
    return 1;
  } finally {
    await target.close();
  }
}

function dryRunTarget(): ForwardTarget {
  const exporter = new DiscardingExporter();
  return { forward: (event) => forwardSubscriptionEvent(event, exporter, () => undefined), description: 'nowhere (dry run)', close: () => exporter.shutdown() };
}

function skippedText(summary: CloudWatchReplaySummary): string {
  const skipped = Object.entries(summary.skipped).filter(([, n]) => n > 0);
  return skipped.length > 0 ? `; skipped ${skipped.map(([reason, n]) => `${reason} ${n}`).join(', ')}` : '';
}
