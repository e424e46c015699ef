/**
 * Runs inside a child process whose stdout is a pipe the parent drains, as Lambda's log
 * collector drains a function's stdout, with the variables Lambda sets (bench/lib/modes.ts
 * lambdaEnv: the LogTracer leaves out what the log group and stream carry, as on Lambda). Times
 * each way of emitting an invocation's spans and writes the figures to BENCH_RESULT_FILE (stdout
 * is the thing being measured).
 *
 * Span-line format 2: inside traced()'s invocation scope the LogTracer holds an invocation's
 * spans and writes ONE line when the invocation span finishes. The rows time, for the demo
 * handler's invocation (1 span) and the 11-span shape: the floor (JSON.stringify of the same
 * spans' records + the same write), the emission (encodeSpanLines of those records + the write),
 * the whole path (LogTracer in an invocation scope: start, tags, finish of every span → one
 * line), and version 1's one line per span for comparison.
 */
import * as fs from 'node:fs';
import pino from 'pino';
import { FORMAT_HTTP_HEADERS, type Span, type SpanContext } from 'opentracing';
import { LogTracer } from '../../src/function/log-tracer';
import { writeStdoutLine } from '../../src/common/sync-stdout';
import { newId } from '../../src/function/ids';
import { randomBytes } from 'node:crypto';
import { decodeSpanLine, encodeSpanLines, encodeSpanLineV1, levelRequired, lineSourceFromEnvironment, type FinishedSpan, type LineOptions } from '../../src/span-line';
import { timeBursts, timeLoop, type Timing } from '../lib/timing';
import { benchEvent } from '../lib/event';
import { CHILD_OPERATION, CHILDREN_IN_ELEVEN_SPAN_SHAPE, childTags, INVOCATION_OPERATION, workUnit } from '../handlers/workload';

/** Spans per row (the ops of a row: N / spans per op). */
const N = Number(process.env.BENCH_ITERATIONS ?? 100_000);
// Bursts of at most this many bytes stay well inside a 64 KB pipe buffer; the reader drains it between bursts.
const BURST_BYTES = 24 * 1024;

export interface EmitRow extends Timing {
  /** Spans per op (1: the demo handler's invocation; 11: the 11-span shape). */
  spans: number;
  /** The row this one is compared with (its floor), by name. */
  floor?: string;
  /** Lines and bytes one op writes. */
  linesPerOp: number;
  bytesPerOp: number;
}

let linesWritten = 0;
const results: EmitRow[] = [];

/** Times `body` (one op writes `linesPerOp` lines of `bytesPerOp` bytes in all) in bursts a fast reader keeps up with. */
function emitting(name: string, spans: number, bytesPerOp: number, linesPerOp: number, body: (i: number) => void, floor?: string): void {
  const burst = Math.max(1, Math.min(100, Math.floor(BURST_BYTES / bytesPerOp)));
  const bursts = Math.max(1, Math.ceil(N / spans / burst));
  linesWritten += (bursts * burst + burst * 10) * linesPerOp; // timeBursts warms up with 10 bursts first
  results.push({ ...timeBursts(name, bursts, burst, body), spans, floor, linesPerOp, bytesPerOp });
}

const env = process.env;
const lineOptions: LineOptions = { levelled: levelRequired(env), source: lineSourceFromEnvironment(env) };
const event = benchEvent();
const headers = event.headers as Record<string, string>;
let requestSeq = 0;

/** One invocation as traced() records it, on `tracer`, inside an invocation scope: the invocation span (its tags) and `children` child spans. */
function invocation(tracer: LogTracer, children: number): void {
  const scope = tracer.beginInvocationScope();
  const parent = tracer.extract(FORMAT_HTTP_HEADERS, headers) as SpanContext | null;
  const span: Span = tracer.startSpan(INVOCATION_OPERATION, {
    childOf: parent ?? undefined,
    tags: {
      'span.kind': 'server',
      'faas.coldstart': false,
      'aws.request_id': `8f5e2a4c-1b3d-4e6f-9a0b-${String(requestSeq++ % 1e12).padStart(12, '0')}`,
      'faas.name': env.AWS_LAMBDA_FUNCTION_NAME,
      'faas.version': env.AWS_LAMBDA_FUNCTION_VERSION,
      'http.method': 'GET',
      'http.path': '/hello',
    },
  });
  for (let i = 0; i < children; i++) {
    const child = tracer.startSpan(CHILD_OPERATION, { childOf: span, tags: childTags(i) });
    workUnit(i);
    child.finish();
  }
  span.setTag('http.status_code', 200);
  span.finish();
  tracer.endInvocationScope(scope);
}

