/**
 * Scenario 5: dollars per million invocations, from this run's figures and bench/prices.ts.
 * What tracing ADDS to a function's bill over the untraced handler:
 *   compute  the added duration, billed per GB-second. Lambda gives a function memory/1769 of a
 *            vCPU, so the added CPU time stretches by 1769/memory below 1,769 MB; time spent
 *            waiting (direct mode's round trip) does not.
 *   ingest   the bytes written to stdout (CloudWatch Logs, Lambda's tiered price; first tier).
 *   INIT     the added cold start, billed since August 2025, times the cold-start rate (not
 *            stretched: INIT is commonly reported to run unthrottled; not confirmed by AWS).
 *   forwarder (log mode only) the forwarder Lambda's compute and requests for the same spans, at
 *            the template's 512 MB arm64, from the 100-lines-per-event figure, and its summary line.
 * Not included: the function's own requests and duration (the same for every mode), data transfer
 * to LightStep (direct mode and the forwarder send about the same bytes: see the network columns),
 * the peers' own forwarders (not measured here).
 */
import { formatDollars, formatMs, table } from '../lib/format';
import { COLD_START_RATE_SOURCE, CPU_MODEL_SOURCE, ingestionUsdPerGB, LAMBDA_LOG_INGESTION, ONE_VCPU_MB, PRICES } from '../prices';
import type { BytesFigures } from './bytes';
import type { ColdStartFigures } from './cold-start';
import type { ForwarderFigures } from './forwarder';
import type { InvocationFigures } from './invocation';

export const MEMORY_SIZES_MB = [128, 1024, 1769] as const;
export const ARCHITECTURES = ['arm64', 'x86_64'] as const;
export type Architecture = (typeof ARCHITECTURES)[number];
const FORWARDER_MEMORY_MB = 512; // template.yaml LogSpanForwarder
const GB = 2 ** 30; // AWS bills GB as 2^30 bytes

export interface DollarInputs {
  invocation: InvocationFigures[];
  bytes?: BytesFigures[];
  cold?: ColdStartFigures[];
  forwarder?: ForwarderFigures[];
  coldStartRate: number;
}

export interface CostRow {
  key: string;
  label: string;
  mode: string;
  spans: 1 | 11;
  rttMs: number | null;
  /** Per million invocations, by `${memory}-${arch}`. */
  cost: Record<string, { total: number; compute: number; ingest: number; init: number; forwarder: number }>;
  /** arm64 total per million invocations from 128 to 3,008 MB, for the chart. */
  curve: Array<[number, number]>;
}

export type CpuModel = 'proportional' | 'full-speed';

export interface BreakEven {
  spans: 1 | 11;
  rttMs: number;
  arch: Architecture;
  /** proportional: added CPU stretched by 1769/memory (AWS's model); full-speed: short bursts run unthrottled. */
  cpuModel: CpuModel;
  /** Smallest memory size (MB) from which log mode costs less than direct mode; null: not up to 10,240 MB. */
  fromMemoryMB: number | null;
}

export interface DollarFigures {
  assumptions: Record<string, string | number>;
  rows: CostRow[];
  breakEven: BreakEven[];
  forwarderPerMillionSpans: Record<Architecture, number> | null;
}

const durationPrice = (arch: Architecture) => (arch === 'arm64' ? PRICES.lambdaDurationArm64.usd : PRICES.lambdaDurationX86.usd);
const cpuStretch = (memoryMB: number, model: CpuModel) => (model === 'proportional' ? Math.max(1, ONE_VCPU_MB / memoryMB) : 1);
/** Billed ms for `cpuMs` of CPU and `wallMs` of wall time measured on one full core. */
const billedMs = (wallMs: number, cpuMs: number, memoryMB: number, model: CpuModel = 'proportional') =>
  Math.max(0, cpuMs) * cpuStretch(memoryMB, model) + Math.max(0, wallMs - Math.max(0, cpuMs));
const gbSeconds = (ms: number, memoryMB: number) => (ms / 1000) * (memoryMB / 1024);

