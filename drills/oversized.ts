// Drill: spans far past the caps (a 1 MB tag value, 10,000 logs, 10,000 tags, a 1 MB operation
// name and log field, big baggage) from the real function in a container, through its stdout,
// the subscription and the forwarder. Trimmed and marked, never dropped; every line within the
// format's cap (LIMITS.maxLineChars), so under 64 KiB of UTF-8 (where Lambda splits stdout lines
// in places) and CloudWatch's event limit (256 KB); what arrives is what was written. Format 2
// writes an invocation's spans as one line, split only past LIMITS.maxLineChars.
import path from 'node:path';
import type { CloudWatchLogsLogEvent } from 'aws-lambda';
import { deliverAsync } from '../src/local/async-delivery';
import { FunctionPool } from '../src/local/function-pool';
import { createLocalForwarder } from '../src/local/local-forwarder';
import { SubscriptionShipper } from '../src/local/subscription-shipper';
import { MAX_EVENT_MESSAGE_BYTES } from '../src/local/log-lines';
import { decodeSpanLine, LIMITS, lineSourceOf, SPAN_LINE_LEVELLED_PREFIX, SPAN_LINE_PREFIX, SPAN_LINE_V1_PREFIX, TRUNCATION_MARK, type FinishedSpan } from '../src/span-line';
import { EMOJI, MEGABYTE, WIDE_SPANS, WIDE_TAGS, WIDE_VALUE } from './fixtures/oversized-handler';
import { RestartableCollector } from './support/collector';
import { drillDir, measure, unmet, zero, type DrillContext, type DrillResult, type DrillSize } from './support/drill';
import { dumpStore, savePages } from './support/evidence';

export const OVERSIZED_SIZES: Record<DrillSize, { invocations: number }> = { small: { invocations: 2 }, full: { invocations: 20 } };
export const LINE_BYTE_CAP = 64 * 1024;
const LOG_GROUP = '/aws/lambda/oversized';
const isSpanLine = (m: string) => m.startsWith(SPAN_LINE_PREFIX) || m.startsWith(SPAN_LINE_LEVELLED_PREFIX) || m.startsWith(SPAN_LINE_V1_PREFIX);
const SPANS_PER_INVOCATION = 5 + WIDE_SPANS;

export async function run(size: DrillSize, context: DrillContext): Promise<DrillResult> {
  return measure('oversized', size, async (result) => {
    const { invocations } = OVERSIZED_SIZES[size];
    const dir = drillDir(context, 'oversized');
    const collector = new RestartableCollector(dir, context.token);
    await collector.start();
    const summaries: string[] = [];
    const forwarder = createLocalForwarder(collector.target(), (line) => summaries.push(line));
    const shipper = new SubscriptionShipper({
      logGroup: LOG_GROUP,
      filterName: 'span-lines',
      flushIntervalMs: 100,
      deliver: (event, meta) => deliverAsync(event, meta, { invoke: forwarder.invoke, deadLetterPath: path.join(dir, 'dead-letter.jsonl'), backoffMs: [50, 100] }),
    });
    const events: Array<CloudWatchLogsLogEvent & { logStream?: string }> = [];
    const pool = new FunctionPool({
      fn: {
        name: 'oversized',
        handlerModule: path.join(__dirname, 'fixtures/oversized-handler.ts'),
        handlerExport: 'handler',
        timeoutMs: 60_000,
        memoryMb: 1024,
        env: { ...process.env, LIGHTSTEP_ACCESS_TOKEN: context.token, COMPONENT_NAME: 'oversized_function' },
      },
      maxContainers: 1,
      onLogEvent: (logStream, event) => {
        events.push({ ...event, logStream } as CloudWatchLogsLogEvent & { logStream: string });
        shipper.add(logStream, event);
      },
    });
    const outcomes: string[] = [];
    try {
      for (let i = 0; i < invocations; i++) outcomes.push((await pool.invoke({})).kind);
    } finally {
      await pool.close();
      await shipper.flush();
      await forwarder.close();
    }

    const lineEvents = events.filter((e) => isSpanLine(e.message));
    const spanLines = lineEvents.map((e) => e.message);
    const decoded = lineEvents.map((e) => decodeSpanLine(e.message, lineSourceOf(LOG_GROUP, e.logStream)));
    const accepted = decoded.flatMap((d) => (d.ok ? [d] : []));
    const bytes = spanLines.map((line) => Buffer.byteLength(line, 'utf8'));
    const traceIds = [...new Set(accepted.flatMap((d) => d.spans.map((s) => s.traceId)))];
    const spansInLines = accepted.reduce((sum, d) => sum + d.spans.length, 0);
    const stored = traceIds.flatMap((id) => collector.store.getTrace(id));
    const problems = stored.flatMap((span) => wrongValues(span));
    const byName = (name: string) => stored.filter((s) => s.operation === name);
    const manyLogs = byName('many-logs');
    Object.assign(result.figures, {
      invocations,
      'invocations answered': outcomes.filter((k) => k === 'result').length,
      'span lines written': spanLines.length,
      'spans in the lines': spansInLines,
      'spans expected': invocations * SPANS_PER_INVOCATION,
      'lines holding several spans': accepted.filter((d) => d.spans.length > 1).length,
      'longest line (bytes)': Math.max(...bytes),
      'longest line (chars)': Math.max(...spanLines.map((l) => l.trimEnd().length)),
      'lines over 64 KiB': bytes.filter((b) => b >= LINE_BYTE_CAP).length,
      'lines over the CloudWatch event limit': bytes.filter((b) => b > MAX_EVENT_MESSAGE_BYTES).length,
      'lines rejected by the decoder': decoded.length - accepted.length,
      'spans marked trunc': accepted.reduce((sum, d) => sum + d.truncated.length, 0),
      'spans stored': stored.length,
      'spans dropped': invocations * SPANS_PER_INVOCATION - stored.length,
      'stored values not what the function wrote': problems.length,
      '1 MB tag stored as (chars)': String(byName('lambda-execution')[0]?.tags['big.ascii'] ?? '').length,
      '10,000-log span: logs stored': manyLogs[0]?.logs.length ?? 0,
      '10,000-log span: first and last i': manyLogs[0] ? `${manyLogs[0].logs[0].fields.i} … ${manyLogs[0].logs.at(-1)!.fields.i}` : '',
      '10,000-tag span: tags stored': Object.keys(byName('many-tags')[0]?.tags ?? {}).length,
      'forwarder summaries: SpansTruncated': summaries.reduce((sum, line) => sum + (JSON.parse(line) as { SpansTruncated: number }).SpansTruncated, 0),
    });
    result.errors.push(...problems.slice(0, 10), ...outcomes.filter((k) => k !== 'result'));
    dumpStore(collector.store, dir);
    await savePages(collector.url, traceIds, dir);
    await collector.stop();
  });
}

