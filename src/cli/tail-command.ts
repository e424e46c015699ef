import { createInterface } from 'node:readline';
import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import type { CliIo } from './cli-io';
import { createCloudWatchLogsClient, type AwsTarget } from './cloudwatch-client';
import { colorEnabled, palette } from './colors';
import { parseCommandLine, UsageError, type CommandSpec } from './command-line';
import { logGroupTarget } from './log-groups';
import { LogTextReader } from './log-text-reader';
import { renderTrace, traceJson } from './render-trace';
import { lineSourceOf } from '../span-line';
import { SpanIntake } from './span-intake';
import { tailCloudWatch } from './tail-cloudwatch';
import { parseDuration, parseTime } from './time-values';
import { TraceAssembler, type TraceGroup } from './trace-assembler';

export const TAIL_SPEC = {
  script: 'tail',
  bin: 'llt-tail',
  synopsis: '[options] [log-group | function ...]',
  summary: [
    'Shows span lines as traces: one tree per trace, each span under its parent, with its component,',
    'duration, a bar placing it in the trace, and markers (ERROR, truncated, root, a parent not in these',
    'logs, late). Reads piped input when stdin is not a terminal (sam logs, aws logs tail, raw span lines),',
    'else the log groups named, from CloudWatch Logs.',
  ].join('\n'),
  positionals: true,
  options: {
    'log-group': { type: 'string', short: 'g', multiple: true, value: 'group', description: 'a log group, function name (my-fn = /aws/lambda/my-fn) or log group ARN; repeatable, like the arguments' },
    since: { type: 'string', value: 'when', description: 'from when: 10m, 2h, 1d, 1w ago, or a date (default 10m)' },
    until: { type: 'string', value: 'when', description: 'up to when (not with --follow)' },
    follow: { type: 'boolean', short: 'f', description: 'keep showing new spans: CloudWatch Logs Live Tail, or FilterLogEvents polling where Live Tail is not available' },
    poll: { type: 'boolean', description: 'follow by polling FilterLogEvents every 2 s, without trying Live Tail' },
    wait: { type: 'string', value: 'duration', description: 'a trace without its root is shown once quiet this long (default 2s)' },
    json: { type: 'boolean', description: 'one JSON object per trace, per line, for machines (no colours)' },
    tags: { type: 'boolean', description: "each span's tags after it" },
    region: { type: 'string', value: 'region', description: 'AWS region (default: the SDK chain, AWS_REGION / the profile)' },
    profile: { type: 'string', value: 'name', description: 'AWS profile (default: AWS_PROFILE / default)' },
    stdin: { type: 'boolean', description: 'read piped input (the default whenever stdin is not a terminal; kept for old scripts)' },
    source: {
      type: 'string',
      value: 'group',
      description: "with piped input: the function or log group the lines come from, whose name their invocation spans leave out (sam logs does not print it)",
    },
  },
  examples: [
    { command: 'sam logs -n TracedFunction --tail | npm run tail', says: "the function's spans from sam's output, as they arrive" },
    { command: 'aws logs tail /aws/lambda/my-fn --follow | npm run tail', says: "the same from the AWS CLI's output" },
    { command: 'sam logs -n TracedFunction --tail | npm run tail -- --source my-fn --tags', says: 'with faas.name on the invocation spans (my-fn: the deployed function)' },
    { command: 'npm run tail -- my-fn --since 30m --follow', says: 'the last 30 minutes of /aws/lambda/my-fn from CloudWatch Logs, then new spans live' },
    { command: 'npm run tail -- my-fn other-fn -f', says: 'two functions at once' },
    { command: 'grep otspan spans.log | npm run tail -- --json | jq .spans[].operation', says: 'raw span lines in, one JSON object per trace out' },
  ],
  notes: [[
    'A trace is shown as soon as its root span (no parent) arrives, else once no span of it arrived for --wait',
    "(a function's top span has its parent in the calling service, which reports elsewhere). Spans that",
    'arrive after their trace was shown are shown as late. Colours on a terminal only; NO_COLOR=1 turns',
    'them off, FORCE_COLOR=1 on. A summary (spans, traces, skipped lines by reason) goes to stderr.',
  ].join('\n')],
} satisfies CommandSpec;

