import * as path from 'node:path';
import { parseArgs } from 'node:util';

export const SCENARIOS = ['invocation', 'cold', 'bytes', 'forwarder', 'dollars', 'emit', 'otlp'] as const;
export type Scenario = (typeof SCENARIOS)[number];

export interface BenchOptions {
  only: Scenario[];
  /** Timed warm invocations per mode and shape. */
  invocations: number;
  /** Untimed invocations before them (V8 tiers the handler up during these). */
  warmup: number;
  rttMs: number[];
  spans: Array<1 | 11>;
  coldRuns: number;
  bytesInvocations: number;
  forwarderRepeats: number;
  /** Span lines per subscription event; 0 stands for the largest delivery. */
  forwarderSizes: number[];
  emitIterations: number;
  coldStartRate: number;
  outDir: string;
  quick: boolean;
  /** Extra Node/V8 flags for the function workers (experiments, e.g. --no-opt). */
  workerFlags: string[];
  /** Only redraw the charts from this saved run (latest.json), next to it. */
  chartsFrom?: string;
}

export const HELP = `npm run bench [-- options]

Scenarios (all by default; --only picks some, e.g. --only bytes,forwarder):
  invocation  warm demo handler per mode: none, log, direct (loopback and through a delay proxy), the peers
  cold        fresh process: require the bundle + first invocation, bundle sizes
  bytes       bytes written per invocation and per span at 1 and 11 spans
  forwarder   the forwarder Lambda on subscription payloads, against a sink in another process
  dollars     $ per million invocations from the figures above and bench/prices.ts
              (runs invocation, cold, bytes and forwarder too unless their figures are given by --only)
  emit        cost of emitting one span line inside the function
  otlp        the forwarder's OTLP sink: one 1,000-span request body by encoder, and the handler end to end

Options:
  --only LIST              scenarios to run, comma-separated
  --invocations N          timed warm invocations per mode and shape (default 1000)
  --warmup N               untimed warm-up invocations before them (default 5000; the direct
                           modes warm up through the proxy at 0 ms, then play the RTT)
  --rtt LIST               round trips for direct mode through the delay proxy, ms (default 2,10,30)
  --spans LIST             spans per invocation: 1 and/or 11 (default 1,11)
  --cold-runs N            fresh processes per mode for the cold start (default 5)
  --bytes-invocations N    invocations per mode and shape for the bytes scenario (default 200)
  --forwarder-repeats N    timed forwarder invocations per payload at least (default 15; small events get
                           as many as 120,000 spans take, up to 300)
  --forwarder-sizes LIST   span lines per subscription event; max = the largest delivery
                           (default 100,1000,max)
  --emit-iterations N      span lines per row of the emit scenario (default 100000)
  --cold-start-rate R      share of invocations that are cold starts, for INIT billing (default 0.01)
  --out-dir DIR            where the JSON and SVG results go (default bench/results)
  --worker-flags LIST      extra node flags for the function and forwarder workers, comma-
                           separated, for experiments (e.g. --worker-flags=--no-opt: V8 without
                           TurboFan; --worker-flags=--cpu-prof,--cpu-prof-dir=/tmp/prof)
  --quick                  small sizes for everything not given explicitly (a smoke run)
  --charts-from FILE       only redraw the SVG charts from a saved run (e.g. bench/results/latest.json)
  -h, --help               this text

Progress goes to stderr, the tables to stdout. A run of every scenario writes latest.json and
the charts; a partial run writes only-<scenarios>.json and leaves latest.json alone.`;

export function parseBenchArgs(argv: string[], projectRoot: string): BenchOptions | 'help' {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      only: { type: 'string' },
      invocations: { type: 'string' },
      warmup: { type: 'string' },
      rtt: { type: 'string' },
      spans: { type: 'string' },
      'cold-runs': { type: 'string' },
      'bytes-invocations': { type: 'string' },
      'forwarder-repeats': { type: 'string' },
      'forwarder-sizes': { type: 'string' },
      'emit-iterations': { type: 'string' },
      'cold-start-rate': { type: 'string' },
      'out-dir': { type: 'string' },
      'worker-flags': { type: 'string' },
      'charts-from': { type: 'string' },
      quick: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) return 'help';
  const quick = values.quick === true;
  const only = values.only === undefined ? [...SCENARIOS] : list(values.only, '--only').map((name) => scenario(name));
  const spans = values.spans === undefined ? [1, 11] : list(values.spans, '--spans').map((s) => spanCount(s));
  return {
    only: [...new Set(only)],
    invocations: count(values.invocations, '--invocations', quick ? 100 : 1000, 1),
    warmup: count(values.warmup, '--warmup', quick ? 100 : 5000, 0),
    rttMs: values.rtt === undefined ? [2, 10, 30] : list(values.rtt, '--rtt').map((r) => count(r, '--rtt', 0, 1)),
    spans: [...new Set(spans)].sort((a, b) => a - b) as Array<1 | 11>,
    coldRuns: count(values['cold-runs'], '--cold-runs', quick ? 1 : 5, 1),
    bytesInvocations: count(values['bytes-invocations'], '--bytes-invocations', quick ? 10 : 200, 1),
    forwarderRepeats: count(values['forwarder-repeats'], '--forwarder-repeats', quick ? 1 : 15, 1),
    forwarderSizes: list(values['forwarder-sizes'] ?? '100,1000,max', '--forwarder-sizes').map((s) => (s === 'max' ? 0 : count(s, '--forwarder-sizes', 0, 1))),
    emitIterations: count(values['emit-iterations'], '--emit-iterations', quick ? 2000 : 100_000, 100),
    coldStartRate: rate(values['cold-start-rate'], '--cold-start-rate', 0.01),
    outDir: path.resolve(projectRoot, values['out-dir'] ?? path.join('bench', 'results')),
    quick,
    workerFlags: values['worker-flags'] === undefined ? [] : list(values['worker-flags'], '--worker-flags'),
    chartsFrom: values['charts-from'] === undefined ? undefined : path.resolve(values['charts-from']),
  };
}

function list(text: string, flag: string): string[] {
  const items = text.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (items.length === 0) throw new Error(`${flag} needs at least one value`);
  return items;
}

function scenario(name: string): Scenario {
  if (!(SCENARIOS as readonly string[]).includes(name)) throw new Error(`--only: unknown scenario "${name}" (one of ${SCENARIOS.join(', ')})`);
  return name as Scenario;
}

function spanCount(text: string): 1 | 11 {
  if (text !== '1' && text !== '11') throw new Error(`--spans: 1 or 11, got "${text}"`);
  return Number(text) as 1 | 11;
}

function count(text: string | undefined, flag: string, fallback: number, min: number): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < min) throw new Error(`${flag} must be a whole number ≥ ${min}, got "${text}"`);
  return n;
}

function rate(text: string | undefined, flag: string, fallback: number): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isFinite(n) || n < 0 || n > 1) throw new Error(`${flag} must be a number from 0 to 1, got "${text}"`);
  return n;
}
