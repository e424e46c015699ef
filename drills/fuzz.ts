// Drill: fuzz the forwarder's inputs with fast-check. Span lines (genuine ones from the real
// encoder, the same mutated, foreign text), subscription events (readable ones through the real
// per-line loop, broken ones: bad base64, truncated gzip, wrong shapes, deep nesting).
// Nothing may throw out of decodeSpanLine; every rejected line is counted with a reason; every
// accepted line holds exactly what reaches the collector.
import fc from 'fast-check';
import { isDeepStrictEqual } from 'node:util';
import type { CloudWatchLogsEvent, KinesisStreamEvent } from 'aws-lambda';
import { forwardKinesisEvent } from '../src/log-span-forwarder/kinesis-batch';
import { decodeKinesisRecord, encodeKinesisEvent } from '../src/log-span-forwarder/kinesis-event';
import { decodeReportRequest, encodeReportRequest, spansFromReport } from '../src/lightstep/wire';
import { InMemoryExporter } from '../src/log-span-forwarder/exporter';
import { forwardSubscriptionEvent } from '../src/log-span-forwarder/handler';
import { encodeSubscriptionEvent, decodeSubscriptionEvent, MalformedSubscriptionEventError } from '../src/log-span-forwarder/subscription-event';
import { MAX_EVENT_MESSAGE_BYTES } from '../src/local/log-lines';
import {
  decodeSpanLine,
  DEFAULT_COMPONENT,
  encodeSpanLine,
  encodeSpanLines,
  encodeSpanLineV1,
  LIMITS,
  lineSourceOf,
  SKIP_REASONS,
  type DecodeResult,
  type FinishedSpan,
  type LineSource,
  type SkipReason,
  type SpanValue,
} from '../src/span-line';
import { brokenEvent, foreignLine, invocationSpans, lineOptions, mutatedLine, mutatedV2Lines, spanToEncode } from './fuzz-inputs';
import { measure, positive, unmet, zero, type DrillResult, type DrillSize } from './support/drill';

export const FUZZ_CASES: Record<DrillSize, number> = { small: 2_000, full: 100_000 };

/**
 * Lambda splits stdout lines at 64 KiB in places and CloudWatch cuts events at 256 KB. Version 2
 * caps lines at LIMITS.maxLineChars UTF-16 units, at most 3 bytes of UTF-8 each: under 64 KiB.
 */
export const LINE_BYTE_CAP = 64 * 1024;

/** The log group and stream of the fuzzed events: the reader knows the function's name and version from them. */
const LOG_GROUP = '/aws/lambda/fuzzed';
const LOG_STREAM = '2026/11/25/[$LATEST]0123456789abcdef0123456789abcdef';
const SOURCE: LineSource = lineSourceOf(LOG_GROUP, LOG_STREAM);

/** Share of the cases per property. */
const SHARES = { genuineV2: 0.15, genuineV1: 0.1, mutatedV1: 0.15, mutatedV2: 0.2, foreign: 0.1, events: 0.1, brokenEvents: 0.1, kinesis: 0.1 } as const;

interface Tally {
  accepted: number;
  rejected: Record<SkipReason, number>;
  maxLineBytes: number;
  maxLineChars: number;
  linesOver64KiB: number;
  truncatedGenuine: number;
  genuineSpans: number;
  multiSpanLines: number;
  splitInvocations: number;
  acceptedMultiSpan: number;
  /** Accepted lines whose trunc names a span the line does not hold, or one span twice. */
  truncOutOfRange: number;
}