const CLOUDWATCH_ONLY = ['since', 'until', 'follow', 'poll', 'region', 'profile'] as const;

export interface TailDependencies {
  cloudWatch?: (target: AwsTarget) => CloudWatchLogsClient;
  /** "Now" for --since/--until and where following starts. */
  now?: () => number;
  pollMs?: number;
}

/** `npm run tail`: see TAIL_SPEC. Resolves the exit code. */
export async function runTail(argv: string[], io: CliIo, deps: TailDependencies = {}): Promise<number> {
  const parsed = parseCommandLine(TAIL_SPEC, argv);
  if (parsed.help) {
    io.stdout.write(parsed.text);
    return 0;
  }
  const { values, positionals } = parsed;
  const groups = [...positionals, ...(values['log-group'] ?? [])];
  const fromStdin = groups.length === 0;
  if (fromStdin) {
    const misplaced = CLOUDWATCH_ONLY.filter((name) => values[name] !== undefined);
    if (misplaced.length > 0) {
      throw new UsageError(`${misplaced.map((n) => `--${n}`).join(', ')} need${misplaced.length === 1 ? 's' : ''} a log group or function name (piped input is shown as it comes)`);
    }
    if (io.stdin.isTTY && !values.stdin) {
      throw new UsageError('nothing to read: name a log group or function (npm run tail -- my-fn), or pipe logs in (sam logs --tail | npm run tail); see --help');
    }
  } else if (values.stdin || values.source !== undefined) {
    throw new UsageError(`${values.stdin ? '--stdin' : '--source'} is for piped input: name no log group with it (lines read from CloudWatch come with theirs)`);
  }
  // Piped lines carry no log group: --source names it, as CloudWatch's events do.
  const pipedSource = values.source === undefined ? undefined : lineSourceOf(logGroupTarget(values.source).name, undefined);
  if (values.until !== undefined && values.follow) throw new UsageError('--until and --follow do not go together');
  const waitMs = parseDuration('--wait', values.wait ?? '2s');
  const now = deps.now ?? Date.now;

  const c = palette(!values.json && colorEnabled(io.stdout, io.env));
  let traces = 0;
  const show = (group: TraceGroup): void => {
    traces++;
    io.stdout.write(values.json ? traceJson(group) : renderTrace(group, { palette: c, tags: values.tags === true }));
  };
  const assembler = new TraceAssembler(show, { waitMs }); // quiet periods in real time
  const intake = new SpanIntake((span) => assembler.add(span));
  const ticker = setInterval(() => assembler.tick(), Math.max(20, Math.min(250, waitMs / 2)));
  const notice = (text: string): void => void io.stderr.write(`tail: ${text}\n`);
  try {
    if (fromStdin) {
      await readText(io, (message) => intake.message(message, pipedSource));
    } else {
      const targets = groups.map(logGroupTarget);
      const client = (deps.cloudWatch ?? createCloudWatchLogsClient)({ region: values.region, profile: values.profile });
      await tailCloudWatch(client, {
        targets,
        startTime: parseTime('--since', values.since ?? '10m', now()),
        endTime: values.until !== undefined ? parseTime('--until', values.until, now()) : undefined,
        follow: values.follow === true,
        poll: values.poll === true,
        pollMs: deps.pollMs,
        signal: io.signal,
        onMessage: (message, origin) => intake.message(message, lineSourceOf(origin.logGroup, origin.logStream)),
        notice,
        now,
      });
    }
  } finally {
    clearInterval(ticker);
    assembler.flush();
  }
  for (const line of intake.summary(traces, assembler.duplicates)) notice(line);
  return 0;
}

async function readText(io: CliIo, onMessage: (message: string) => void): Promise<void> {
  const reader = new LogTextReader();
  const lines = createInterface({ input: io.stdin, crlfDelay: Infinity });
  const stop = (): void => lines.close();
  io.signal.addEventListener('abort', stop, { once: true });
  try {
    for await (const line of lines) for (const message of reader.push(line)) onMessage(message);
    for (const message of reader.end()) onMessage(message);
  } finally {
    io.signal.removeEventListener('abort', stop);
  }
}
