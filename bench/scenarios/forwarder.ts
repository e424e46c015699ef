/**
 * Scenario 4: the forwarder. The bundled LogSpanForwarder handler (as `sam build` makes it) runs
 * in its own process on realistic subscription events of 100 and 1,000 span lines and on the
 * largest delivery, reporting to the LightStep-protocol sink in ANOTHER process that answers at
 * once; then the same against the embedded collector (protobuf decode + SQLite) for its ingest
 * rate. The lines are span-line format 2 as the function writes them now (one line per
 * invocation, alternating invocations of 1 and 11 spans: 6 spans per line on average), plus one
 * row of version-1 lines (one span each: old log groups) to the sink. Rates count spans, not
 * lines. The floors: base64 + gunzip + JSON.parse of the same events (the envelope; gunzip
 * fills output chunks of the forwarder's size, unzipChunkBytes, so a faster unzip in the
 * forwarder lowers the floor with it instead of counting as the forwarder's gain), and the
 * decode floor, that plus JSON.parse of every line, each timed right after the event's
 * invocation (this VM's speed drifts: the decode floor of one payload measured 0.75 to 1.13 M
 * spans/s in runs minutes apart). Run alone with `npm run bench -- --only forwarder`.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { BenchBundles } from '../lib/bundles';
import { runWorker, startService, type Service } from '../lib/child';
import { formatBytes, formatMs, formatRate, table } from '../lib/format';
import { BENCH_ACCESS_TOKEN, forwarderNodeArgs } from '../lib/modes';
import { progress } from '../lib/progress';
import { median } from '../lib/stats';
import type { SinkStats } from '../sink/lightstep-sink';
import { unzipChunkBytes } from '../../src/log-span-forwarder/subscription-event';
import { largestBatch, MAX_BATCH_EVENTS, spanCount, spanLines, spanLinesV1, subscriptionEvent, type SpanLines } from './forwarder-payloads';

/** The issue's targets for the forwarder (to the sink, which answers at once: the forwarder's own cost). */
export const FORWARDER_TARGETS = { minSpansPerSecond: 100_000, maxTimesDecodeFloor: 3, maxPeakRssMB: 200 } as const;

const FORWARD_WORKER = path.join(__dirname, '..', 'workers', 'forward.js');
const COLLECTOR_SERVICE = path.join(__dirname, '..', 'sink', 'collector.ts');

interface ForwardResult {
  invocations: Array<{ ms: number; cpuMs: number }>;
  floor: number[];
  decodeFloor: number[];
  /** The warm-up invocations from BENCH_EARLY_FROM on (BENCH_EARLY_COUNT of them), with the decode floors of their events. */
  early: Array<{ ms: number; decodeFloor: number }>;
  maxRssKiB: number;
  roundTripMs: number[];
}

/** Bodiless round trips to the sink the worker times after its invocations. */
const ROUND_TRIPS = 200;

export interface ForwarderFigures {
  target: 'sink' | 'collector';
  /** Span-line format of the lines (2: one line per invocation; 1: one line per span, old log groups). */
  format: 1 | 2;
  /** Span lines per subscription event. */
  events: number;
  /** Spans those lines hold (per event, the last one timed). */
  spans: number;
  /** The largest delivery CloudWatch makes of these lines. */
  largest: boolean;
  /** awslogs.data (base64 of the gzip) and the span lines themselves. */
  payloadBytes: number;
  lineBytes: number;
  repeats: number;
  warmupEvents: number;
  /**
   * To the sink: × the decode floor of the warm-up invocations right after the span warm-up
   * alone (`earlyAfterEvents` events), as many as the timed ones: what the container reads
   * before its per-event code has tiered up (the figure of runs before the event warm-up).
   */
  earlyTimesDecodeFloor?: number;
  earlyAfterEvents?: number;
  /** Median per invocation, ms, and process CPU per invocation. */
  invocationMs: number;
  cpuMs: number;
  spansPerSecond: number;
  /** base64 + gunzip + JSON.parse of the same events (the envelope), spans/s. */
  floorSpansPerSecond: number;
  /** The decode floor: the envelope's floor plus JSON.parse of every line, spans/s. */
  decodeFloorSpansPerSecond: number;
  /** Median over the timed invocations of invocation time ÷ the decode floor of the same event, measured right after it. */
  timesDecodeFloor: number;
  /** The same against the envelope's floor. */
  timesFloor: number;
  /**
   * The invocation's process CPU ÷ the decode floor of the same event (median of the pairs): the
   * forwarder's own work, without its wait for the sink's answer (the verdict is on wall time).
   */
  cpuTimesDecodeFloor?: number;
  /** To the sink: the median of bodiless HTTP round trips from the worker on a kept-alive socket, ms (what every report costs before its bytes). */
  sinkRoundTripMs?: number;
  peakRssKiB: number;
  /** The forwarder's own stdout (its EMF summary line) per invocation. */
  stdoutBytesPerInvocation: number;
  /** Bytes the sink read per span forwarded (HTTP included): what crosses the network to LightStep. */
  networkBytesPerSpan: number | null;
  spansDelivered: number;
  spansSent: number;
}