export async function run(size: DrillSize, options: { seed?: number } = {}): Promise<DrillResult> {
  return measure('fuzz', size, async (result) => {
    const total = FUZZ_CASES[size];
    const seed = options.seed ?? Date.now() % 2 ** 31;
    const tally: Tally = {
      accepted: 0,
      rejected: Object.fromEntries(SKIP_REASONS.map((r) => [r, 0])) as Record<SkipReason, number>,
      maxLineBytes: 0,
      maxLineChars: 0,
      linesOver64KiB: 0,
      truncatedGenuine: 0,
      genuineSpans: 0,
      multiSpanLines: 0,
      splitInvocations: 0,
      acceptedMultiSpan: 0,
      truncOutOfRange: 0,
    };
    const failures: string[] = [];
    const check = async <T extends [unknown]>(name: string, property: fc.IProperty<T> | fc.IAsyncProperty<T>, share: number) => {
      const numRuns = Math.max(1, Math.round(total * share));
      const details = await fc.check(property as fc.IAsyncProperty<T>, { numRuns, seed });
      result.figures[`${name} cases`] = details.numRuns;
      if (details.failed) failures.push(`${name}: ${errorOf(details.errorInstance)}\n${fc.defaultReportMessage(details) ?? 'failed'}`.slice(0, 4000));
    };

    // 1. Genuine version-2 lines: the spans of an invocation as LogTracer writes them
    // (encodeSpanLines), each line under the caps and accepted, every span back once, in order,
    // holding exactly what its line says; re-encoding the decoded spans gives the same line.
    await check(
      'genuine v2 lines',
      fc.property(fc.tuple(invocationSpans, lineOptions), ([input, options]) => {
        const lines = encodeSpanLines(input, options);
        if (input.length === 1 && lines.length === 1 && lines[0] !== encodeSpanLine(input[0], options)) throw new Error('encodeSpanLine and encodeSpanLines differ for one span');
        const out: FinishedSpan[] = [];
        for (const line of lines) {
          underTheCaps(line, tally);
          const decoded = decodeSpanLine(line, options.source);
          if (!decoded.ok) throw new Error(`genuine line rejected: ${decoded.reason} ${decoded.detail ?? ''}\n${line.slice(0, 500)}`);
          tally.truncatedGenuine += decoded.truncated.length;
          tally.genuineSpans += decoded.spans.length;
          if (decoded.spans.length > 1) tally.multiSpanLines++;
          holdsExactly(line, decoded, options.source);
          const again = encodeSpanLines(decoded.spans, options);
          if (again.length !== 1) throw new Error(`re-encoding one line's spans gave ${again.length} lines`);
          if (isWellFormed(line) && !LONE_SURROGATE_ESCAPE.test(line) && withoutTrunc(again[0]) !== withoutTrunc(line)) {
            throw new Error(`re-encoding changed the line:\n${line.slice(0, 400)}\n${again[0].slice(0, 400)}`);
          }
          const reread = decodeSpanLine(again[0], options.source);
          if (!reread.ok || !isDeepStrictEqual(canonical(reread.spans), canonical(decoded.spans))) throw new Error(`re-encoded line reads back otherwise:\n${again[0].slice(0, 400)}`);
          for (const span of decoded.spans) reachesCollectorExactly(span);
          out.push(...decoded.spans);
        }
        if (lines.length > 1) tally.splitInvocations++;
        // Every span once: ids, trace, parent and start as the function recorded them.
        const key = (s: { traceId: string; spanId: string; parentSpanId?: string }) => `${s.traceId}/${s.spanId}/${s.parentSpanId ?? '-'}`;
        if (!isDeepStrictEqual(out.map(key).sort(), input.map(key).sort())) throw new Error(`the lines do not hold the invocation's spans: ${out.length} of ${input.length}`);
        for (const span of out) {
          const recorded = input.find((s) => key(s) === key(span))!;
          if (span.startMicros !== micros(recorded.startMicros) || span.durationMicros !== micros(recorded.durationMicros)) throw new Error(`span ${span.spanId}: times ${span.startMicros}+${span.durationMicros}, recorded ${recorded.startMicros}+${recorded.durationMicros}`);
        }
      }),
      SHARES.genuineV2,
    );

    // 1b. Genuine version-1 lines (log groups keep weeks of them): the same round trip.
    await check(
      'genuine v1 lines',
      fc.property(spanToEncode, (input) => {
        const line = encodeSpanLineV1(input);
        const bytes = Buffer.byteLength(line, 'utf8');
        if (line.length > LIMITS.maxLineCharsV1 || bytes >= LINE_BYTE_CAP) throw new Error(`v1 line of ${line.length} chars, ${bytes} bytes`);
        const decoded = decodeSpanLine(line);
        if (!decoded.ok) throw new Error(`genuine v1 line rejected: ${decoded.reason} ${decoded.detail ?? ''}\n${line.slice(0, 500)}`);
        if (decoded.spans.length !== 1) throw new Error(`a v1 line read as ${decoded.spans.length} spans`);
        tally.truncatedGenuine += decoded.truncated.length;
        holdsExactly(line, decoded);
        const again = encodeSpanLineV1(decoded.spans[0]);
        if (withoutTrunc(again) !== withoutTrunc(JSON.stringify(wellFormed(JSON.parse(line))))) {
          throw new Error(`re-encoding changed the v1 line:\n${line.slice(0, 400)}\n${again.slice(0, 400)}`);
        }
        reachesCollectorExactly(decoded.spans[0]);
      }),
      SHARES.genuineV1,
    );

    // 2. Mutated genuine lines (v2: one line of an invocation mutated, v1: one span's line) and
    // 3. foreign ones: never a throw, a reason for every rejection, an accepted line holds
    // exactly what it says; the invocation's other lines are still read in full.
    const anyLine = (line: string, source?: LineSource) => {
      const decoded = decodeLine(line, tally, source);
      if (decoded.ok) {
        holdsExactly(line, decoded, source);
        for (const span of decoded.spans) reachesCollectorExactly(span);
      }
      return decoded;
    };
    await check('mutated v1 lines', fc.property(mutatedLine(encodeSpanLineV1), (line) => void anyLine(line)), SHARES.mutatedV1);
    await check(
      'mutated v2 lines',
      fc.property(mutatedV2Lines(encodeSpanLines), (lines) => {
        for (const line of lines) anyLine(line, SOURCE);
      }),
      SHARES.mutatedV2,
    );
    await check('foreign lines', fc.property(foreignLine, (line) => void anyLine(line)), SHARES.foreign);

    // 4. Readable subscription events through the real handler logic: every line accounted for,
    // one bad line never costs the others (the genuine lines' spans all go out, in order).
    const genuineV2 = fc.tuple(invocationSpans, lineOptions).map(([spans, options]) => encodeSpanLines(spans, { ...options, source: SOURCE }));
    const lineMix = fc
      .array(
        fc.oneof(
          genuineV2.map((lines) => lines.map((line) => ({ line, genuine: true }))),
          spanToEncode.map((span) => [{ line: encodeSpanLineV1(span), genuine: true }]),
          mutatedV2Lines(encodeSpanLines).map((lines) => lines.map((line) => ({ line, genuine: false }))),
          mutatedLine(encodeSpanLineV1).map((line) => [{ line, genuine: false }]),
          foreignLine.map((line) => [{ line, genuine: false }]),
        ),
        { maxLength: 12 },
      )
      .map((groups) => groups.flat());
    const events = lineMix.map((lines) => lines.map((l) => l.line));
    await check(
      'subscription events',
      fc.asyncProperty(lineMix, async (mix) => {
        const messages = mix.map((m) => m.line);
        const event = encodeSubscriptionEvent({
          messageType: 'DATA_MESSAGE',
          owner: '123456789012',
          logGroup: LOG_GROUP,
          logStream: LOG_STREAM,
          subscriptionFilters: ['span-lines'],
          logEvents: messages.map((message, i) => ({ id: String(i), timestamp: 1764045116123 + i, message })),
        });
        const exporter = new InMemoryExporter();
        const summaries: string[] = [];
        const summary = await forwardSubscriptionEvent(event, exporter, (line) => summaries.push(line));
        const skipped = SKIP_REASONS.reduce((sum, reason) => sum + summary.skipped[reason], 0);
        const decoded = messages.map((m) => decodeSpanLine(m, SOURCE));
        const expected = decoded.flatMap((d) => (d.ok ? d.spans : []));
        const lines = decoded.filter((d) => d.ok).length;
        if (summary.received !== messages.length || summary.lines + skipped !== summary.received || summary.lines !== lines || summary.forwarded !== expected.length) {
          throw new Error(`summary does not add up: ${JSON.stringify(summary)} for ${messages.length} events, ${lines} span lines, ${expected.length} spans`);
        }
        const truncated = decoded.reduce((sum, d) => sum + (d.ok ? d.truncated.length : 0), 0);
        if (summary.truncated !== truncated) throw new Error(`summary counts ${summary.truncated} truncated spans, the lines mark ${truncated}`);
        mix.forEach((m, i) => {
          if (m.genuine && !decoded[i].ok) throw new Error(`a genuine line among bad ones was not read: ${JSON.stringify(decoded[i])}`);
        });
        if (!isDeepStrictEqual(canonical(exporter.flushed), canonical(expected))) throw new Error('the exporter did not get exactly the accepted spans, in order');
        if (summaries.length !== 1) throw new Error('no summary line');
        const line = JSON.parse(summaries[0]) as { LinesReceived: number; SpanLines: number; SpansAttempted: number; SpansTruncated: number; LinesSkipped: number };
        if (line.LinesReceived !== messages.length || line.SpanLines !== lines || line.LinesSkipped !== skipped || line.SpansAttempted !== expected.length || line.SpansTruncated !== truncated) {
          throw new Error(`summary line ${summaries[0]} for ${messages.length} events, ${lines} span lines, ${skipped} skipped, ${expected.length} spans`);
        }
      }),
      SHARES.events,
    );

    // 5. Unreadable events: a MalformedSubscriptionEventError naming the problem, nothing else.
    const validData = events.map((messages) => encodeSubscriptionEvent(payloadOf(messages)).awslogs.data);
    const rejectedEvents: Record<string, number> = {};
    let readableBroken = 0;
    await check(
      'broken events',
      fc.asyncProperty(brokenEvent(validData), async (event) => {
        let payloadOk = false;
        try {
          decodeSubscriptionEvent(event as CloudWatchLogsEvent);
          payloadOk = true;
        } catch (error) {
          if (!(error instanceof MalformedSubscriptionEventError)) throw new Error(`decodeSubscriptionEvent threw ${String(error)}`);
          const kind = error.message.replace(/:[\s\S]*$/, '').replace(/\[\d+\]/, '[i]').replace(/^(unknown messageType)[\s\S]*/, '$1');
          rejectedEvents[kind] = (rejectedEvents[kind] ?? 0) + 1;
        }
        // The handler logic: resolves for what decodes, rejects with the same error class for the rest.
        try {
          await forwardSubscriptionEvent(event as CloudWatchLogsEvent, new InMemoryExporter(), () => undefined);
          if (!payloadOk) throw new Error('the handler accepted an event the decoder refused');
          readableBroken++;
        } catch (error) {
          if (payloadOk || !(error instanceof MalformedSubscriptionEventError)) throw error;
        }
      }),
      SHARES.brokenEvents,
    );

    // 6. Kinesis batches (the stream path): good records among corrupt ones. The batch always
    // resolves, corrupt records are skipped and counted, the good records' spans all go out, in order.
    const corruptRecords: Record<string, number> = {};
    // Smaller payloads per record than the events above: a batch holds several of them.
    const smallEvents = lineMix.map((mix) => mix.slice(0, 6).map((m) => m.line));
    const smallData = smallEvents.map((messages) => encodeSubscriptionEvent(payloadOf(messages)).awslogs.data);
    await check(
      'kinesis batches',
      fc.asyncProperty(fc.array(fc.oneof(smallEvents.map((messages) => ({ good: true as const, payload: payloadOf(messages) })), brokenEvent(smallData).map((broken) => ({ good: false as const, broken }))), { minLength: 1, maxLength: 5 }), async (items) => {
        const good = encodeKinesisEvent(items.map((item) => (item.good ? item.payload : payloadOf([])))).Records;
        const records: unknown[] = items.map((item, i) => (item.good ? good[i] : corruptRecord(good[i], item.broken)));
        const event = { Records: records } as KinesisStreamEvent;
        const expected: FinishedSpan[] = [];
        let corrupt = 0;
        records.forEach((record, i) => {
          try {
            const payload = decodeKinesisRecord(record, i);
            if (payload.messageType !== 'DATA_MESSAGE') return;
            const source = lineSourceOf(payload.logGroup, payload.logStream);
            for (const e of payload.logEvents) {
              const d = decodeSpanLine(e.message, source);
              if (d.ok) expected.push(...d.spans);
            }
          } catch (error) {
            if (!(error instanceof MalformedSubscriptionEventError)) throw new Error(`decodeKinesisRecord threw ${String(error)}`);
            corrupt++;
            const kind = error.message.replace(/^Records\[\d+\][.:]? ?/, '').replace(/:[\s\S]*$/, '').replace(/\[\d+\]/, '[i]').replace(/^(unknown messageType|is not a Kinesis record)[\s\S]*/, '$1');
            corruptRecords[kind] = (corruptRecords[kind] ?? 0) + 1;
          }
        });
        const exporter = new InMemoryExporter();
        const lines: string[] = [];
        const response = await forwardKinesisEvent(event, exporter, (line) => lines.push(line));
        if (response.batchItemFailures.length !== 0) throw new Error(`records failed: ${JSON.stringify(response.batchItemFailures)}`);
        if (!isDeepStrictEqual(canonical(exporter.flushed), canonical(expected))) throw new Error('the exporter did not get exactly the spans of the good records, in order');
        const batchLine = lines.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => 'RecordsCorrupt' in l);
        if (batchLine?.RecordsCorrupt !== corrupt) throw new Error(`the batch line counts ${String(batchLine?.RecordsCorrupt)} corrupt records, not ${corrupt}`);
      }),
      SHARES.kinesis,
    );
    for (const [kind, count] of Object.entries(corruptRecords).sort()) result.figures[`kinesis records skipped as corrupt: ${kind}`] = count;

    result.figures['cases in all'] = Object.entries(result.figures).reduce((sum, [k, v]) => sum + (k.endsWith(' cases') && typeof v === 'number' ? v : 0), 0);
    result.figures.seed = seed;
    result.figures['lines accepted'] = tally.accepted;
    for (const reason of SKIP_REASONS) result.figures[`lines rejected: ${reason}`] = tally.rejected[reason];
    result.figures['lines accepted holding several spans'] = tally.acceptedMultiSpan;
    result.figures['genuine spans read back'] = tally.genuineSpans;
    result.figures['genuine v2 lines holding several spans'] = tally.multiSpanLines;
    result.figures['invocations written as several lines'] = tally.splitInvocations;
    result.figures['genuine spans the encoder cut (trunc)'] = tally.truncatedGenuine;
    result.figures['longest genuine v2 line (bytes)'] = tally.maxLineBytes;
    result.figures['longest genuine v2 line (chars)'] = tally.maxLineChars;
    result.figures['genuine v2 lines over 64 KiB'] = tally.linesOver64KiB;
    result.figures['accepted lines whose trunc names a missing span or one twice'] = tally.truncOutOfRange;
    for (const [kind, count] of Object.entries(rejectedEvents).sort()) result.figures[`events rejected: ${kind}`] = count;
    result.figures['broken events still readable'] = readableBroken;
    result.figures.failures = failures.length;
    result.errors.push(...failures);
  });
}