/** The line the tracer writes for one invocation of this shape, and the records of its spans (what the reader gets back). */
function sampleOf(children: number): { line: string; records: FinishedSpan[] } {
  const lines: string[] = [];
  invocation(new LogTracer({ componentName: 'lambda_function', emit: (line) => lines.push(line), lineOptions }), children);
  if (lines.length !== 1) throw new Error(`emit: the tracer wrote ${lines.length} lines for one invocation, not 1`);
  const decoded = decodeSpanLine(lines[0], lineOptions.source);
  if (!decoded.ok || decoded.spans.length !== children + 1) throw new Error(`emit: the sample line did not decode to ${children + 1} spans`);
  return { line: lines[0], records: decoded.spans };
}

const shapes = [
  { spans: 1, children: 0, what: 'the demo invocation (1 span)' },
  { spans: 1 + CHILDREN_IN_ELEVEN_SPAN_SHAPE, children: CHILDREN_IN_ELEVEN_SPAN_SHAPE, what: '11 spans' },
];
const samples: Array<{ spans: number; lineBytes: number; floorBytes: number; v1Bytes: number; encoderMatchesTracer: boolean }> = [];

const sync = pino.destination({ dest: 1, sync: true });
const one = sampleOf(0);
const readyLine = one.line;
const bytes = (s: string) => Buffer.byteLength(s) + 1;

// The writer alone: one ready-made line through writeStdoutLine (a blocking handle on the pipe,
// see src/common/sync-stdout.ts), through sonic-boom on fd 1 itself, and a bare fs.writeSync,
// which throws EAGAIN whenever the reader falls behind (counted, not fatal).
emitting('write a ready-made span line (the emitter alone)', 1, bytes(readyLine), 1, () => writeStdoutLine(readyLine));
emitting('the same through sonic-boom on fd 1', 1, bytes(readyLine), 1, () => sync.write(readyLine + '\n'));
let lostToEagain = 0;
let attempted = 0;
{
  const line = readyLine + '\n';
  const before = linesWritten;
  emitting('bare fs.writeSync of the same line', 1, bytes(readyLine), 1, () => {
    try {
      fs.writeSync(1, line);
    } catch {
      lostToEagain++;
    }
  });
  attempted = linesWritten - before;
}
results.push({ ...timeLoop('id from crypto.randomBytes(8)', N, () => randomBytes(8).toString('hex')), spans: 1, linesPerOp: 0, bytesPerOp: 0 });
results.push({ ...timeLoop('id from the pooled random buffer', N, () => newId()), spans: 1, linesPerOp: 0, bytesPerOp: 0 });

for (const shape of shapes) {
  const { line, records } = sampleOf(shape.children);
  const floorLine = JSON.stringify(shape.spans === 1 ? records[0] : records);
  const encoded = encodeSpanLines(records, lineOptions);
  const v1Lines = records.map((r) => encodeSpanLineV1(r));
  samples.push({
    spans: shape.spans,
    lineBytes: Buffer.byteLength(line),
    floorBytes: Buffer.byteLength(floorLine),
    v1Bytes: v1Lines.reduce((sum, l) => sum + Buffer.byteLength(l) + 1, 0) - 1,
    encoderMatchesTracer: encoded.length === 1 && encoded[0].length === line.length,
  });
  const floorName = `${shape.what}: JSON.stringify(the spans' records) + write (the floor)`;
  const single = shape.spans === 1 ? records[0] : undefined;
  emitting(floorName, shape.spans, bytes(floorLine), 1, () => writeStdoutLine(JSON.stringify(single ?? records)));
  emitting(`${shape.what}: encodeSpanLines(records) + write (the emission, one v2 line)`, shape.spans, bytes(line), 1, () => {
    for (const l of encodeSpanLines(records, lineOptions)) writeStdoutLine(l);
  }, floorName);
  const tracer = new LogTracer({ componentName: 'lambda_function' }); // its options from the variables, as on Lambda
  emitting(`${shape.what}: LogTracer in an invocation scope, start + tags + finish of each span → one line (the whole path)`, shape.spans, bytes(line), 1, () => invocation(tracer, shape.children), floorName);
  const logger = pino({ base: null }, sync);
  emitting(`${shape.what}: pino logger.info of each record to the sync destination`, shape.spans, bytes(floorLine) + 40 * shape.spans, shape.spans, () => {
    for (const r of records) logger.info(r);
  }, floorName);
  emitting(`${shape.what}: version 1, encodeSpanLineV1 + write per span (${shape.spans} line${shape.spans === 1 ? '' : 's'})`, shape.spans, v1Lines.reduce((s, l) => s + bytes(l), 0), shape.spans, () => {
    for (const r of records) writeStdoutLine(encodeSpanLineV1(r));
  }, floorName);
}

const figures = { results, samples, lineBytes: Buffer.byteLength(readyLine), lostToEagain, attempted, linesWritten: linesWritten - lostToEagain };
fs.writeFileSync(process.env.BENCH_RESULT_FILE ?? 'bench-emit.json', JSON.stringify(figures));
