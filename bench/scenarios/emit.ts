import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { formatNs, table } from '../lib/format';
import type { Timing } from '../lib/timing';

export interface EmitFigures {
  results: Timing[];
  lineBytes: number;
  /** Lines that reached the reader at the other end of the pipe. */
  linesRead: number;
  /** fs.writeSync calls that threw EAGAIN, of `attempted`. */
  lostToEagain: number;
  attempted: number;
  /** Lines the worker wrote successfully, every way of writing included. */
  linesWritten: number;
}

/**
 * Runs the emit worker with its stdout piped into `wc -l` — a fast reader, as Lambda's log
 * collector is, so the figures are the writer's cost, not a slow reader's. The worker writes
 * its figures to a file because its stdout is the thing being measured.
 */
export async function runEmitScenario(iterations: number): Promise<EmitFigures> {
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-emit-'));
  const resultFile = path.join(dir, 'result.json');
  try {
    const worker = path.join(__dirname, '..', 'workers', 'emit-worker.ts');
    const stdout = await new Promise<string>((resolve, reject) => {
      execFile(
        'sh',
        ['-c', `"${process.execPath}" --import tsx "${worker}" | wc -l`],
        { env: { ...process.env, BENCH_RESULT_FILE: resultFile, BENCH_ITERATIONS: String(iterations) }, maxBuffer: 1 << 20 },
        (error, out) => (error ? reject(error) : resolve(out)),
      );
    });
    const figures = JSON.parse(readFileSync(resultFile, 'utf8')) as Omit<EmitFigures, 'linesRead'>;
    return { ...figures, linesRead: Number(stdout.trim()) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function printEmit(emit: EmitFigures): string {
  const baseline = emit.results[0].nsPerOp;
  return [
    '\n## Emitting one span inside the function (stdout piped to a fast reader, bursts of 100)',
    `typical lambda-execution span line: ${emit.lineBytes} bytes; lines that reached the reader: ${emit.linesRead} of ${emit.linesWritten} written${emit.linesRead === emit.linesWritten ? ' (none lost)' : ' (LOST LINES)'}`,
    table(['what', 'per op:', '× baseline:'], emit.results.map((r) => [r.name, formatNs(r.nsPerOp), (r.nsPerOp / baseline).toFixed(2)])),
    `bare fs.writeSync lost ${emit.lostToEagain} of ${emit.attempted} lines to EAGAIN; writes that returned all reached the reader.`,
  ].join('\n');
}