/** Compares a stored span with what the fixture wrote, after the encoder's documented cuts. */
function wrongValues(span: FinishedSpan | (Omit<FinishedSpan, 'baggage'> & { baggage?: unknown })): string[] {
  const problems: string[] = [];
  const expect = (what: string, actual: unknown, wanted: unknown) => {
    if (actual !== wanted) problems.push(`${span.operation.slice(0, 20)} ${what}: ${String(actual).slice(0, 60)}… (${String(actual).length} chars) ≠ ${String(wanted).slice(0, 60)}…`);
  };
  const cap = (text: string) => text.slice(0, LIMITS.maxValueChars) + TRUNCATION_MARK;
  for (const [key, value] of Object.entries(span.tags)) {
    if (typeof value === 'string' && value.includes('\ufffd')) problems.push(`${span.operation.slice(0, 20)} ${key}: U+FFFD (a character split on the way)`);
  }
  if (span.operation === 'lambda-execution') expect('big.ascii', span.tags['big.ascii'], cap('x'.repeat(MEGABYTE)));
  if (span.operation === 'big-emoji') expect('big.emoji', span.tags['big.emoji'], cap(EMOJI.repeat(MEGABYTE / 4)));
  if (span.operation === 'many-tags') expect('error', span.tags.error, true);
  if (span.operation.startsWith('wide-')) for (let i = 0; i < WIDE_TAGS; i++) expect(`t${i}`, span.tags[`t${i}`], WIDE_VALUE);
  if (span.operation.startsWith('ooo')) expect('operation', span.operation, cap('o'.repeat(MEGABYTE)));
  return problems;
}

export function problems(result: DrillResult): string[] {
  const expected = Number(result.figures['spans expected']);
  const invocations = Number(result.figures.invocations);
  return unmet(result, [
    ['invocations answered', (n) => n === invocations, 'an invocation failed'],
    ['spans in the lines', (n) => n === expected, 'the lines do not hold every span of every invocation'],
    // 45 spans of up to 16 KiB each: more than one line per invocation (the split), far fewer than one per span.
    ['span lines written', (n) => n > invocations && n < expected, 'the function did not write an invocation as a few multi-span lines'],
    ['lines holding several spans', (n) => n > 0, 'no line held several spans'],
    ['lines over the CloudWatch event limit', zero, 'a line over the CloudWatch event limit'],
    ['lines over 64 KiB', zero, 'a line over 64 KiB (Lambda splits stdout lines there in places)'],
    ['longest line (chars)', (n) => n <= LIMITS.maxLineChars, 'a line over the encoder cap'],
    ['lines rejected by the decoder', zero, 'a genuine line was refused'],
    ['spans dropped', zero, 'a span was dropped'],
    ['stored values not what the function wrote', zero, `stored values differ: ${result.errors.join('; ')}`],
    ['spans marked trunc', (n) => n === 5 * invocations, 'the five oversized spans per invocation are not all marked'],
    ['1 MB tag stored as (chars)', (n) => n === LIMITS.maxValueChars + 1, 'the 1 MB tag is not cut to the cap with its mark'],
    ['10,000-log span: logs stored', (n) => n === LIMITS.maxLogs, 'the 10,000-log span does not keep the cap of logs'],
    ['forwarder summaries: SpansTruncated', (n) => n === Number(result.figures['spans marked trunc']), 'the forwarder did not count the cut spans'],
  ]);
}