/** What a failed property threw, first (the counterexample after it can be long). */
function errorOf(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).slice(0, 1500);
}

function decodeLine(line: string, tally: Tally, source?: LineSource) {
  let decoded: ReturnType<typeof decodeSpanLine>;
  try {
    decoded = decodeSpanLine(line, source);
  } catch (error) {
    throw new Error(`decodeSpanLine threw ${String(error)} for ${JSON.stringify(line.slice(0, 200))}`);
  }
  if (decoded.ok) {
    tally.accepted++;
    if (decoded.spans.length > 1) tally.acceptedMultiSpan++;
    if (new Set(decoded.truncated).size !== decoded.truncated.length || decoded.truncated.some((i) => !(i >= 0 && i < decoded.spans.length))) tally.truncOutOfRange++;
  } else if (SKIP_REASONS.includes(decoded.reason)) tally.rejected[decoded.reason]++;
  else throw new Error(`unknown reason ${String(decoded.reason)}`);
  return decoded;
}

/**
 * The decoded spans are exactly the line's content (lone surrogates → U+FFFD), nothing dropped
 * or invented, read here on their own from format.ts (either version): an accepted line the
 * format forbids (an index past its table, a time before 0 or past 2^53, n not the span count)
 * is a failure too.
 */
function holdsExactly(line: string, decoded: Extract<DecodeResult, { ok: true }>, source: LineSource = {}): void {
  const o = wellFormed(JSON.parse(line.trimEnd())) as Record<string, never>;
  const expected = o.otspan === 1 ? readV1(o) : readV2(o, source);
  if (typeof expected === 'string') throw new Error(`accepted a line the format forbids (${expected}):\n${line.slice(0, 400)}`);
  if (!isDeepStrictEqual(canonical(decoded.spans), canonical(expected.spans))) {
    throw new Error(`decoded spans differ from their line:\n${line.slice(0, 400)}\n${JSON.stringify(canonical(decoded.spans)).slice(0, 400)}\n${JSON.stringify(canonical(expected.spans)).slice(0, 400)}`);
  }
  if (!isDeepStrictEqual([...new Set(decoded.truncated)].sort(), [...new Set(expected.truncated)].sort())) {
    throw new Error(`truncated ${JSON.stringify(decoded.truncated)}, the line marks ${JSON.stringify(expected.truncated)}:\n${line.slice(0, 400)}`);
  }
}

