/**
 * Shows a function's spans as readable lines.
 *
 *   npm run tail -- --log-group /aws/lambda/my-fn [--since 10m] [--follow]   (CloudWatch Logs)
 *   sam logs -n TracedFunction --tail | npm run tail -- --stdin               (sam's output)
 *
 * Only span lines are shown; everything else is counted by reason on exit (Ctrl-C).
 */
import { createInterface } from 'node:readline';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { decodeSpanLine, type SkipReason } from '../span-line';
import { parseArgs, parseSince } from './args';
import { fetchSpanEvents } from './cloudwatch-span-events';
import { formatSpan } from './format-span';
import { SamLogsReader } from './sam-logs-reader';

const POLL_MS = 2000;

export class SpanPrinter {
  readonly skipped: Partial<Record<SkipReason, number>> = {};
  printed = 0;
  constructor(private readonly write: (line: string) => void) {}

  message(message: string): void {
    const decoded = decodeSpanLine(message);
    if (decoded.ok) {
      this.printed++;
      this.write(formatSpan(decoded.span) + (decoded.truncated ? ' (truncated)' : ''));
    } else {
      this.skipped[decoded.reason] = (this.skipped[decoded.reason] ?? 0) + 1;
    }
  }
}

async function tailStdin(printer: SpanPrinter): Promise<void> {
  const reader = new SamLogsReader();
  for await (const line of createInterface({ input: process.stdin })) {
    const event = reader.push(line);
    if (event) printer.message(event.message);
  }
  const last = reader.end();
  if (last) printer.message(last.message);
}

export async function tailCloudWatch(
  client: CloudWatchLogsClient,
  printer: SpanPrinter,
  options: { logGroupName: string; startTime: number; follow: boolean; signal?: AbortSignal; pollMs?: number },
): Promise<void> {
  // Ids of events already printed, with their timestamps: only the re-read window needs them.
  const seen = new Map<string, number>();
  let startTime = options.startTime;
  for (;;) {
    let newest = startTime;
    for await (const event of fetchSpanEvents(client, { logGroupName: options.logGroupName, startTime })) {
      if (seen.has(event.id)) continue;
      seen.set(event.id, event.timestamp);
      newest = Math.max(newest, event.timestamp);
      printer.message(event.message);
    }
    if (!options.follow || options.signal?.aborted) return;
    // Events can arrive late by a few seconds: re-read the last window and skip what was seen.
    startTime = Math.max(startTime, newest - 10_000);
    for (const [id, timestamp] of seen) if (timestamp < startTime) seen.delete(id); // a follow runs for hours
    await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? POLL_MS));
    if (options.signal?.aborted) return;
  }
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2), { 'log-group': 'string', since: 'string', follow: 'flag', stdin: 'flag' });
  const printer = new SpanPrinter((line) => process.stdout.write(line + '\n'));
  const summary = (): void => {
    process.stderr.write(`${printer.printed} spans; skipped ${JSON.stringify(printer.skipped)}\n`);
  };
  process.on('SIGINT', () => {
    summary();
    process.exit(0);
  });
  if (args.stdin) {
    await tailStdin(printer);
  } else {
    if (typeof args['log-group'] !== 'string') throw new Error('--log-group is required (or --stdin to read `sam logs` output)');
    await tailCloudWatch(new CloudWatchLogsClient({}), printer, {
      logGroupName: args['log-group'],
      startTime: parseSince(typeof args.since === 'string' ? args.since : '10m'),
      follow: args.follow === true,
    });
  }
  summary();
}

if (require.main === module) {
  main().catch((error: Error) => {
    process.stderr.write(`tail: ${error.message}\n`);
    process.exit(1);
  });
}
