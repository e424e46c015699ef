/**
 * Scenario 3: bytes per span, the ingestion bill of log mode and of the peers that log. Every
 * mode and peer runs the same invocations at 1 and at 11 spans; stdout is counted where Lambda
 * counts it (the reading end of the pipe), direct mode's reports where the sink reads them.
 * Run alone with `npm run bench -- --only bytes`.
 */
import type { BenchBundles } from '../lib/bundles';
import type { BenchEventFiles } from '../lib/event';
import { runWorker, type Service } from '../lib/child';
import { formatBytes, table } from '../lib/format';
import { bundleFor, envFor, MODES, workerNodeArgs, type ModeId } from '../lib/modes';
import { progress } from '../lib/progress';
import type { SinkStats } from '../sink/lightstep-sink';
import { INVOKE_WORKER, type InvokeResult } from './invocation';

export interface BytesFigures {
  mode: ModeId;
  label: string;
  spans: 1 | 11;
  invocations: number;
  /** What CloudWatch Logs ingests: stdout bytes (newlines included) per warm invocation. */
  stdoutBytesPerInvocation: number;
  stdoutBytesPerSpan: number;
  linesPerInvocation: number;
  /** Direct mode: request bodies (protobuf) and everything on the socket (HTTP included), per invocation. */
  reportBodyBytesPerInvocation: number;
  networkBytesPerInvocation: number;
  /** The first line the mode wrote in the measured invocations (cut at 8 KiB). */
  sampleLine: string | null;
}

export async function runBytesScenario(bundles: BenchBundles, events: BenchEventFiles, sink: Service, invocations: number, spanShapes: Array<1 | 11>): Promise<BytesFigures[]> {
  const figures: BytesFigures[] = [];
  for (const spans of spanShapes) {
    for (const { id, label } of MODES) {
      if (id === 'none') continue;
      progress(`bytes: ${label}, ${spans} span(s), ${invocations} invocations`);
      const run = await runWorker<InvokeResult>(INVOKE_WORKER, {
        nodeArgs: workerNodeArgs(),
        env: {
          ...envFor(id, spans, events, sink.port),
          BENCH_MODULE: bundleFor(bundles, id, spans).file,
          BENCH_WARMUP: '2',
          BENCH_INVOCATIONS: String(invocations),
          BENCH_SYNC_PHASES: '1',
        },
        onMessage: async () => {
          await sink.request({ type: 'reset' });
          return { go: true };
        },
      });
      const sinkStats = await sink.request<SinkStats>({ type: 'stats' });
      const out = run.stdout.timed ?? { bytes: 0, lines: 0 };
      const n = run.result.latencies.length;
      if (id === 'direct' && sinkStats.spans !== n * spans) throw new Error(`bytes: the sink decoded ${sinkStats.spans} spans of ${n * spans} sent`);
      figures.push({
        mode: id,
        label,
        spans,
        invocations: n,
        stdoutBytesPerInvocation: out.bytes / n,
        stdoutBytesPerSpan: out.bytes / n / spans,
        linesPerInvocation: out.lines / n,
        reportBodyBytesPerInvocation: id === 'direct' ? sinkStats.bodyBytes / n : 0,
        networkBytesPerInvocation: id === 'direct' ? sinkStats.wireBytes / n : 0,
        sampleLine: out.firstLine ?? null,
      });
    }
  }
  return figures;
}

export function printBytes(figures: BytesFigures[]): string {
  const modes = [...new Set(figures.map((f) => f.mode))];
  const at = (mode: ModeId, spans: 1 | 11) => figures.find((f) => f.mode === mode && f.spans === spans);
  const rows = modes.map((mode) => {
    const one = at(mode, 1);
    const eleven = at(mode, 11);
    const perExtraSpan = one && eleven ? (eleven.stdoutBytesPerInvocation - one.stdoutBytesPerInvocation) / 10 : NaN;
    const label = (one ?? eleven)!.label;
    if (mode === 'direct') {
      return [
        `${label}: HTTP on the network, not ingested`,
        one ? formatBytes(one.networkBytesPerInvocation) : '–',
        one ? formatBytes(one.networkBytesPerInvocation) : '–',
        eleven ? formatBytes(eleven.networkBytesPerInvocation) : '–',
        eleven ? formatBytes(eleven.networkBytesPerInvocation / 11) : '–',
        one && eleven ? formatBytes((eleven.networkBytesPerInvocation - one.networkBytesPerInvocation) / 10) : '–',
        `protobuf bodies ${one ? formatBytes(one.reportBodyBytesPerInvocation) : '–'} / ${eleven ? formatBytes(eleven.reportBodyBytesPerInvocation) : '–'}`,
      ];
    }
    return [
      label,
      one ? formatBytes(one.stdoutBytesPerInvocation) : '–',
      one ? formatBytes(one.stdoutBytesPerSpan) : '–',
      eleven ? formatBytes(eleven.stdoutBytesPerInvocation) : '–',
      eleven ? formatBytes(eleven.stdoutBytesPerSpan) : '–',
      Number.isFinite(perExtraSpan) ? formatBytes(perExtraSpan) : '–',
      `${(one ?? eleven)!.linesPerInvocation.toFixed(0)} / ${eleven ? eleven.linesPerInvocation.toFixed(0) : '–'}`,
    ];
  });
  const n = figures[0]?.invocations ?? 0;
  return [
    `\n## Bytes per span: what each mode writes per warm invocation (${n} invocations each; stdout is what CloudWatch Logs ingests)`,
    table(['mode', '1 span, per inv.:', 'per span:', '11 spans, per inv.:', 'per span:', 'each extra span:', 'log lines (1 / 11 spans):'], rows),
  ].join('\n');
}