export async function runForwarderScenario(
  bundles: BenchBundles,
  sink: Service,
  options: { repeats: number; warmupSpans: number; sizes: number[]; timedSpans?: number; minWarmupEvents?: number },
): Promise<ForwarderFigures[]> {
  progress('forwarder: making span lines with the LogTracer (format 2, one line per invocation of 1 or 11 spans)');
  // 0 stands for the largest delivery: as many of these lines as fit one PutLogEvents batch.
  const largest = options.sizes.includes(0) ? largestBatch((await spanLines(MAX_BATCH_EVENTS)).lines) : 0;
  const cases: Array<{ format: 1 | 2; size: number; targets: Array<'sink' | 'collector'> }> = options.sizes.map((size) => ({
    format: 2,
    size: size === 0 ? largest : Math.min(size, MAX_BATCH_EVENTS),
    targets: ['sink', 'collector'],
  }));
  // Old log groups: version-1 lines, one span each, 1,000 per event (about as many spans as 100 v2 lines; cheap: the sink only).
  const v1Size = cases.some((c) => c.size === 1000) ? 1000 : Math.min(...cases.map((c) => c.size));
  cases.push({ format: 1, size: v1Size, targets: ['sink'] });
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-forwarder-'));
  const figures: ForwarderFigures[] = [];
  const collector = await startService(COLLECTOR_SERVICE);
  try {
    for (const { format, size, targets } of cases) {
      // A forwarder container handles batch after batch: warm it up (V8 tiers the code up over
      // thousands of spans) before timing. Fresh lines (fresh span ids) for every event, so no
      // event is a redelivery of another.
      const spansPerEvent = format === 2 ? Math.max(1, Math.round(size * 6)) : size;
      const warmupEvents = Math.max(1, Math.ceil(options.warmupSpans / spansPerEvent));
      const repeats = timedRepeats(options.repeats, options.timedSpans ?? 0, spansPerEvent);
      const files: string[] = [];
      const spansPerFile: number[] = [];
      const unzipChunks: number[] = [];
      let payloadBytes = 0;
      let lineBytes = 0;
      for (let i = 0; i < warmupEvents + repeats; i++) {
        const batch: SpanLines = format === 2 ? await spanLines(size) : await spanLinesV1(size);
        const event = subscriptionEvent(batch.lines);
        payloadBytes = event.awslogs.data.length;
        lineBytes = batch.lines.reduce((sum, line) => sum + Buffer.byteLength(line), 0);
        const file = path.join(dir, `event-v${format}-${size}-${i}.json`);
        writeFileSync(file, JSON.stringify(event));
        files.push(file);
        spansPerFile.push(spanCount(batch));
        unzipChunks.push(unzipChunkBytes(Buffer.from(event.awslogs.data, 'base64').length));
      }
      const spans = spansPerFile[spansPerFile.length - 1];
      const events: PlannedEvent[] = files.map((file, i) => ({ file, spans: spansPerFile[i], unzipChunk: unzipChunks[i] }));
      for (const target of targets) {
        // The sink's container also warms up by events; the collector gets each span once (it dedupes).
        const warmup = target === 'sink' ? sinkWarmupEvents(warmupEvents, spansPerEvent, options.minWarmupEvents ?? 0) : warmupEvents;
        const plan = runPlan(events, warmupEvents, warmup);
        const runFiles = plan.events.map((e) => e.file);
        const runSpans = plan.events.map((e) => e.spans);
        const runChunks = plan.events.map((e) => e.unzipChunk);
        const service = target === 'sink' ? sink : collector;
        progress(`forwarder: ${size} v${format} span lines (${spans} spans) per event → ${target === 'sink' ? 'LightStep-protocol sink' : 'embedded collector'}, ${repeats} timed`);
        const before = target === 'sink' ? await sink.request({ type: 'reset' }).then(() => 0) : (await collector.request<{ spans: number }>({ type: 'stats' })).spans;
        const run = await runWorker<ForwardResult>(FORWARD_WORKER, {
          env: {
            BENCH_MODULE: bundles.forwarder.file,
            BENCH_PAYLOAD_FILES: JSON.stringify(runFiles),
            BENCH_WARMUP: String(warmup),
            BENCH_EARLY_FROM: String(plan.earlyFrom),
            BENCH_EARLY_COUNT: String(plan.earlyCount),
            BENCH_SPANS_PER_FILE: JSON.stringify(runSpans),
            BENCH_LINES_PER_FILE: JSON.stringify(runFiles.map(() => size)),
            // The floors unzip as the forwarder does: its chunk size is part of the least work, not of its own cost.
            BENCH_UNZIP_CHUNK_PER_FILE: JSON.stringify(runChunks),
            AWS_LAMBDA_FUNCTION_NAME: 'lambda-log-tracing-log-span-forwarder',
            AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '512',
            AWS_REGION: 'us-east-1',
            LIGHTSTEP_ACCESS_TOKEN: BENCH_ACCESS_TOKEN,
            LIGHTSTEP_COLLECTOR_HOST: '127.0.0.1',
            LIGHTSTEP_COLLECTOR_PORT: String(service.port),
            LIGHTSTEP_COLLECTOR_ENCRYPTION: 'none',
            BENCH_ROUND_TRIPS: String(target === 'sink' ? ROUND_TRIPS : 0),
          },
          nodeArgs: forwarderNodeArgs(),
        });
        const sent = runSpans.reduce((sum, n) => sum + n, 0);
        let delivered: number;
        let networkBytesPerSpan: number | null = null;
        if (target === 'sink') {
          const stats = await sink.request<SinkStats>({ type: 'stats' });
          delivered = stats.spans;
          networkBytesPerSpan = stats.wireBytes / sent;
        } else {
          delivered = (await collector.request<{ spans: number }>({ type: 'stats' })).spans - before;
        }
        if (delivered !== sent) throw new Error(`forwarder → ${target}: ${delivered} spans arrived of ${sent} sent`);
        const r = run.result;
        const invocationMs = median(r.invocations.map((i) => i.ms));
        // Spans per second: each timed invocation's spans over its time, the median of those.
        const timedSpans = runSpans.slice(warmup);
        const rate = (ms: number[]) => median(ms.map((m, i) => timedSpans[i] / (m / 1000)));
        figures.push({
          target,
          format,
          events: size,
          spans,
          largest: format === 2 && size === largest,
          payloadBytes,
          lineBytes,
          repeats: r.invocations.length,
          warmupEvents: warmup,
          earlyTimesDecodeFloor: r.early.length > 0 ? median(r.early.map((e) => e.ms / e.decodeFloor)) : undefined,
          earlyAfterEvents: r.early.length > 0 ? warmupEvents : undefined,
          invocationMs,
          cpuMs: median(r.invocations.map((i) => i.cpuMs)),
          spansPerSecond: rate(r.invocations.map((i) => i.ms)),
          floorSpansPerSecond: rate(r.floor),
          decodeFloorSpansPerSecond: rate(r.decodeFloor),
          timesDecodeFloor: median(r.invocations.map((inv, i) => inv.ms / r.decodeFloor[i])),
          timesFloor: median(r.invocations.map((inv, i) => inv.ms / r.floor[i])),
          cpuTimesDecodeFloor: median(r.invocations.map((inv, i) => inv.cpuMs / r.decodeFloor[i])),
          sinkRoundTripMs: r.roundTripMs.length > 0 ? median(r.roundTripMs) : undefined,
          peakRssKiB: r.maxRssKiB,
          stdoutBytesPerInvocation: (run.stdout.timed?.bytes ?? 0) / r.invocations.length,
          networkBytesPerSpan,
          spansDelivered: delivered,
          spansSent: sent,
        });
      }
    }
  } finally {
    await collector.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  return figures;
}

/**
 * Timed invocations of one payload: at least `repeats`, and as many as `timedSpans` spans take
 * (at most MAX_REPEATS). A median of 15 invocations of a 100-line event moved from 2.8 to 3.9 ×
 * the decode floor between runs minutes apart on this VM; a small event gets its median from
 * more of them, a large one (which takes longer per invocation) from fewer.
 */
export function timedRepeats(repeats: number, timedSpans: number, spansPerEvent: number): number {
  return Math.max(repeats, Math.min(MAX_REPEATS, Math.ceil(timedSpans / spansPerEvent)));
}

/** One subscription event of a run: its file, its spans, gunzip's output chunk for it. */
export interface PlannedEvent {
  file: string;
  spans: number;
  unzipChunk: number;
}

/**
 * What one worker invokes: `warmup` warm-up events, cycling the `distinctWarmup` distinct ones
 * (the sink counts spans, it never dedupes), then the timed events (the rest of `events`, each
 * once). The early window is the warm-up invocations right after the distinct ones, as many as
 * the timed ones: what a run with the span warm-up alone timed.
 */
export function runPlan(events: readonly PlannedEvent[], distinctWarmup: number, warmup: number): { events: PlannedEvent[]; earlyFrom: number; earlyCount: number } {
  const timed = events.slice(distinctWarmup);
  const warm = Array.from({ length: warmup }, (_, i) => events[i % distinctWarmup]);
  return { events: [...warm, ...timed], earlyFrom: distinctWarmup, earlyCount: Math.max(0, Math.min(timed.length, warmup - distinctWarmup)) };
}

/**
 * Warm-up events of the sink's container: the span warm-up's, and at least `minEvents` within
 * about WARMUP_SPAN_BUDGET spans. V8 tiers a function up by its calls: the decoder and writer run
 * per span, but the report's request, its answer, the flush and the summary line run once per
 * event (measured with marks in one process, 100-line events: those fixed costs were about
 * 345 µs after 100 events and 170 µs after 3,000). A forwarder container reads event after event
 * for its lifetime; `npm run bench` times it warm, as it times the function after 5,000
 * invocations, and prints the early figure next to it (on this VM the two differ by less than
 * the noise between runs).
 */
export function sinkWarmupEvents(spanWarmupEvents: number, spansPerEvent: number, minEvents: number): number {
  return Math.max(spanWarmupEvents, Math.min(minEvents, Math.ceil(WARMUP_SPAN_BUDGET / spansPerEvent)));
}

/** The least warm-up events of the sink's container (of `npm run bench`; --quick: 3, so the smoke runs the early window). */
export const FORWARDER_MIN_WARMUP_EVENTS = 1000;

/**
 * The spans the event warm-up stays within, to the next whole event: a large event's per-event
 * code runs seldom for its cost. With the timed spans, well under the sink's 256 MB of bodies
 * kept before it counts them (a count in the middle of a row would stall the reports).
 */
const WARMUP_SPAN_BUDGET = 1_000_000;

/** The spans a payload's timed invocations hold at least (of `npm run bench`; --quick: none). */
export const FORWARDER_TIMED_SPANS = 120_000;

/** The most timed invocations of one payload the span budget gives. */
const MAX_REPEATS = 300;

/** What one bodiless round trip to the sink costs here, against each sink row's decode floor per invocation. */
function roundTripNote(figures: ForwarderFigures[]): string {
  const rows = figures.filter((f) => f.target === 'sink' && f.sinkRoundTripMs !== undefined);
  if (rows.length === 0) return '';
  const ms = median(rows.map((f) => f.sinkRoundTripMs!));
  const against = rows.map(
    (f) => `${(ms / ((f.spans / f.decodeFloorSpansPerSecond) * 1000)).toFixed(2)} × the decode floor of the v${f.format} ${f.events.toLocaleString('en-US')}-line event${f.largest ? ' (largest delivery)' : ''}`,
  );
  return `one HTTP round trip to the sink without a body (kept-alive socket, median of ${ROUND_TRIPS} per row): ${formatMs(ms)}, ${against.join(', ')}; every invocation waits for at least one.`;
}

/** The sink rows' × decode floor before the event warm-up, next to the timed figure. */
function earlyNote(figures: ForwarderFigures[]): string {
  const rows = figures.filter((f) => f.target === 'sink' && f.earlyTimesDecodeFloor !== undefined);
  if (rows.length === 0) return '';
  const each = rows.map(
    (f) =>
      `v${f.format} ${f.events.toLocaleString('en-US')} lines${f.largest ? ' (largest delivery)' : ''}: ${f.earlyTimesDecodeFloor!.toFixed(2)} × after ${f.earlyAfterEvents} events, ${timesDecodeFloorOf(f).toFixed(2)} × after ${f.warmupEvents}`,
  );
  return `the same containers early, × decode floor of as many invocations right after the span warm-up alone (before the per-event code tiered up), against the timed figure: ${each.join('; ')}.`;
}

/** × the decode floor: the median of paired ratios (runs before them had only the ratio of the medians). */
function timesDecodeFloorOf(f: ForwarderFigures): number {
  return f.timesDecodeFloor ?? f.decodeFloorSpansPerSecond / f.spansPerSecond;
}

export function printForwarder(figures: ForwarderFigures[]): string {
  const t = FORWARDER_TARGETS;
  const largestRss = Math.max(...figures.filter((f) => f.largest && f.target === 'sink').map((f) => f.peakRssKiB), 0);
  const verdicts = figures
    .filter((f) => f.target === 'sink')
    .map((f) => {
      const timesFloor = timesDecodeFloorOf(f);
      return [
        `v${f.format ?? 2}, ${f.events.toLocaleString('en-US')} lines${f.largest ? ' (largest delivery)' : ''}`,
        formatRate(f.spansPerSecond, 'spans'),
        f.spansPerSecond >= t.minSpansPerSecond ? 'met' : 'NOT MET',
        timesFloor.toFixed(1),
        timesFloor <= t.maxTimesDecodeFloor ? 'met' : 'NOT MET',
        formatBytes(f.peakRssKiB * 1024),
        f.largest ? ((f.peakRssKiB * 1024) / 1e6 <= t.maxPeakRssMB ? 'met' : 'NOT MET') : '',
      ];
    });
  return [
    `\n## The forwarder Lambda (bundled handler) on subscription events, reporting to another process (medians of each row's timed invocations, after its warm-up events)`,
    'Span-line format 2 as the function writes it (one line per invocation, alternating invocations of 1 and 11 spans), and version 1 (one line per span, old log groups). Rates count spans, not lines.',
    table(
      ['format', 'span lines per event', 'spans:', 'reports to', 'timed / warm-up events:', 'event (base64):', 'per invocation:', 'CPU:', 'spans/s:', 'floor (base64+gunzip+parse):', 'decode floor (+ parse each line):', '× decode floor:', 'CPU × decode floor:', '× floor:', 'peak RSS:', 'network / span:'],
      figures.map((f) => [
        `v${f.format ?? 2}`,
        f.events.toLocaleString('en-US') + (f.largest ? ' (largest delivery)' : ''),
        (f.spans ?? f.events).toLocaleString('en-US'),
        f.target === 'sink' ? 'sink (answers at once)' : 'embedded collector (SQLite)',
        `${f.repeats} / ${f.warmupEvents.toLocaleString('en-US')}`,
        formatBytes(f.payloadBytes),
        formatMs(f.invocationMs),
        formatMs(f.cpuMs),
        formatRate(f.spansPerSecond, 'spans'),
        formatRate(f.floorSpansPerSecond, 'spans'),
        f.decodeFloorSpansPerSecond === undefined ? '–' : formatRate(f.decodeFloorSpansPerSecond, 'spans'),
        f.decodeFloorSpansPerSecond === undefined ? '–' : timesDecodeFloorOf(f).toFixed(1),
        f.cpuTimesDecodeFloor === undefined ? '–' : f.cpuTimesDecodeFloor.toFixed(1),
        (f.timesFloor ?? f.floorSpansPerSecond / f.spansPerSecond).toFixed(1),
        formatBytes(f.peakRssKiB * 1024),
        f.networkBytesPerSpan === null ? '' : formatBytes(f.networkBytesPerSpan),
      ]),
    ),
    `\nTargets (the issue), to the sink (the forwarder's own cost): ≥ ${t.minSpansPerSecond.toLocaleString('en-US')} spans/s; ≤ ${t.maxTimesDecodeFloor}× its own decode floor (base64 + gunzip, with the forwarder's output chunk size, + JSON.parse of the envelope and of every line; × floor: the median over the timed invocations of each one's time ÷ the floors of the same event, timed right after it; the verdict is on that wall time, which includes the wait for the sink's answer; CPU × decode floor is the same ratio of the invocation's process CPU, the forwarder's work without that wait); peak RSS ≤ ${t.maxPeakRssMB} MB on the largest payload (measured: ${formatBytes(largestRss * 1024)} = ${((largestRss * 1024) / 1e6).toFixed(0)} MB; the worker's whole process, max RSS after the invocations).`,
    table(['payload', 'spans/s:', `≥ ${t.minSpansPerSecond / 1000}k spans/s:`, '× decode floor:', `≤ ${t.maxTimesDecodeFloor}×:`, 'peak RSS:', `≤ ${t.maxPeakRssMB} MB (largest):`], verdicts),
    roundTripNote(figures),
    earlyNote(figures),
    `every span arrived: ${figures.map((f) => `${f.spansDelivered}/${f.spansSent}`).join(', ')}. The largest delivery: as many lines as fit PutLogEvents' 1,048,576 bytes (message + 26 B each, at most 10,000).`,
  ].join('\n');
}
