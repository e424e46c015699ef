/**
 * Scenario 4: the forwarder. The bundled LogSpanForwarder handler (as `sam build` makes it) runs
 * in its own process on realistic subscription events of 100 and 1,000 span lines and on the
 * largest delivery, reporting to the LightStep-protocol sink in ANOTHER process that answers at
 * once; then the same against the embedded collector (protobuf decode + SQLite) for its ingest
 * rate. The floor is base64 + gunzip + JSON.parse of the same events. Run alone with
 * `npm run bench -- --only forwarder`.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { BenchBundles } from '../lib/bundles';
import { runWorker, startService, type Service } from '../lib/child';
import { formatBytes, formatMs, formatRate, table } from '../lib/format';
import { BENCH_ACCESS_TOKEN } from '../lib/modes';
import { progress } from '../lib/progress';
import { median } from '../lib/stats';
import type { SinkStats } from '../sink/lightstep-sink';
import { largestBatch, MAX_BATCH_EVENTS, spanLines, subscriptionEvent } from './forwarder-payloads';

const FORWARD_WORKER = path.join(__dirname, '..', 'workers', 'forward.js');
const COLLECTOR_SERVICE = path.join(__dirname, '..', 'sink', 'collector.ts');

interface ForwardResult {
  invocations: Array<{ ms: number; cpuMs: number }>;
  floor: number[];
  maxRssKiB: number;
}

export interface ForwarderFigures {
  target: 'sink' | 'collector';
  events: number;
  /** The largest delivery CloudWatch makes of these lines. */
  largest: boolean;
  /** awslogs.data (base64 of the gzip) and the span lines themselves. */
  payloadBytes: number;
  lineBytes: number;
  repeats: number;
  warmupEvents: number;
  /** Median per invocation, ms, and process CPU per invocation. */
  invocationMs: number;
  cpuMs: number;
  spansPerSecond: number;
  /** base64 + gunzip + JSON.parse of the same events. */
  floorSpansPerSecond: number;
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
  options: { repeats: number; warmupSpans: number; sizes: number[] },
): Promise<ForwarderFigures[]> {
  const { repeats } = options;
  progress('forwarder: making span lines with the LogTracer');
  // 0 stands for the largest delivery: as many of these lines as fit one PutLogEvents batch.
  const largest = options.sizes.includes(0) ? largestBatch(await spanLines(MAX_BATCH_EVENTS)) : 0;
  const sizes = options.sizes.map((size) => (size === 0 ? largest : Math.min(size, MAX_BATCH_EVENTS)));
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-forwarder-'));
  const figures: ForwarderFigures[] = [];
  const collector = await startService(COLLECTOR_SERVICE);
  try {
    for (const size of sizes) {
      // A forwarder container handles batch after batch: warm it up (V8 tiers the code up over
      // thousands of spans) before timing. Fresh lines (fresh span ids) for every event, so no
      // event is a redelivery of another.
      const warmupEvents = Math.max(1, Math.ceil(options.warmupSpans / size));
      const files: string[] = [];
      let payloadBytes = 0;
      let lineBytes = 0;
      for (let i = 0; i < warmupEvents + repeats; i++) {
        const lines = await spanLines(size);
        const event = subscriptionEvent(lines);
        payloadBytes = event.awslogs.data.length;
        lineBytes = lines.reduce((sum, line) => sum + Buffer.byteLength(line), 0);
        const file = path.join(dir, `event-${size}-${i}.json`);
        writeFileSync(file, JSON.stringify(event));
        files.push(file);
      }
      for (const target of ['sink', 'collector'] as const) {
        const service = target === 'sink' ? sink : collector;
        progress(`forwarder: ${size} span lines per event → ${target === 'sink' ? 'LightStep-protocol sink' : 'embedded collector'}, ${repeats} timed`);
        const before = target === 'sink' ? await sink.request({ type: 'reset' }).then(() => 0) : (await collector.request<{ spans: number }>({ type: 'stats' })).spans;
        const run = await runWorker<ForwardResult>(FORWARD_WORKER, {
          env: {
            BENCH_MODULE: bundles.forwarder.file,
            BENCH_PAYLOAD_FILES: JSON.stringify(files),
            BENCH_WARMUP: String(warmupEvents),
            BENCH_SPANS_PER_PAYLOAD: String(size),
            AWS_LAMBDA_FUNCTION_NAME: 'lambda-log-tracing-log-span-forwarder',
            AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '512',
            AWS_REGION: 'us-east-1',
            LIGHTSTEP_ACCESS_TOKEN: BENCH_ACCESS_TOKEN,
            LIGHTSTEP_COLLECTOR_HOST: '127.0.0.1',
            LIGHTSTEP_COLLECTOR_PORT: String(service.port),
            LIGHTSTEP_COLLECTOR_ENCRYPTION: 'none',
          },
          nodeArgs: ['--enable-source-maps'],
        });
        const sent = files.length * size;
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
        figures.push({
          target,
          events: size,
          largest: size === largest,
          payloadBytes,
          lineBytes,
          repeats: r.invocations.length,
          warmupEvents,
          invocationMs,
          cpuMs: median(r.invocations.map((i) => i.cpuMs)),
          spansPerSecond: size / (invocationMs / 1000),
          floorSpansPerSecond: size / (median(r.floor) / 1000),
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

export function printForwarder(figures: ForwarderFigures[]): string {
  const repeats = figures[0]?.repeats ?? 0;
  return [
    `\n## The forwarder Lambda (bundled handler) on subscription events, reporting to another process (median of ${repeats} invocations, after ${figures.map((f) => f.warmupEvents).filter((n, i, all) => all.indexOf(n) === i).join(' / ')} warm-up events)`,
    table(
      ['span lines per event', 'reports to', 'event (base64):', 'per invocation:', 'CPU:', 'spans/s:', 'floor (base64+gunzip+parse):', '× floor:', 'peak RSS:', 'network / span:'],
      figures.map((f) => [
        f.events.toLocaleString('en-US') + (f.largest ? ' (largest delivery)' : ''),
        f.target === 'sink' ? 'sink (answers at once)' : 'embedded collector (SQLite)',
        formatBytes(f.payloadBytes),
        formatMs(f.invocationMs),
        formatMs(f.cpuMs),
        formatRate(f.spansPerSecond, 'spans'),
        formatRate(f.floorSpansPerSecond, 'spans'),
        `${(f.floorSpansPerSecond / f.spansPerSecond).toFixed(1)}`,
        formatBytes(f.peakRssKiB * 1024),
        f.networkBytesPerSpan === null ? '' : formatBytes(f.networkBytesPerSpan),
      ]),
    ),
    `every span arrived: ${figures.map((f) => `${f.spansDelivered}/${f.spansSent}`).join(', ')}. The largest delivery: as many lines as fit PutLogEvents' 1,048,576 bytes (message + 26 B each, at most 10,000).`,
  ].join('\n');
}
