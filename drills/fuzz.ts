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
import { decodeSpanLine, encodeSpanLine, LIMITS, SKIP_REASONS, type FinishedSpan, type SkipReason } from '../src/span-line';
import { brokenEvent, foreignLine, mutatedLine, spanToEncode } from './fuzz-inputs';
import { measure, positive, unmet, zero, type DrillResult, type DrillSize } from './support/drill';

export const FUZZ_CASES: Record<DrillSize, number> = { small: 2_000, full: 100_000 };

/** Lambda splits stdout lines at 64 KiB in places and CloudWatch cuts events at 256 KB: stay under both. */
export const LINE_BYTE_CAP = 64 * 1024;

/** Share of the cases per property. */
const SHARES = { genuine: 0.25, mutated: 0.3, foreign: 0.15, events: 0.1, brokenEvents: 0.1, kinesis: 0.1 } as const;

interface Tally {
  accepted: number;
  rejected: Record<SkipReason, number>;
  maxLineBytes: number;
  truncatedGenuine: number;
}

export async function run(size: DrillSize, options: { seed?: number } = {}): Promise<DrillResult> {
  return measure('fuzz', size, async (result) => {
    const total = FUZZ_CASES[size];
    const seed = options.seed ?? Date.now() % 2 ** 31;
    const tally: Tally = { accepted: 0, rejected: Object.fromEntries(SKIP_REASONS.map((r) => [r, 0])) as Record<SkipReason, number>, maxLineBytes: 0, truncatedGenuine: 0 };
    const failures: string[] = [];
    const check = async <T extends [unknown]>(name: string, property: fc.IProperty<T> | fc.IAsyncProperty<T>, share: number) => {
      const numRuns = Math.max(1, Math.round(total * share));
      const details = await fc.check(property as fc.IAsyncProperty<T>, { numRuns, seed });
      result.figures[`${name} cases`] = details.numRuns;
      if (details.failed) failures.push(`${name}: ${fc.defaultReportMessage(details) ?? 'failed'}`.slice(0, 4000));
    };

    // 1. Genuine lines: accepted, under the caps, and re-encoding the decoded span gives the same line.
    await check(
      'genuine lines',
      fc.property(spanToEncode, (input) => {
        const line = encodeSpanLine(input);
        const bytes = Buffer.byteLength(line, 'utf8');
        tally.maxLineBytes = Math.max(tally.maxLineBytes, bytes);
        if (line.length > LIMITS.maxLineChars || bytes >= LINE_BYTE_CAP) throw new Error(`line of ${line.length} chars, ${bytes} bytes`);
        const decoded = decodeSpanLine(line);
        if (!decoded.ok) throw new Error(`genuine line rejected: ${decoded.reason} ${decoded.detail ?? ''}\n${line.slice(0, 500)}`);
        if (decoded.truncated) tally.truncatedGenuine++;
        holdsExactly(line, decoded.span, decoded.truncated);
        const again = encodeSpanLine(decoded.span);
        if (withoutTruncMark(again) !== withoutTruncMark(JSON.stringify(wellFormed(JSON.parse(line))))) {
          throw new Error(`re-encoding changed the line:\n${line.slice(0, 400)}\n${again.slice(0, 400)}`);
        }
        reachesCollectorExactly(decoded.span);
      }),
      SHARES.genuine,
    );

    // 2. Mutated genuine lines and 3. foreign ones: never a throw, a reason for every rejection.
    const anyLine = (line: string) => {
      const decoded = decodeLine(line, tally);
      if (decoded.ok) {
        holdsExactly(line, decoded.span, decoded.truncated);
        reachesCollectorExactly(decoded.span);
      }
    };
    await check('mutated lines', fc.property(mutatedLine(encodeSpanLine), anyLine), SHARES.mutated);
    await check('foreign lines', fc.property(foreignLine, anyLine), SHARES.foreign);

    // 4. Readable subscription events through the real handler logic: every line accounted for.
    const lineMix = fc.oneof(spanToEncode.map(encodeSpanLine), mutatedLine(encodeSpanLine), foreignLine);
    const events = fc.array(lineMix, { maxLength: 30 });
    await check(
      'subscription events',
      fc.asyncProperty(events, async (messages) => {
        const event = encodeSubscriptionEvent({
          messageType: 'DATA_MESSAGE',
          owner: '123456789012',
          logGroup: '/aws/lambda/fuzzed',
          logStream: '2026/11/25/[$LATEST]0123456789abcdef0123456789abcdef',
          subscriptionFilters: ['span-lines'],
          logEvents: messages.map((message, i) => ({ id: String(i), timestamp: 1764045116123 + i, message })),
        });
        const exporter = new InMemoryExporter();
        const summaries: string[] = [];
        const summary = await forwardSubscriptionEvent(event, exporter, (line) => summaries.push(line));
        const skipped = SKIP_REASONS.reduce((sum, reason) => sum + summary.skipped[reason], 0);
        if (summary.received !== messages.length || summary.forwarded + skipped !== summary.received) throw new Error(`summary does not add up: ${JSON.stringify(summary)}`);
        const expected = messages.map((m) => decodeSpanLine(m)).flatMap((d) => (d.ok ? [d.span] : []));
        if (!isDeepStrictEqual(canonical(exporter.flushed), canonical(expected))) throw new Error('the exporter did not get exactly the accepted spans, in order');
        if (summaries.length !== 1 || (JSON.parse(summaries[0]) as { LinesReceived: number }).LinesReceived !== messages.length) throw new Error('no summary line');
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
    const smallEvents = fc.array(lineMix, { maxLength: 6 });
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
            if (payload.messageType === 'DATA_MESSAGE') for (const e of payload.logEvents) { const d = decodeSpanLine(e.message); if (d.ok) expected.push(d.span); }
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
    result.figures['genuine lines the encoder cut (trunc:1)'] = tally.truncatedGenuine;
    result.figures['longest genuine line (bytes)'] = tally.maxLineBytes;
    for (const [kind, count] of Object.entries(rejectedEvents).sort()) result.figures[`events rejected: ${kind}`] = count;
    result.figures['broken events still readable'] = readableBroken;
    result.figures.failures = failures.length;
    result.errors.push(...failures);
  });
}

function decodeLine(line: string, tally: Tally) {
  let decoded: ReturnType<typeof decodeSpanLine>;
  try {
    decoded = decodeSpanLine(line);
  } catch (error) {
    throw new Error(`decodeSpanLine threw ${String(error)} for ${JSON.stringify(line.slice(0, 200))}`);
  }
  if (decoded.ok) tally.accepted++;
  else if (SKIP_REASONS.includes(decoded.reason)) tally.rejected[decoded.reason]++;
  else throw new Error(`unknown reason ${String(decoded.reason)}`);
  return decoded;
}

/** The decoded span is exactly the line's content (lone surrogates → U+FFFD), nothing dropped or invented. */
function holdsExactly(line: string, span: FinishedSpan, truncated: boolean): void {
  const o = wellFormed(JSON.parse(line.trimEnd())) as Record<string, never>;
  const expected: FinishedSpan = {
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
  if (o.parent !== undefined) expected.parentSpanId = o.parent;
  if (!isDeepStrictEqual(canonical(span), canonical(expected))) throw new Error(`decoded span differs from its line:\n${line.slice(0, 400)}`);
  if (truncated !== ((o.trunc as unknown) === 1)) throw new Error('truncated flag differs from the line');
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

const withoutTruncMark = (line: string) => line.replace(/,"trunc":1}$/, '}');

function payloadOf(messages: string[]) {
  return {
    messageType: 'DATA_MESSAGE' as const,
    owner: '123456789012',
    logGroup: '/aws/lambda/fuzzed',
    logStream: 's',
    subscriptionFilters: ['span-lines'],
    logEvents: messages.map((message, i) => ({ id: String(i), timestamp: 1 + i, message })),
  };
}

export function problems(result: DrillResult): string[] {
  return unmet(result, [
    ['failures', zero, `a property failed: ${result.errors.join('\n')}`],
    ['lines accepted', positive, 'no line was accepted: the round trip was never checked'],
    ['lines rejected: truncated', positive, 'no truncated line was generated'],
    ['lines rejected: bad_field', positive, 'no malformed field was generated'],
    ['genuine lines the encoder cut (trunc:1)', positive, 'no genuine line hit the caps'],
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
