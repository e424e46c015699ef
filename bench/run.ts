/**
 * npm run bench — emission cost in the function, log vs direct reporting per invocation, and
 * the forwarder's throughput. Figures are relative to baselines measured in the same run;
 * the header records the machine, Node version and date. Sizes: BENCH_ITERATIONS (emission,
 * default 100000), BENCH_INVOCATIONS (handler, default 500), BENCH_SPANS (forwarder, default 3000).
 */
import * as os from 'node:os';
import { benchEmit } from './emit';
import { benchForwarder } from './forwarder';
import { benchHandlers } from './handler';
import { benchOtlpEncode, printOtlpEncode } from './otlp-encode';
import { formatNs } from './measure';

const rate = (perSecond: number): string => `${Math.round(perSecond).toLocaleString('en-US')} spans/s`;

async function main(): Promise<void> {
  const cpu = os.cpus()[0]?.model ?? 'unknown cpu';
  console.log(`# bench — ${new Date().toISOString()} — Node ${process.version} — ${os.cpus().length} × ${cpu} — ${os.platform()} ${os.arch()} — load ${os.loadavg()[0].toFixed(2)}`);

  console.log('\n## Emitting one span in the function (stdout piped to a fast reader, bursts of 100)');
  const emit = await benchEmit();
  const baseline = emit.results[0].nsPerOp;
  console.log(`typical lambda-execution span line: ${emit.lineBytes} bytes; lines that reached the reader: ${emit.linesRead} of ${emit.linesWritten} written${emit.linesRead === emit.linesWritten ? ' (none lost)' : ' (LOST LINES)'}`);
  console.log('| what | per op | × baseline |');
  console.log('|---|---:|---:|');
  for (const r of emit.results) console.log(`| ${r.name} | ${formatNs(r.nsPerOp)} | ${(r.nsPerOp / baseline).toFixed(2)} |`);
  console.log(`bare fs.writeSync lost ${emit.lostToEagain} of ${emit.attempted} lines to EAGAIN; writes that returned all reached the reader.`);

  const invocations = Number(process.env.BENCH_INVOCATIONS ?? 500);
  console.log(`\n## The demo handler, warm, ${invocations} invocations per mode (esbuild bundles as sam build makes them; direct mode flushes to a loopback collector)`);
  const [log, direct] = await benchHandlers(invocations);
  console.log('| mode | p50 | p99 | mean | require bundle | bundle | warnings |');
  console.log('|---|---:|---:|---:|---:|---:|---:|');
  for (const f of [log, direct]) {
    console.log(`| ${f.mode} | ${formatNs(f.p50 * 1000)} | ${formatNs(f.p99 * 1000)} | ${formatNs(f.mean * 1000)} | ${formatNs(f.loadMicros * 1000)} | ${(f.bundleBytes / 1024).toFixed(0)} KiB | ${f.warnings} |`);
  }
  console.log(`direct / log: p50 × ${(direct.p50 / log.p50).toFixed(1)}, p99 × ${(direct.p99 / log.p99).toFixed(1)}, require × ${(direct.loadMicros / log.loadMicros).toFixed(1)}`);

  const spans = Number(process.env.BENCH_SPANS ?? 3000);
  console.log(`\n## The forwarder on one subscription event of ${spans} span lines`);
  const fwd = await benchForwarder(spans);
  console.log(`payload: ${(fwd.payloadBytes / 1024).toFixed(0)} KiB base64 (${(fwd.payloadBytes / spans).toFixed(0)} B per span after gzip)`);
  console.log('| stage | throughput | × end to end |');
  console.log('|---|---:|---:|');
  const stages: Array<[string, number]> = [
    ['base64 + gunzip + JSON.parse of the payload', fwd.decodePayload],
    ['per-line loop: decodeSpanLine (schema-checked) of every line', fwd.decodeLines],
    ['convert to collector_pb.Span + proto encode', fwd.convert],
    ['whole handler: decode, convert, report to the collector (HTTP + SQLite)', fwd.endToEnd],
  ];
  for (const [name, value] of stages) console.log(`| ${name} | ${rate(value)} | ${(value / fwd.endToEnd).toFixed(1)} |`);

  console.log('\n## The OTLP sink: one request body of 1000 spans, and the handler end to end');
  printOtlpEncode(await benchOtlpEncode());
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
