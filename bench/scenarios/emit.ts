import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { formatNs, table } from '../lib/format';
import { lambdaEnv } from '../lib/modes';
import type { EmitRow } from '../workers/emit-worker';

/** The target: writing an invocation's spans stays within this many times the serialisation floor (JSON.stringify of the same records + the same write). */
export const EMIT_TARGET_RATIO = 1.5;

export interface EmitFigures {
  results: EmitRow[];
  /** Per shape: the v2 line's bytes, the floor's JSON, version 1's lines (newlines between), and whether encodeSpanLines of the records gives the tracer's line. */
  samples: Array<{ spans: number; lineBytes: number; floorBytes: number; v1Bytes: number; encoderMatchesTracer: boolean }>;
  /** The demo invocation's v2 line (1 span), bytes. */
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
        { env: { ...process.env, ...lambdaEnv(), BENCH_RESULT_FILE: resultFile, BENCH_ITERATIONS: String(iterations) }, maxBuffer: 1 << 20 },
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
  const byName = new Map(emit.results.map((r) => [r.name, r]));
  const rows = emit.results.map((r) => {
    const floor = r.floor === undefined ? undefined : byName.get(r.floor);
    const ratio = floor === undefined ? NaN : r.nsPerOp / floor.nsPerOp;
    const isEmission = r.name.includes('(the emission');
    return [
      r.name,
      r.spans,
      formatNs(r.nsPerOp),
      r.spans > 1 ? formatNs(r.nsPerOp / r.spans) : '',
      r.bytesPerOp > 0 ? `${r.bytesPerOp} B / ${r.linesPerOp}` : '',
      Number.isFinite(ratio) ? `${ratio.toFixed(2)}` : r.name.includes('(the floor)') ? '1.00' : '',
      isEmission ? (ratio <= EMIT_TARGET_RATIO ? `met (≤ ${EMIT_TARGET_RATIO}×)` : `NOT MET (> ${EMIT_TARGET_RATIO}×)`) : '',
    ];
  });
  const samples = (emit.samples ?? []).map(
    (s) => `${s.spans} span${s.spans === 1 ? '' : 's'}: v2 line ${s.lineBytes} B, the floor's JSON ${s.floorBytes} B, version 1 ${s.v1Bytes} B${s.encoderMatchesTracer ? '' : ' (encodeSpanLines of the records differs in length from the tracer\'s line)'}`,
  );
  return [
    '\n## Emitting an invocation\'s spans inside the function (stdout piped to a fast reader, in bursts of ≤ 24 KiB)',
    `span-line format 2, one line per invocation, with Lambda's variables (name and version left out where the log group and stream carry them). ${samples.join('; ')}. Lines that reached the reader: ${emit.linesRead} of ${emit.linesWritten} written${emit.linesRead === emit.linesWritten ? ' (none lost)' : ' (LOST LINES)'}.`,
    `Target: the emission (encodeSpanLines + write) ≤ ${EMIT_TARGET_RATIO}× the floor, JSON.stringify of the same spans' records (the decoded FinishedSpan objects) + the same write (writeStdoutLine). The whole path also creates the spans (ids, clock, tags, masking); its ratio is for information.`,
    table(['what', 'spans / op:', 'per op:', 'per span:', 'bytes / lines per op:', '× floor:', 'target:'], rows),
    `bare fs.writeSync lost ${emit.lostToEagain} of ${emit.attempted} lines to EAGAIN; writes that returned all reached the reader.`,
  ].join('\n');
}
