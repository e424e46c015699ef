/**
 * `npm run replay:cloudwatch -- --log-group /aws/lambda/my-fn --since 2h [--until <date>]`
 *
 * Reads the span lines of a time window from CloudWatch Logs (AWS credentials and region from
 * the usual SDK chain) and forwards them to LightStep with the forwarder's own code, configured
 * like the forwarder Lambda: LIGHTSTEP_ACCESS_TOKEN (or LIGHTSTEP_ACCESS_TOKEN_PARAMETER),
 * LIGHTSTEP_COLLECTOR_HOST, LIGHTSTEP_COLLECTOR_PORT, LIGHTSTEP_COLLECTOR_ENCRYPTION.
 */
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { describeTarget, loadLightStepTarget } from '../lightstep/target';
import { forwardSubscriptionEvent } from '../log-span-forwarder/handler';
import { LightStepExporter } from '../log-span-forwarder/lightstep-exporter';
import { parseArgs, parseSince } from './args';
import { replayFromCloudWatch } from './cloudwatch-replay';

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2), { 'log-group': 'string', since: 'string', until: 'string' });
  if (typeof args['log-group'] !== 'string') throw new Error('--log-group is required');
  if (typeof args.since !== 'string') throw new Error('--since is required (e.g. 2h, or a date)');
  const target = await loadLightStepTarget(process.env);
  const exporter = new LightStepExporter(target);
  try {
    const summary = await replayFromCloudWatch(
      new CloudWatchLogsClient({}),
      {
        logGroupName: args['log-group'],
        startTime: parseSince(args.since),
        endTime: typeof args.until === 'string' ? parseSince(args.until) : undefined,
      },
      (event) => forwardSubscriptionEvent(event, exporter, () => undefined),
    );
    console.log(`replayed ${summary.batches} batches: ${summary.received} lines read, ${summary.forwarded} spans forwarded to ${describeTarget(target)}`);
  } finally {
    await exporter.shutdown();
  }
}

main().catch((error: Error) => {
  console.error(`replay:cloudwatch: ${error.message}`);
  process.exit(1);
});
