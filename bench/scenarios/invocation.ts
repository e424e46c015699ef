/**
 * Scenario 1: the cost per warm invocation. Each mode and peer runs in its own warm container
 * (a fresh worker process), its stdout a pipe the bench drains; direct mode reports to the
 * LightStep-protocol sink in another process, straight or through the delay proxy.
 */
import * as path from 'node:path';
import type { BenchBundles } from '../lib/bundles';
import type { BenchEventFiles } from '../lib/event';
import { runWorker, type Service } from '../lib/child';
import { startDelayProxy } from '../lib/delay-proxy';
import { formatBytes, formatMs, table } from '../lib/format';
import { bundleFor, envFor, variantsFor, workerNodeArgs, type Variant } from '../lib/modes';
import { progress } from '../lib/progress';
import { distribution, type Distribution } from '../lib/stats';
import type { SinkStats } from '../sink/lightstep-sink';

export const INVOKE_WORKER = path.join(__dirname, '..', 'workers', 'invoke.js');

/** What bench/workers/invoke.js writes. */
export interface InvokeResult {
  initMs: number;
  initCpuMs: number;
  /** Files in require.cache after the bundle loaded, and their bytes. */
  loadedFiles: number;
  loadedBytes: number;
  firstMs: number;
  warmupLatencies: number[];
  latencies: number[];
  timedMs: number;
  timedCpuMs: number;
  mainThreadOnCpuMs: number;
  mainThreadWaitingMs: number;
  gcMs: number;
  gcCount: number;
  heapBefore: number;
  heapAfter: number;
  maxRssKiB: number;
  warnings: string[];
}

export interface InvocationFigures {
  key: string;
  mode: string;
  label: string;
  spans: 1 | 11;
  rttMs: number | null;
  invocations: number;
  warmup: number;
  /** Timed warm invocations, ms. */
  latency: Distribution;
  /** The warm-up window (V8 still tiering the code up), ms. */
  warmupLatency: Distribution | null;
  firstInvocationMs: number;
  /** Process CPU (all threads) per timed invocation, ms. */
  cpuMsPerInvocation: number;
  gcMsPerInvocation: number;
  /** Share of the timed phase the main thread spent runnable but waiting for a CPU (machine noise). */
  mainThreadWaitingShare: number;
  stdoutBytesPerInvocation: number;
  stdoutLinesPerInvocation: number;
  /** Direct mode: bytes the sink read off its sockets per invocation (HTTP headers included). */
  networkBytesPerInvocation: number;
  /** Direct mode: spans the sink decoded in the timed phase, of spans × invocations sent. */
  spansReceived: number | null;
  heapGrowthBytes: number;
  maxRssKiB: number;
  warnings: number;
  warningText: string[];
  /** Added over `none` with the same number of spans, ms (difference of the percentiles). */
  added: { p50: number; p99: number; p999: number; mean: number; cpu: number } | null;
}

export async function runInvocationScenario(
  bundles: BenchBundles,
  events: BenchEventFiles,
  sink: Service,
  options: { invocations: number; warmup: number; rttMs: number[]; spans: Array<1 | 11> },
): Promise<InvocationFigures[]> {
  const figures: InvocationFigures[] = [];
  const proxy = await startDelayProxy(sink.port);
  try {
    for (const spans of options.spans) {
      for (const variant of variantsFor(options.rttMs)) {
        progress(`invocation: ${variant.label}, ${spans} span(s), ${options.warmup} warm-up + ${options.invocations} timed`);
        figures.push(await runVariant(bundles, events, sink, proxy, variant, spans, options));
      }
    }
  } finally {
    await proxy.close();
  }
  for (const f of figures) {
    const none = figures.find((g) => g.mode === 'none' && g.spans === f.spans);
    if (none === undefined || f.mode === 'none') continue;
    f.added = {
      p50: f.latency.p50 - none.latency.p50,
      p99: f.latency.p99 - none.latency.p99,
      p999: f.latency.p999 - none.latency.p999,
      mean: f.latency.mean - none.latency.mean,
      cpu: f.cpuMsPerInvocation - none.cpuMsPerInvocation,
    };
  }
  return figures;
}

