/**
 * Scenario 2: the cold start. For every mode and peer, fresh worker processes that require the
 * bundle (the INIT phase Lambda now bills) and run one invocation. The median of the runs is
 * reported; Node's own start-up, the same for every mode, is not in the figures.
 */
import type { BenchBundles } from '../lib/bundles';
import type { BenchEventFiles } from '../lib/event';
import { runWorker, type Service } from '../lib/child';
import { formatBytes, formatMs, table } from '../lib/format';
import { bundleFor, envFor, MODES, workerNodeArgs, type ModeId } from '../lib/modes';
import { progress } from '../lib/progress';
import { median } from '../lib/stats';
import { INVOKE_WORKER, type InvokeResult } from './invocation';

export interface ColdStartFigures {
  mode: ModeId;
  label: string;
  runs: number;
  bundleBytes: number;
  sourceMapBytes: number;
  /** Files and bytes the require loaded, the bundle included (dd-trace loads its package from node_modules, as from its layer). */
  loadedFiles: number;
  loadedBytes: number;
  /** Median over the runs, ms (with --enable-source-maps, as SAM sets it for Sourcemap: true). */
  initMs: number;
  /** The same require without --enable-source-maps (what the source maps cost at INIT). */
  initWithoutSourceMapsMs: number;
  initCpuMs: number;
  firstInvocationMs: number;
  /** init + first invocation, ms. */
  coldMs: number;
  /** Over `none`, ms. */
  addedInitMs: number | null;
  addedColdMs: number | null;
  /** Bytes the function wrote on stdout during init and its first invocation. */
  coldStdoutBytes: number;
  maxRssKiB: number;
}

export async function runColdStartScenario(bundles: BenchBundles, events: BenchEventFiles, sink: Service, runs: number): Promise<ColdStartFigures[]> {
  const figures: ColdStartFigures[] = [];
  for (const { id, label } of MODES) {
    progress(`cold start: ${label}, ${runs} fresh process(es)`);
    const bundle = bundleFor(bundles, id, 1);
    const results: Array<{ r: InvokeResult; stdoutBytes: number }> = [];
    const withoutMaps: number[] = [];
    for (let i = 0; i < runs; i++) {
      for (const sourceMaps of [true, false]) {
        const run = await runWorker<InvokeResult>(INVOKE_WORKER, {
          nodeArgs: workerNodeArgs(sourceMaps),
          env: { ...envFor(id, 1, events, sink.port), BENCH_MODULE: bundle.file, BENCH_WARMUP: '0', BENCH_INVOCATIONS: '0' },
        });
        if (!sourceMaps) {
          withoutMaps.push(run.result.initMs);
          continue;
        }
        const stdoutBytes = (run.stdout.init?.bytes ?? 0) + (run.stdout.first?.bytes ?? 0);
        results.push({ r: run.result, stdoutBytes });
      }
    }
    const initMs = median(results.map(({ r }) => r.initMs));
    const firstInvocationMs = median(results.map(({ r }) => r.firstMs));
    figures.push({
      mode: id,
      label,
      runs,
      bundleBytes: bundle.bytes,
      sourceMapBytes: bundle.sourceMapBytes,
      loadedFiles: results[0].r.loadedFiles,
      loadedBytes: results[0].r.loadedBytes,
      initMs,
      initWithoutSourceMapsMs: median(withoutMaps),
      initCpuMs: median(results.map(({ r }) => r.initCpuMs)),
      firstInvocationMs,
      coldMs: median(results.map(({ r }) => r.initMs + r.firstMs)),
      addedInitMs: null,
      addedColdMs: null,
      coldStdoutBytes: median(results.map(({ stdoutBytes }) => stdoutBytes)),
      maxRssKiB: median(results.map(({ r }) => r.maxRssKiB)),
    });
  }
  const none = figures.find((f) => f.mode === 'none')!;
  for (const f of figures) {
    if (f === none) continue;
    f.addedInitMs = f.initMs - none.initMs;
    f.addedColdMs = f.coldMs - none.coldMs;
  }
  return figures;
}

export function printColdStart(figures: ColdStartFigures[]): string {
  const runs = figures[0]?.runs ?? 0;
  return [
    `\n## Cold start: a fresh process requires the bundle and runs its first invocation (median of ${runs}; with --enable-source-maps as SAM sets it, and the require again without)`,
    table(
      ['mode', 'bundle:', 'loaded at init:', 'require (INIT):', 'INIT CPU:', 'without source maps:', 'first invocation:', 'cold total:', '+ over none:', 'stdout at cold start:', 'peak RSS:'],
      figures.map((f) => [
        f.label,
        `${formatBytes(f.bundleBytes)} (+ ${formatBytes(f.sourceMapBytes)} map)`,
        `${f.loadedFiles} files, ${formatBytes(f.loadedBytes)}`,
        formatMs(f.initMs),
        formatMs(f.initCpuMs),
        formatMs(f.initWithoutSourceMapsMs),
        formatMs(f.firstInvocationMs),
        formatMs(f.coldMs),
        f.addedColdMs === null ? '' : formatMs(f.addedColdMs),
        formatBytes(f.coldStdoutBytes),
        formatBytes(f.maxRssKiB * 1024),
      ]),
    ),
  ].join('\n');
}