type Read = { spans: FinishedSpan[]; truncated: number[] } | string;

function readV1(o: Record<string, never>): Read {
  const span: FinishedSpan = {
    traceId: o.trace,
    spanId: o.span,
    operation: o.op,
    component: o.comp,
    startMicros: o.start,
    durationMicros: o.dur,
    tags: o.tags ?? {},
    logs: ((o.logs ?? []) as Array<{ t: number; f: Record<string, never> }>).map((l) => ({ timestampMicros: l.t, fields: l.f })),
    baggage: o.bag ?? {},
  };
  if (o.parent !== undefined) span.parentSpanId = o.parent;
  return { spans: [span], truncated: (o.trunc as unknown) === 1 ? [0] : [] };
}

const inTime = (micros: number) => Number.isSafeInteger(micros) && micros >= 0;

function readV2(o: Record<string, never>, source: LineSource): Read {
  type Log = { t: number; f: Record<string, SpanValue> };
  type Entry = [string, number | string | null, number, number, number, SpanValue[]?, Log[]?, Record<string, string>?];
  const entries = (o.spans ?? []) as Entry[];
  if (((o.n as number | undefined) ?? 1) !== entries.length + 1) return `n is ${String(o.n)}, ${entries.length + 1} spans`;
  const t = o.t as number;
  const keys = (o.keys ?? []) as string[];
  const logsOf = (logs: Log[] | undefined) => (logs ?? []).map((l) => ({ timestampMicros: t + l.t, fields: l.f }));
  const baggage = (o.bag ?? {}) as Record<string, string>;
  const head: FinishedSpan = {
    traceId: o.trace,
    spanId: o.id,
    operation: o.op,
    component: o.comp ?? DEFAULT_COMPONENT,
    startMicros: t,
    durationMicros: o.dur,
    tags: { ...((o.tags ?? {}) as Record<string, SpanValue>) },
    logs: logsOf(o.logs),
    baggage,
  };
  if (Object.prototype.hasOwnProperty.call(o.tags ?? {}, '__proto__')) define(head.tags, '__proto__', (o.tags as Record<string, SpanValue>)['__proto__']);
  if (o.parent !== undefined) head.parentSpanId = o.parent;
  if (head.logs.some((l) => !inTime(l.timestampMicros))) return 'a head log out of time';
  if (o.req !== undefined) {
    // format.ts: req restores aws.request_id; span.kind server and faas.coldstart false unless the
    // tags say otherwise; faas.name and faas.version from the log group and stream.
    const implied: Record<string, SpanValue> = { 'aws.request_id': o.req, 'span.kind': 'server', 'faas.coldstart': false };
    if (source.functionName !== undefined) implied['faas.name'] = source.functionName;
    if (source.functionVersion !== undefined) implied['faas.version'] = source.functionVersion;
    for (const [k, v] of Object.entries(implied)) if (k === 'aws.request_id' || head.tags[k] === undefined) head.tags[k] = v;
  }
  if (o.http !== undefined) {
    const [method, path, status] = o.http as [string, string, number?];
    head.tags['http.method'] = method;
    head.tags['http.path'] = path;
    if (status !== undefined) head.tags['http.status_code'] = status;
  }
  const spans: FinishedSpan[] = [];
  for (const [i, [id, parent, op, start, dur, flat, logs, bag]] of entries.entries()) {
    if (!(op < keys.length)) return `entry ${i} op ${op} of ${keys.length} keys`;
    if (!inTime(t + start)) return `entry ${i} starts out of time`;
    const tags: Record<string, SpanValue> = {};
    const list = flat ?? [];
    if (list.length % 2 !== 0) return `entry ${i} tags of odd length`;
    for (let k = 0; k < list.length; k += 2) {
      const index = list[k];
      if (typeof index !== 'number' || !Number.isInteger(index) || index < 0 || index >= keys.length) return `entry ${i} tag key ${String(index)} of ${keys.length}`;
      define(tags, keys[index], list[k + 1]);
    }
    const span: FinishedSpan = { traceId: o.trace, spanId: id, operation: keys[op], component: head.component, startMicros: t + start, durationMicros: dur, tags, logs: logsOf(logs), baggage: bag ?? baggage };
    if (span.logs.some((l) => !inTime(l.timestampMicros))) return `entry ${i} log out of time`;
    if (typeof parent === 'string') span.parentSpanId = parent;
    else if (typeof parent === 'number') {
      if (parent > entries.length) return `entry ${i} parent ${parent} of ${entries.length}`;
      span.parentSpanId = parent === 0 ? head.spanId : entries[parent - 1][0];
    }
    spans.push(span);
  }
  spans.push(head);
  const truncated = ((o.trunc ?? []) as number[]).filter((k) => k <= entries.length).map((k) => (k === 0 ? entries.length : k - 1));
  return { spans, truncated };
}

