/**
 * `npm run replay:cloudwatch` (bin `llt-replay-cloudwatch`): a time window of a log group's span
 * lines forwarded to LightStep again. `--help` says how; replay-cloudwatch-command.ts does it.
 */
import { runAsProcess } from './cli-io';
import { runReplayCloudWatch } from './replay-cloudwatch-command';

runAsProcess('replay:cloudwatch', runReplayCloudWatch);
