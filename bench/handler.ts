import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { buildAll } from '../scripts/build';
import { startCollector } from '../src/collector/server';
import { percentile } from './measure';

export interface HandlerFigures {
  mode: 'log' | 'direct';
  /** Bundle size in bytes, as `sam build` makes it. */
  bundleBytes: number;
  /** Time to require the bundled handler (tracer set-up included): the cold-start share. */
  loadMicros: number;
  p50: number;
  p99: number;
  mean: number;
  invocations: number;
  warnings: number;
}

function runWorker(env: Record<string, string>, invocations: number): Promise<{ loadMicros: number; latencies: number[]; warnings: number }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-handler-'));
  const resultFile = path.join(dir, 'result.json');
  const worker = path.join(__dirname, 'handler-worker.js');
  return new Promise((resolve, reject) => {
    execFile(
      'sh',
      ['-c', `"${process.execPath}" "${worker}" | wc -l`],
      { env: { ...process.env, ...env, BENCH_RESULT_FILE: resultFile, BENCH_INVOCATIONS: String(invocations) } },
      (error) => {
        try {
          if (error) return reject(error);
          resolve(JSON.parse(readFileSync(resultFile, 'utf8')));
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      },
    );
  });
}

function figures(mode: HandlerFigures['mode'], bundleBytes: number, run: { loadMicros: number; latencies: number[]; warnings: number }): HandlerFigures {
  const sorted = [...run.latencies].sort((a, b) => a - b);
  const mean = sorted.reduce((sum, v) => sum + v, 0) / sorted.length;
  return { mode, bundleBytes, loadMicros: run.loadMicros, p50: percentile(sorted, 50), p99: percentile(sorted, 99), mean, invocations: sorted.length, warnings: run.warnings };
}

/**
 * The demo handler, bundled by esbuild from template.yaml exactly as `sam build` bundles it (log
 * mode: TracedFunction; direct mode: DirectTracedFunction), in two warm containers: log mode (span lines to a piped stdout) and
 * direct mode (lightstep-tracer flushing to the embedded collector on loopback before returning).
 * Loopback is the kindest network there is: in AWS the direct figure adds a TLS round trip.
 */
export async function benchHandlers(invocations: number): Promise<HandlerFigures[]> {
  // Inside the project so the bundles' externals (lightstep-tracer, @aws-sdk) resolve as on Lambda.
  const bundles = await buildAll(path.join(__dirname, '..', 'dist', 'bench'));
  const bundle = (logicalId: string) => {
    const found = bundles.find((b) => b.target.logicalId === logicalId);
    if (!found) throw new Error(`template.yaml has no ${logicalId}`);
    return found;
  };
  const logBundle = bundle('TracedFunction');
  const directBundle = bundle('DirectTracedFunction');
  const collector = await startCollector({ port: 0, dbPath: ':memory:' });
  try {
    const log = await runWorker({ TRACE_REPORTING: 'log', BENCH_HANDLER_MODULE: logBundle.file }, invocations);
    const direct = await runWorker(
      {
        TRACE_REPORTING: 'direct',
        LIGHTSTEP_ACCESS_TOKEN: 'bench-token',
        LIGHTSTEP_COLLECTOR_HOST: '127.0.0.1',
        LIGHTSTEP_COLLECTOR_PORT: String(collector.port),
        LIGHTSTEP_COLLECTOR_ENCRYPTION: 'none',
        BENCH_HANDLER_MODULE: directBundle.file,
      },
      invocations,
    );
    return [figures('log', logBundle.bytes, log), figures('direct', directBundle.bytes, direct)];
  } finally {
    await collector.close();
  }
}