/** A genuine line's size: under LIMITS.maxLineChars and CloudWatch's event limit. */
function underTheCaps(line: string, tally: Tally): void {
  const bytes = Buffer.byteLength(line, 'utf8');
  tally.maxLineBytes = Math.max(tally.maxLineBytes, bytes);
  tally.maxLineChars = Math.max(tally.maxLineChars, line.length);
  if (bytes >= LINE_BYTE_CAP) tally.linesOver64KiB++;
  if (line.length > LIMITS.maxLineChars || bytes > MAX_EVENT_MESSAGE_BYTES) throw new Error(`line of ${line.length} chars, ${bytes} bytes`);
}

/** µs as the encoders write them (caps.ts): integers from 0 to 2^53-1. */
function micros(value: number): number {
  if (!(value > 0)) return 0;
  return value >= Number.MAX_SAFE_INTEGER ? Number.MAX_SAFE_INTEGER : Math.round(value);
}

/** Through the wire format both ways (the forwarder's encode, the collector's decode): nothing changes. */
function reachesCollectorExactly(span: FinishedSpan): void {
  const [stored] = spansFromReport(decodeReportRequest(encodeReportRequest({ component: span.component, accessToken: 'fuzz', spans: [span] })));
  const tags: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(span.tags)) define(tags, k, v);
  for (const [k, v] of Object.entries(span.baggage)) define(tags, `baggage.${k}`, v);
  const expected: Record<string, unknown> = {
    traceId: span.traceId.slice(-16),
    spanId: span.spanId,
    operation: span.operation,
    component: span.component,
    startMicros: span.startMicros,
    durationMicros: span.durationMicros,
    tags,
    logs: span.logs,
  };
  if (span.parentSpanId !== undefined) expected.parentSpanId = span.parentSpanId;
  if (!isDeepStrictEqual(canonical(stored), canonical(expected))) {
    throw new Error(`the collector stored something else:\n${JSON.stringify(canonical(expected)).slice(0, 600)}\n${JSON.stringify(canonical(stored)).slice(0, 600)}`);
  }
}