export function computeDollars(inputs: DollarInputs): DollarFigures {
  const ingestPerGB = ingestionUsdPerGB(0);
  // Format 2 (what the function writes now; runs saved before it have no format), 100 span lines per event.
  const forwarder = inputs.forwarder?.find((f) => f.target === 'sink' && f.events === 100 && (f.format ?? 2) === 2);
  /** Forwarder cost per span: compute at 512 MB arm64, requests, its summary line. */
  const forwarderPerSpan = (arch: Architecture): number => {
    if (!forwarder) return 0;
    const invocationsPerSpan = 1 / (forwarder.spans ?? forwarder.events); // a v2 line holds an invocation's spans
    const ms = billedMs(forwarder.invocationMs, forwarder.cpuMs, FORWARDER_MEMORY_MB);
    const compute = gbSeconds(ms, FORWARDER_MEMORY_MB) * PRICES.lambdaDurationArm64.usd;
    const requests = PRICES.lambdaRequests.usd / 1e6;
    const summary = (forwarder.stdoutBytesPerInvocation / GB) * ingestPerGB;
    void arch; // the forwarder's architecture is the template's (arm64), whatever the function's
    return invocationsPerSpan * (compute + requests + summary);
  };

  const rows: CostRow[] = [];
  for (const f of inputs.invocation) {
    if (f.mode === 'none' || f.added === null) continue;
    if (f.mode === 'direct' && f.rttMs === 0) continue; // loopback: no such network in AWS
    const stdoutBytes = inputs.bytes?.find((b) => b.mode === f.mode && b.spans === f.spans)?.stdoutBytesPerInvocation ?? f.stdoutBytesPerInvocation;
    const addedInitMs = Math.max(0, inputs.cold?.find((c) => c.mode === f.mode)?.addedInitMs ?? 0);
    const cost: CostRow['cost'] = {};
    for (const memory of MEMORY_SIZES_MB) {
      for (const arch of ARCHITECTURES) {
        cost[`${memory}-${arch}`] = costAt(f, stdoutBytes, addedInitMs, memory, arch);
      }
    }
    const curve: Array<[number, number]> = [];
    for (let memory = 128; memory <= 3008; memory += 32) curve.push([memory, costAt(f, stdoutBytes, addedInitMs, memory, 'arm64').total]);
    rows.push({ key: `${f.key}-${f.spans}`, label: f.label, mode: f.mode, spans: f.spans, rttMs: f.mode === 'direct' ? f.rttMs : null, cost, curve });
  }

  function costAt(f: InvocationFigures, stdoutBytes: number, addedInitMs: number, memory: number, arch: Architecture, model: CpuModel = 'proportional') {
    const price = durationPrice(arch);
    const compute = gbSeconds(billedMs(f.added!.mean, f.added!.cpu, memory, model), memory) * price * 1e6;
    const ingest = (stdoutBytes / GB) * ingestPerGB * 1e6;
    const init = gbSeconds(addedInitMs, memory) * price * inputs.coldStartRate * 1e6;
    const fwd = f.mode === 'log' ? forwarderPerSpan(arch) * f.spans * 1e6 : 0;
    return { total: compute + ingest + init + fwd, compute, ingest, init, forwarder: fwd };
  }

  const breakEven: BreakEven[] = [];
  for (const spans of [1, 11] as const) {
    const log = inputs.invocation.find((f) => f.mode === 'log' && f.spans === spans);
    if (!log?.added) continue;
    const logBytes = inputs.bytes?.find((b) => b.mode === 'log' && b.spans === spans)?.stdoutBytesPerInvocation ?? log.stdoutBytesPerInvocation;
    const logInit = Math.max(0, inputs.cold?.find((c) => c.mode === 'log')?.addedInitMs ?? 0);
    for (const direct of inputs.invocation.filter((f) => f.mode === 'direct' && f.spans === spans && (f.rttMs ?? 0) > 0 && f.added)) {
      const directInit = Math.max(0, inputs.cold?.find((c) => c.mode === 'direct')?.addedInitMs ?? 0);
      for (const arch of ARCHITECTURES) {
        for (const cpuModel of ['proportional', 'full-speed'] as const) {
          let fromMemoryMB: number | null = null;
          for (let memory = 128; memory <= 10_240; memory++) {
            if (costAt(log, logBytes, logInit, memory, arch, cpuModel).total < costAt(direct, 0, directInit, memory, arch, cpuModel).total) {
              fromMemoryMB = memory;
              break;
            }
          }
          breakEven.push({ spans, rttMs: direct.rttMs!, arch, cpuModel, fromMemoryMB });
        }
      }
    }
  }

  return {
    assumptions: {
      region: 'us-east-1 (N. Virginia), on-demand, no free tier, no Savings Plans',
      durationArm64: `$${PRICES.lambdaDurationArm64.usd} ${PRICES.lambdaDurationArm64.unit}`,
      durationX86: `$${PRICES.lambdaDurationX86.usd} ${PRICES.lambdaDurationX86.unit}`,
      requests: `$${PRICES.lambdaRequests.usd} ${PRICES.lambdaRequests.unit}`,
      ingestion: `$${ingestPerGB} per GB (first tier of ${LAMBDA_LOG_INGESTION.tiers.map((t) => `$${t.usdPerGB}`).join(' / ')})`,
      init: PRICES.initBilledSince.unit,
      coldStartRate: inputs.coldStartRate,
      coldStartRateSource: COLD_START_RATE_SOURCE,
      cpuModel: `added CPU stretched by ${ONE_VCPU_MB}/memory below ${ONE_VCPU_MB} MB; waiting not stretched (${CPU_MODEL_SOURCE})`,
      machine: 'CPU and latency measured on this machine, not on Graviton or Lambda’s x86',
      forwarder: forwarder
        ? `${FORWARDER_MEMORY_MB} MB arm64, ${forwarder.events} span lines (${forwarder.spans ?? forwarder.events} spans) per event: ${formatMs(forwarder.invocationMs)} (${formatMs(forwarder.cpuMs)} CPU) per invocation`
        : 'not measured in this run (log mode shown without it)',
    },
    rows,
    breakEven,
    forwarderPerMillionSpans: forwarder ? { arm64: forwarderPerSpan('arm64') * 1e6, x86_64: forwarderPerSpan('x86_64') * 1e6 } : null,
  };
}

