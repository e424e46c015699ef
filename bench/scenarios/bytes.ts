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
import { bundleFor, envFor, MODES, workerNodeArgs, type LogFormat, type ModeId } from '../lib/modes';
import { progress } from '../lib/progress';
import type { SinkStats } from '../sink/lightstep-sink';
import { INVOKE_WORKER, type InvokeResult } from './invocation';

export interface BytesFigures {
  /** The mode, and for log mode under JSON log format with a WARN filter `log-json-warn`. */
  key: string;
  mode: ModeId;
  /** Lambda's log format for this row (`json-warn`: AWS_LAMBDA_LOG_FORMAT=JSON, AWS_LAMBDA_LOG_LEVEL=WARN). */
  logFormat: LogFormat;
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
    for (const { id, label, key, logFormat } of bytesRows()) {
      progress(`bytes: ${label}, ${spans} span(s), ${invocations} invocations`);
      const run = await runWorker<InvokeResult>(INVOKE_WORKER, {
        nodeArgs: workerNodeArgs(),
        env: {
          ...envFor(id, spans, events, sink.port, logFormat),
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
        key,
        mode: id,
        logFormat,
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

/** Every mode but none, and log mode a second time under JSON log format with a WARN filter (its lines carry level and timestamp). */
function bytesRows(): Array<{ id: ModeId; label: string; key: string; logFormat: LogFormat }> {
  const rows: Array<{ id: ModeId; label: string; key: string; logFormat: LogFormat }> = [];
  for (const { id, label } of MODES) {
    if (id === 'none') continue;
    rows.push({ id, label, key: id, logFormat: 'text' });
    if (id === 'log') rows.push({ id, label: 'log, JSON log format + WARN filter (level + timestamp)', key: 'log-json-warn', logFormat: 'json-warn' });
  }
  return rows;
}

/** The targets for log mode's stdout: [limit, aim], bytes. */
export const BYTES_TARGETS = {
  /** The article invocation: the demo handler's one span. */
  onePerInvocation: { limit: 250, aim: 200 },
  elevenPerSpan: { limit: 90, aim: 60 },
} as const;

const verdict = (value: number | undefined, target: { limit: number; aim: number }): string =>
  value === undefined || !Number.isFinite(value) ? '–' : value <= target.aim ? 'met (and the aim)' : value <= target.limit ? 'met (not the aim)' : 'NOT MET';

export function printBytes(figures: BytesFigures[]): string {
  const keyOf = (f: BytesFigures) => f.key ?? f.mode; // runs saved before the key existed
  const modes = [...new Set(figures.map(keyOf))];
  const at = (key: string, spans: 1 | 11) => figures.find((f) => keyOf(f) === key && f.spans === spans);
  const rows = modes.map((key) => {
    const mode = (at(key, 1) ?? at(key, 11))!.mode;
    const one = at(key, 1);
    const eleven = at(key, 11);
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
  const stdoutKeys = modes.filter((key) => key !== 'direct');
  const one = (key: string) => at(key, 1)?.stdoutBytesPerInvocation;
  const elevenPerSpan = (key: string) => at(key, 11)?.stdoutBytesPerSpan;
  const labelOf = (key: string) => (at(key, 1) ?? at(key, 11))!.label;
  const { onePerInvocation: t1, elevenPerSpan: t11 } = BYTES_TARGETS;
  const targetRows = stdoutKeys.map((key) => [
    labelOf(key),
    one(key) === undefined ? '–' : formatBytes(one(key)!),
    key.startsWith('log') ? verdict(one(key), t1) : '(peer)',
    elevenPerSpan(key) === undefined ? '–' : formatBytes(elevenPerSpan(key)!),
    key.startsWith('log') ? verdict(elevenPerSpan(key), t11) : '(peer)',
  ]);
  return [
    `\n## Bytes per span: what each mode writes per warm invocation (${n} invocations each; stdout is what CloudWatch Logs ingests)`,
    table(['mode', '1 span, per inv.:', 'per span:', '11 spans, per inv.:', 'per span:', 'each extra span:', 'log lines (1 / 11 spans):'], rows),
    `\nTargets for log mode's stdout (the issue): the article invocation (the demo handler, 1 span) ≤ ${t1.limit} B (aim ${t1.aim} B); 11 spans ≤ ${t11.limit} B per span (aim ${t11.aim} B). The peers, from the same run, for comparison.`,
    table(['mode', `1 span, per inv. (≤ ${t1.limit} B, aim ${t1.aim}):`, 'target:', `11 spans, per span (≤ ${t11.limit} B, aim ${t11.aim}):`, 'target:'], targetRows),
    "Every function worker runs with Lambda's variables (AWS_LAMBDA_FUNCTION_NAME / _VERSION, AWS_LAMBDA_LOG_GROUP_NAME / _STREAM_NAME in Lambda's shapes), so log mode leaves out the function name and version the log group and stream carry, as on Lambda. The peers have no JSON + WARN row: whether Lambda's filter keeps their lines depends on their own level field, which this bench does not check.",
  ].join('\n');
}