function define(record: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true });
}

/** JSON's view of a value: -0 is 0, prototypes do not matter, own keys (even __proto__) do. */
function canonical(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value));
}

/** Every string (keys too) with lone surrogates replaced by U+FFFD: what UTF-8 can carry. */
function wellFormed(value: unknown): unknown {
  if (typeof value === 'string') return toWellFormed(value);
  if (Array.isArray(value)) return value.map(wellFormed);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) define(out, toWellFormed(k), wellFormed(v));
    return out;
  }
  return value;
}

// ES2024's String.prototype.toWellFormed (Node 20 has it; the project's lib is ES2022).
const toWellFormed = (s: string): string => (s as unknown as { toWellFormed(): string }).toWellFormed();

/** A line without its trunc mark (re-encoding what the caps already cut marks nothing). */
const withoutTrunc = (line: string) => line.replace(/,"trunc":(1|\[[\d,]*\])}$/, '}');

/** A JSON escape of a lone surrogate (the decoder reads it as U+FFFD, so the re-encoded line differs). */
const LONE_SURROGATE_ESCAPE = /\\u[dD][89a-fA-F]/;
const isWellFormed = (s: string): boolean => (s as unknown as { isWellFormed(): boolean }).isWellFormed();

function payloadOf(messages: string[]) {
  return {
    messageType: 'DATA_MESSAGE' as const,
    owner: '123456789012',
    logGroup: LOG_GROUP,
    logStream: 's',
    subscriptionFilters: ['span-lines'],
    logEvents: messages.map((message, i) => ({ id: String(i), timestamp: 1 + i, message })),
  };
}

