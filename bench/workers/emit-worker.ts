/**
 * Runs inside a child process whose stdout is a pipe the parent drains, as Lambda's log
 * collector drains a function's stdout. Times each way of emitting one span and writes the
 * figures to BENCH_RESULT_FILE (stdout is the thing being measured).
 */
import * as fs from 'node:fs';
import pino from 'pino';
import { LogTracer } from '../../src/function/log-tracer';
import { writeStdoutLine } from '../../src/common/sync-stdout';
import { newId } from '../../src/function/ids';
import { randomBytes } from 'node:crypto';
import { encodeSpanLine } from '../../src/span-line';
import { timeBursts, timeLoop, type Timing } from '../lib/timing';

const N = Number(process.env.BENCH_ITERATIONS ?? 100_000);
// 100 lines of ~316 bytes stay well inside a 64 KB pipe buffer; the reader drains it between bursts.
const BURST = 100;
const BURSTS = Math.ceil(N / BURST);
// Every emitting row writes this many lines (timeBursts warms up with 10 bursts first).
const LINES_PER_ROW = BURSTS * BURST + BURST * 10;
let linesWritten = 0;
const emitting = (name: string, body: (i: number) => void): Timing => {
  linesWritten += LINES_PER_ROW;
  return timeBursts(name, BURSTS, BURST, body);
};

const sample = {
  traceId: '4bf92f3577b34da6',
  spanId: '00f067aa0ba902b7',
  parentSpanId: 'a2fb4a1d1a96d312',
  operation: 'lambda-execution',
  component: 'lambda_function',
  startMicros: 1764045116123456,
  durationMicros: 1532,
  tags: { 'span.kind': 'server', 'faas.coldstart': false, 'faas.name': 'ot-fn', 'faas.version': '$LATEST', 'http.status_code': 200 },
  logs: [],
  baggage: {},
};
const readyLine = encodeSpanLine(sample);
const line = readyLine + '\n';

const results: Timing[] = [];
const sync = pino.destination({ dest: 1, sync: true });

// Baseline: the floor of the function's emitter, one ready-made line through writeStdoutLine (a
// blocking handle on the pipe, see src/common/sync-stdout.ts).
results.push(emitting('write a ready-made span line (the emitter)', () => writeStdoutLine(readyLine)));
// pino's sync destination on fd 1 itself (non-blocking once libuv touched it; sleeps on EAGAIN).
results.push(emitting('the same through sonic-boom on fd 1', () => sync.write(line)));
// A raw fs.writeSync is faster but throws EAGAIN whenever the reader falls behind: count the
// lines it would have lost instead of letting the benchmark crash.
let lostToEagain = 0;
results.push(
  emitting('bare fs.writeSync of the same line', () => {
    try {
      fs.writeSync(1, line);
    } catch {
      lostToEagain++;
    }
  }),
);
results.push(timeLoop('id from crypto.randomBytes(8)', N, () => randomBytes(8).toString('hex')));
results.push(timeLoop('id from the pooled random buffer', N, () => newId()));
results.push(emitting('JSON.stringify(span) + write (floor with serialisation)', () => sync.write(JSON.stringify(sample) + '\n')));
results.push(emitting('encodeSpanLine(span) + write', () => writeStdoutLine(encodeSpanLine(sample))));
const logger = pino({ base: null }, sync);
results.push(emitting('pino logger.info(span) to the sync destination', () => logger.info(sample)));

const tracer = new LogTracer({ componentName: 'lambda_function' });
results.push(
  emitting('LogTracer: startSpan + 5 tags + finish (the whole path)', () => {
    const span = tracer.startSpan('lambda-execution');
    span.setTag('span.kind', 'server');
    span.setTag('faas.coldstart', false);
    span.setTag('faas.name', 'ot-fn');
    span.setTag('faas.version', '$LATEST');
    span.setTag('http.status_code', 200);
    span.finish();
  }),
);

const figures = { results, lineBytes: Buffer.byteLength(line) - 1, lostToEagain, attempted: LINES_PER_ROW, linesWritten: linesWritten - lostToEagain };
fs.writeFileSync(process.env.BENCH_RESULT_FILE ?? 'bench-emit.json', JSON.stringify(figures));
