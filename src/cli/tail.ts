/**
 * `npm run tail` (bin `llt-tail`): span lines as trace trees, from piped logs or CloudWatch Logs.
 * `npm run tail -- --help` says how; src/cli/tail-command.ts does it.
 */
import { runAsProcess } from './cli-io';
import { runTail } from './tail-command';

runAsProcess('tail', runTail);