export function problems(result: DrillResult): string[] {
  return unmet(result, [
    ['failures', zero, `a property failed: ${result.errors.join('\n')}`],
    ['genuine v2 lines over 64 KiB', zero, 'a genuine line over 64 KiB (Lambda splits stdout lines there in places)'],
    ['lines accepted', positive, 'no line was accepted: the round trip was never checked'],
    ['lines rejected: truncated', positive, 'no truncated line was generated'],
    ['lines rejected: bad_field', positive, 'no malformed field was generated'],
    ['genuine spans the encoder cut (trunc)', positive, 'no genuine span hit the caps'],
    ['genuine v2 lines holding several spans', positive, 'no genuine line held an invocation of several spans'],
    ['lines accepted holding several spans', positive, 'no multi-span line reached the mutation round trip'],
    ['invocations written as several lines', positive, 'no invocation passed LIMITS.maxLineChars (the split was never checked)'],
  ]);
}

/** A good record made corrupt: its data replaced by broken data, its source changed, or not a record at all. */
function corruptRecord(record: KinesisStreamEvent['Records'][number], broken: unknown): unknown {
  const data = (broken as { awslogs?: { data?: unknown } } | null)?.awslogs?.data;
  if (typeof data === 'string') return { ...record, kinesis: { ...record.kinesis, data } };
  if (broken === null || typeof broken !== 'object') return broken;
  if (Array.isArray(broken)) return { ...record, eventSource: 'aws:sqs' };
  return { ...record, kinesis: { ...record.kinesis, data: (broken as { awslogs?: unknown }).awslogs ?? broken } };
}
