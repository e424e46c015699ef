/**
 * The modes and peers the bench compares, and how each runs: which bundle, which environment.
 * Every worker gets a Lambda-like environment and nothing else from ours.
 */
import type { BuiltBundle } from '../../scripts/build';
import type { BenchBundles } from './bundles';
import type { BenchEventFiles } from './event';

export type ModeId = 'none' | 'log' | 'direct' | 'otel' | 'dd-trace';

export const MODES: Array<{ id: ModeId; label: string }> = [
  { id: 'none', label: 'none (untraced)' },
  { id: 'log', label: 'log (span lines on stdout)' },
  { id: 'direct', label: 'direct (lightstep-tracer)' },
  { id: 'otel', label: 'OTel SDK + otlp-stdout-span-exporter' },
  { id: 'dd-trace', label: 'dd-trace 6 LogExporter' },
];

/** One thing to run: a mode, and for direct mode where its reports go. */
export interface Variant {
  /** e.g. `log`, `direct-loopback`, `direct-rtt10`. */
  key: string;
  mode: ModeId;
  label: string;
  /** Direct mode: the round trip the delay proxy plays; undefined = straight to the loopback sink. */
  rttMs?: number;
}

export function variantsFor(rttMs: number[]): Variant[] {
  const variants: Variant[] = [];
  for (const { id, label } of MODES) {
    if (id !== 'direct') {
      variants.push({ key: id, mode: id, label });
      continue;
    }
    variants.push({ key: 'direct-loopback', mode: id, label: 'direct → loopback sink' });
    for (const rtt of rttMs) variants.push({ key: `direct-rtt${rtt}`, mode: id, label: `direct, ${rtt} ms RTT`, rttMs: rtt });
  }
  return variants;
}

/** The bundle a mode runs: the template's own demo handler for ours at 1 span, the bench's otherwise. */
export function bundleFor(bundles: BenchBundles, mode: ModeId, spans: 1 | 11): BuiltBundle {
  switch (mode) {
    case 'none':
      return bundles.untraced;
    case 'log':
      return spans === 1 ? bundles.log : bundles.elevenLog;
    case 'direct':
      return spans === 1 ? bundles.direct : bundles.elevenDirect;
    case 'otel':
      return bundles.otel;
    case 'dd-trace':
      return bundles.ddTrace;
  }
}

export const FUNCTION_NAME = 'ot-function';
export const FUNCTION_VERSION = '$LATEST';
/** The function's log group and stream in Lambda's shapes: `/aws/lambda/<name>`, `YYYY/MM/DD/[<version>]<instance id>`. */
export const LOG_GROUP = `/aws/lambda/${FUNCTION_NAME}`;
export const LOG_STREAM = `2026/12/01/[${FUNCTION_VERSION}]0123456789abcdef0123456789abcdef`;
export const BENCH_ACCESS_TOKEN = 'bench-access-token-0123456789';

/** The variables the Lambda runtime sets that the function's tracer reads (name, version, log group and stream, region, memory). */
export function lambdaEnv(): Record<string, string> {
  return {
    AWS_LAMBDA_FUNCTION_NAME: FUNCTION_NAME,
    AWS_LAMBDA_FUNCTION_VERSION: FUNCTION_VERSION,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '256',
    AWS_LAMBDA_LOG_GROUP_NAME: LOG_GROUP,
    AWS_LAMBDA_LOG_STREAM_NAME: LOG_STREAM,
    AWS_REGION: 'us-east-1',
  };
}

/**
 * Lambda's advanced logging controls: `text` (the default, no variables) or JSON log format with
 * an application log-level filter of WARN, where a line without a level counts as INFO and is
 * dropped, so span lines lead with level and timestamp.
 */
export type LogFormat = 'text' | 'json-warn';

export function logFormatEnv(format: LogFormat): Record<string, string> {
  return format === 'json-warn' ? { AWS_LAMBDA_LOG_FORMAT: 'JSON', AWS_LAMBDA_LOG_LEVEL: 'WARN' } : {};
}

/** What Lambda would set, plus the mode's own settings. `collectorPort` is where direct mode reports. */
export function envFor(mode: ModeId, spans: 1 | 11, events: BenchEventFiles, collectorPort?: number, logFormat: LogFormat = 'text'): Record<string, string> {
  const env: Record<string, string> = {
    ...lambdaEnv(),
    ...logFormatEnv(logFormat),
    // The peers read W3C trace context; ours and the untraced handler get the project's own caller headers.
    BENCH_EVENT_FILE: mode === 'otel' || mode === 'dd-trace' ? events.w3c : events.native,
    BENCH_CHILD_SPANS: String(spans - 1),
    TRACE_REPORTING: mode === 'direct' ? 'direct' : 'log',
    COMPONENT_NAME: 'lambda_function',
  };
  if (mode === 'direct') {
    if (collectorPort === undefined) throw new Error('direct mode needs a collector port');
    Object.assign(env, {
      LIGHTSTEP_ACCESS_TOKEN: BENCH_ACCESS_TOKEN,
      LIGHTSTEP_COLLECTOR_HOST: '127.0.0.1',
      LIGHTSTEP_COLLECTOR_PORT: String(collectorPort),
      LIGHTSTEP_COLLECTOR_ENCRYPTION: 'none',
    });
  }
  return env;
}

/** SAM adds --enable-source-maps when Sourcemap is true (as every function here has it). */
export const SOURCE_MAPS = '--enable-source-maps';
let extraFlags: string[] = [];

/** Flags given with --worker-flags, for every function and forwarder worker from now on. */
export function setWorkerFlags(flags: string[]): void {
  extraFlags = flags;
}

/** Node flags of a function worker; --expose-gc lets it measure heap growth after a full GC. */
export function workerNodeArgs(sourceMaps = true): string[] {
  return [...(sourceMaps ? [SOURCE_MAPS] : []), '--expose-gc', ...extraFlags];
}

/** Node flags of the forwarder's worker (SAM's source maps, and --worker-flags, e.g. --cpu-prof). */
export function forwarderNodeArgs(): string[] {
  return [SOURCE_MAPS, ...extraFlags];
}
