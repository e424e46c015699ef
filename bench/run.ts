/**
 * npm run bench — what tracing costs a Lambda function, log mode against direct reporting over
 * a real network and against two peers, and what that means in dollars. `--help` for the flags.
 *
 * Scenarios live in bench/scenarios (one file each), shared helpers in bench/lib, the handlers
 * every mode runs in bench/handlers (bundled like `sam build`), the processes they run in in
 * bench/workers and bench/sink. Figures compare parts of the same run; the header and the JSON
 * record the machine, Node version, date and load.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { PROJECT_ROOT } from '../scripts/build';
import { HELP, parseBenchArgs, SCENARIOS, type BenchOptions, type Scenario } from './lib/args';
import { buildBenchBundles } from './lib/bundles';
import { dollarsChart, overheadChart } from './lib/charts';
import { startService, type Service } from './lib/child';
import { writeBenchEvents } from './lib/event';
import { describeMachine, load, type Machine } from './lib/machine';
import { setWorkerFlags } from './lib/modes';
import { progress } from './lib/progress';
import { printBytes, runBytesScenario, type BytesFigures } from './scenarios/bytes';
import { printColdStart, runColdStartScenario, type ColdStartFigures } from './scenarios/cold-start';
import { computeDollars, printDollars, type DollarFigures } from './scenarios/dollars';
import { printEmit, runEmitScenario, type EmitFigures } from './scenarios/emit';
import { FORWARDER_MIN_WARMUP_EVENTS, FORWARDER_TIMED_SPANS, printForwarder, runForwarderScenario, type ForwarderFigures } from './scenarios/forwarder';
import { printInvocation, runInvocationScenario, type InvocationFigures } from './scenarios/invocation';
import { benchOtlpEncode, printOtlpEncode } from './scenarios/otlp-encode';

export interface BenchResults {
  schema: 1;
  machine: Machine;
  options: Omit<BenchOptions, 'outDir' | 'chartsFrom'>;
  scenarios: Scenario[];
  invocation?: InvocationFigures[];
  cold?: ColdStartFigures[];
  bytes?: BytesFigures[];
  forwarder?: ForwarderFigures[];
  dollars?: DollarFigures;
  emit?: EmitFigures;
  otlp?: Awaited<ReturnType<typeof benchOtlpEncode>>;
}

const SINK_SERVICE = path.join(__dirname, 'sink', 'lightstep-sink.ts');

async function main(): Promise<void> {
  const parsed = parseBenchArgs(process.argv.slice(2), PROJECT_ROOT);
  if (parsed === 'help') {
    console.log(HELP);
    return;
  }
  if (parsed.chartsFrom !== undefined) {
    writeCharts(JSON.parse(readFileSync(parsed.chartsFrom, 'utf8')) as BenchResults, path.dirname(parsed.chartsFrom));
    return;
  }
  const options = parsed;
  setWorkerFlags(options.workerFlags);
  // Dollars are computed from the other scenarios' figures: it runs them.
  const run = new Set<Scenario>(options.only.includes('dollars') ? [...options.only, 'invocation', 'cold', 'bytes', 'forwarder'] : options.only);
  const scenarios = SCENARIOS.filter((s) => run.has(s));
  const machine = describeMachine();
  const { outDir, chartsFrom: _chartsFrom, ...recorded } = options;
  const results: BenchResults = { schema: 1, machine, options: recorded, scenarios };
  console.log(
    `# bench — ${machine.date} — Node ${machine.node} — ${machine.cpus} × ${machine.cpuModel} — ${machine.platform} ${machine.arch} — ${machine.memoryGiB} GiB — load ${load()}`,
  );
  console.log(
    `scenarios: ${scenarios.join(', ')}; ${options.warmup} warm-up + ${options.invocations} timed invocations per mode; RTT ${options.rttMs.join(' / ')} ms${options.workerFlags.length > 0 ? `; worker flags ${options.workerFlags.join(' ')}` : ''}`,
  );

  const needsHandlers = scenarios.some((s) => s !== 'emit');
  let sink: Service | undefined;
  try {
    if (needsHandlers) {
      progress('building the bundles (esbuild, as sam build makes them)');
      const bundles = await buildBenchBundles();
      const events = writeBenchEvents();
      sink = await startService(SINK_SERVICE);
      if (run.has('invocation')) {
        results.invocation = await runInvocationScenario(bundles, events, sink, options);
        console.log(`\n## Per warm invocation: added latency, CPU, bytes, heap, warnings (load ${load()})`);
        console.log(printInvocation(results.invocation));
      }
      if (run.has('cold')) {
        results.cold = await runColdStartScenario(bundles, events, sink, options.coldRuns);
        console.log(printColdStart(results.cold));
      }
      if (run.has('bytes')) {
        results.bytes = await runBytesScenario(bundles, events, sink, options.bytesInvocations, options.spans);
        console.log(printBytes(results.bytes));
      }
      if (run.has('forwarder')) {
        results.forwarder = await runForwarderScenario(bundles, sink, { repeats: options.forwarderRepeats, warmupSpans: options.quick ? 1 : 20_000, timedSpans: options.quick ? 0 : FORWARDER_TIMED_SPANS, minWarmupEvents: options.quick ? 3 : FORWARDER_MIN_WARMUP_EVENTS, sizes: options.forwarderSizes });
        console.log(printForwarder(results.forwarder));
      }
      if (run.has('dollars') && results.invocation) {
        results.dollars = computeDollars({ invocation: results.invocation, bytes: results.bytes, cold: results.cold, forwarder: results.forwarder, coldStartRate: options.coldStartRate });
        console.log(printDollars(results.dollars));
      }
    }
    if (run.has('emit')) {
      progress(`emit: ${options.emitIterations} span lines per row`);
      results.emit = await runEmitScenario(options.emitIterations);
      console.log(printEmit(results.emit));
    }
    if (run.has('otlp')) {
      progress('otlp: the OTLP sink on 1,000-span request bodies, and the handler end to end');
      results.otlp = await benchOtlpEncode(1000, options.quick ? 3 : 30);
      console.log('\n## The OTLP sink: one request body of 1000 spans, and the handler end to end');
      printOtlpEncode(results.otlp);
    }
  } finally {
    await sink?.stop();
  }

  machine.loadAtEnd = describeMachine().loadAtStart;
  console.log(`\nload average at the end: ${machine.loadAtEnd.join(' / ')} (start: ${machine.loadAtStart.join(' / ')}; ${machine.cpus} CPUs)`);
  writeResults(results, outDir, scenarios.length === SCENARIOS.length);
}

function writeResults(results: BenchResults, outDir: string, full: boolean): void {
  mkdirSync(outDir, { recursive: true });
  const file = path.join(outDir, full ? 'latest.json' : `only-${results.scenarios.join('-')}.json`);
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  progress(`figures written to ${path.relative(process.cwd(), file)}`);
  if (!full) return;
  writeCharts(results, outDir);
}

/** The README's charts from a run's figures (also `--charts-from FILE`: redraw them from a saved run). */
function writeCharts(results: BenchResults, outDir: string): void {
  const m = results.machine;
  const subtitle = `npm run bench, ${m.date.slice(0, 10)}, Node ${m.node}, ${m.cpus} × ${m.cpuModel}, load ${m.loadAtStart[0]} → ${m.loadAtEnd?.[0] ?? '?'}`;
  const charts: Array<[string, string | null]> = [
    ['overhead-by-mode.svg', results.invocation ? overheadChart(results.invocation, 1, subtitle) : null],
    ['overhead-by-mode-11-spans.svg', results.invocation ? overheadChart(results.invocation, 11, subtitle) : null],
    ['dollars-by-memory.svg', results.dollars ? dollarsChart(results.dollars, 1, subtitle) : null],
    ['dollars-by-memory-11-spans.svg', results.dollars ? dollarsChart(results.dollars, 11, subtitle) : null],
  ];
  for (const [name, svg] of charts) {
    if (svg === null) continue;
    writeFileSync(path.join(outDir, name), svg);
    progress(`chart written to ${path.relative(process.cwd(), path.join(outDir, name))}`);
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
