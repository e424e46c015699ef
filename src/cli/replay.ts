/**
 * `npm run replay` (bin `llt-replay`): dead letters fed back through the real forwarder.
 * `--help` says how; replay-command.ts does it.
 */
import { runAsProcess } from './cli-io';
import { runReplay } from './replay-command';

runAsProcess('replay', runReplay, 2); // 1 means: some lines were not replayed