async function runVariant(
  bundles: BenchBundles,
  events: BenchEventFiles,
  sink: Service,
  proxy: Awaited<ReturnType<typeof startDelayProxy>>,
  variant: Variant,
  spans: 1 | 11,
  options: { invocations: number; warmup: number },
): Promise<InvocationFigures> {
  const direct = variant.mode === 'direct';
  const port = !direct ? undefined : variant.rttMs === undefined ? sink.port : proxy.port;
  proxy.setRttMs(0); // warm-up through the proxy at loopback speed; the RTT plays in the timed phase
  let sinkAtTimed: Promise<unknown> = Promise.resolve();
  const run = await runWorker<InvokeResult>(INVOKE_WORKER, {
    nodeArgs: workerNodeArgs(),
    env: {
      ...envFor(variant.mode, spans, events, port),
      BENCH_MODULE: bundleFor(bundles, variant.mode, spans).file,
      BENCH_WARMUP: String(options.warmup),
      BENCH_INVOCATIONS: String(options.invocations),
      BENCH_SYNC_PHASES: '1',
    },
    onMessage: async () => {
      if (variant.rttMs !== undefined) proxy.setRttMs(variant.rttMs);
      sinkAtTimed = sink.request({ type: 'reset' });
      await sinkAtTimed;
      return { go: true };
    },
  });
  const sinkStats = await sink.request<SinkStats>({ type: 'stats' });
  const r = run.result;
  const n = r.latencies.length;
  const timedOut = run.stdout.timed ?? { bytes: 0, lines: 0 };
  const stderrWarnings = run.stderrLines.filter((line) => /warning/i.test(line));
  return {
    key: variant.key,
    mode: variant.mode,
    label: variant.label,
    spans,
    rttMs: variant.rttMs ?? (direct ? 0 : null),
    invocations: n,
    warmup: r.warmupLatencies.length,
    latency: distribution(r.latencies),
    warmupLatency: r.warmupLatencies.length > 0 ? distribution(r.warmupLatencies) : null,
    firstInvocationMs: r.firstMs,
    cpuMsPerInvocation: r.timedCpuMs / n,
    gcMsPerInvocation: r.gcMs / n,
    mainThreadWaitingShare: r.mainThreadWaitingMs / r.timedMs,
    stdoutBytesPerInvocation: timedOut.bytes / n,
    stdoutLinesPerInvocation: timedOut.lines / n,
    networkBytesPerInvocation: direct ? sinkStats.wireBytes / n : 0,
    spansReceived: direct ? sinkStats.spans : null,
    heapGrowthBytes: r.heapAfter - r.heapBefore,
    maxRssKiB: r.maxRssKiB,
    warnings: Math.max(r.warnings.length, stderrWarnings.length),
    warningText: [...new Set([...r.warnings, ...stderrWarnings])].slice(0, 5),
    added: null,
  };
}

export function printInvocation(figures: InvocationFigures[]): string {
  const out: string[] = [];
  for (const spans of [...new Set(figures.map((f) => f.spans))]) {
    const rows = figures.filter((f) => f.spans === spans);
    const n = rows[0]?.invocations ?? 0;
    const warm = rows[0]?.warmup ?? 0;
    out.push(`\n### ${spans === 1 ? 'The demo handler (1 span per invocation)' : '11 spans per invocation (the demo handler + 10 child spans, two tags each)'}: ${n} timed warm invocations per mode after ${warm} warm-up`);
    out.push(
      table(
        ['mode', 'p50:', 'p99:', 'p99.9:', '+p50 over none:', '+p99:', '+p99.9:', 'CPU / inv:', 'stdout / inv:', 'network / inv:', 'heap growth:', 'warnings:'],
        rows.map((f) => [
          f.label,
          formatMs(f.latency.p50),
          formatMs(f.latency.p99),
          formatMs(f.latency.p999),
          f.added ? formatMs(f.added.p50) : '',
          f.added ? formatMs(f.added.p99) : '',
          f.added ? formatMs(f.added.p999) : '',
          formatMs(f.cpuMsPerInvocation),
          formatBytes(f.stdoutBytesPerInvocation),
          f.mode === 'direct' ? formatBytes(f.networkBytesPerInvocation) : '',
          formatBytes(f.heapGrowthBytes),
          f.warnings,
        ]),
      ),
    );
    const lost = rows.filter((f) => f.spansReceived !== null && f.spansReceived !== f.spans * f.invocations);
    out.push(
      lost.length === 0
        ? `direct mode: the sink decoded every span sent in the timed phase (${spans} × ${n} per mode).`
        : `direct mode: SPANS MISSING at the sink: ${lost.map((f) => `${f.label} ${f.spansReceived} of ${f.spans * f.invocations}`).join('; ')}`,
    );
    const waits = rows.map((f) => f.mainThreadWaitingShare).filter(Number.isFinite);
    if (waits.length > 0) out.push(`main thread runnable but waiting for a CPU: ${(Math.min(...waits) * 100).toFixed(1)}–${(Math.max(...waits) * 100).toFixed(1)}% of the timed phase (other processes on this machine).`);
  }
  out.push('\n### Tier-up: the same containers before they were warm');
  out.push(
    table(
      ['mode', 'spans:', 'first invocation:', 'warm-up p50:', 'warm-up p99:', 'warm-up p99 / p50:', 'timed p99 / p50:'],
      figures
        .filter((f) => f.warmupLatency !== null && (f.rttMs === null || f.rttMs === 0))
        .map((f) => [
          f.label,
          f.spans,
          formatMs(f.firstInvocationMs),
          f.warmupLatency ? formatMs(f.warmupLatency.p50) : '–',
          f.warmupLatency ? formatMs(f.warmupLatency.p99) : '–',
          f.warmupLatency ? (f.warmupLatency.p99 / f.warmupLatency.p50).toFixed(1) : '–',
          (f.latency.p99 / f.latency.p50).toFixed(1),
        ]),
    ),
  );
  return out.join('\n');
}