export function printDollars(d: DollarFigures): string {
  const columns = MEMORY_SIZES_MB.flatMap((m) => ARCHITECTURES.map((a) => `${m} MB ${a === 'arm64' ? 'arm' : 'x86'}:`));
  const out = [
    '\n## Dollars: what tracing adds per million invocations (over the untraced handler)',
    Object.entries(d.assumptions)
      .map(([k, v]) => `- ${k}: ${v}`)
      .join('\n'),
    table(
      ['mode', 'spans:', ...columns],
      d.rows.map((r) => [r.label + (r.mode === 'otel' || r.mode === 'dd-trace' ? ' (+ its forwarder, not measured)' : ''), r.spans, ...MEMORY_SIZES_MB.flatMap((m) => ARCHITECTURES.map((a) => formatDollars(r.cost[`${m}-${a}`].total)))]),
    ),
  ];
  const at = (key: string) => d.rows.map((r) => [r.label, r.spans, ...['compute', 'ingest', 'init', 'forwarder'].map((part) => formatDollars(r.cost[key][part as 'compute'])), formatDollars(r.cost[key].total)]);
  for (const key of ['128-arm64', '1769-arm64']) {
    out.push(`\nwhere it comes from at ${key.replace('-', ' MB ')}:`);
    out.push(table(['mode', 'spans:', 'compute:', 'ingestion:', 'INIT:', 'forwarder:', 'total:'], at(key)));
  }
  if (d.forwarderPerMillionSpans) out.push(`forwarder: ${formatDollars(d.forwarderPerMillionSpans.arm64)} per million spans (compute, requests, its summary line).`);
  out.push('\n### Break-even: from which memory size log mode (with its forwarder) costs less than direct mode');
  out.push(
    table(
      ['spans:', 'RTT:', 'arm64:', 'x86_64:', 'arm64, CPU at full speed:', 'x86_64, CPU at full speed:'],
      [...new Set(d.breakEven.map((b) => `${b.spans}|${b.rttMs}`))].map((k) => {
        const [spans, rtt] = k.split('|').map(Number);
        const cell = (arch: Architecture, model: CpuModel) => {
          const b = d.breakEven.find((x) => x.spans === spans && x.rttMs === rtt && x.arch === arch && x.cpuModel === model)!;
          return b.fromMemoryMB === null ? 'not up to 10,240 MB' : b.fromMemoryMB <= 128 ? 'every size' : `≥ ${b.fromMemoryMB.toLocaleString('en-US')} MB`;
        };
        return [spans, `${rtt} ms`, cell('arm64', 'proportional'), cell('x86_64', 'proportional'), cell('arm64', 'full-speed'), cell('x86_64', 'full-speed')];
      }),
    ),
  );
  out.push('"CPU at full speed": if short CPU bursts are not throttled to memory/1769 of a vCPU (not documented either way), the added CPU is billed as measured here.');
  return out.join('\n');
}
