// The OTLP sink's cost on one 1,000-span request body, against the LightStep sink's report writer:
// otlp-transformer's serializers (what the forwarder uses) and protobufjs with the OTLP message
// definitions (what src/otlp/wire/schema.ts gives the collector), from the same spans.
import { gzipSync } from 'node:zlib';
import { startCollector } from '../../src/collector/server';
import { EncodedSpans, toCollectorSpan } from '../../src/lightstep/wire';
import { forwardSubscriptionEvent } from '../../src/log-span-forwarder/handler';
import { OtlpExporter } from '../../src/log-span-forwarder/otlp-exporter';
import { encodeSubscriptionEvent } from '../../src/log-span-forwarder/subscription-event';
import { embeddedCollectorOtlpTarget } from '../../src/otlp/target';
import { ResourceCache, serializeOtlpRequest, toOtlpSpan } from '../../src/otlp/wire/encode';
import { otlpType } from '../../src/otlp/wire/schema';
import { decodeSpanLine, encodeSpanLine, type FinishedSpan } from '../../src/span-line';

export interface OtlpEncodeRow {
  name: string;
  /** Milliseconds per 1,000-span batch (mean of the timed repeats). */
  msPerBatch: number;
  bytes: number;
  gzipBytes: number;
}

const SOURCE = { owner: '123456789012', logGroup: '/aws/lambda/ot-function', logStream: '2026/11/25/[$LATEST]0123456789abcdef0123456789abcdef' };

function spans(count: number, seed: number): FinishedSpan[] {
  return Array.from({ length: count }, (_, i) => {
    const line = encodeSpanLine({
      traceId: `4bf92f3577b34da6${(seed * 1_000_000 + Math.floor(i / 10) + 1).toString(16).padStart(16, '0')}`,
      spanId: (seed * 1_000_000 + i + 1).toString(16).padStart(16, '0'),
      parentSpanId: i % 10 === 0 ? 'a2fb4a1d1a96d312' : (seed * 1_000_000 + i).toString(16).padStart(16, '0'),
      operation: i % 10 === 0 ? 'lambda-execution' : 'compute',
      component: 'lambda_function',
      startMicros: 1764045116123456 + i,
      durationMicros: 1000 + (i % 97),
      tags: { 'span.kind': i % 10 === 0 ? 'server' : 'internal', 'faas.coldstart': false, 'faas.name': 'ot-fn', 'http.status_code': 200, n: i },
      logs: i % 10 === 0 ? [{ timestampMicros: 1764045116123456 + i, fields: { event: 'done', items: i } }] : [],
      baggage: {},
    });
    const decoded = decodeSpanLine(line);
    if (!decoded.ok || decoded.spans.length !== 1) throw new Error(`otlp: the encoder's own line did not decode to one span (${decoded.ok ? decoded.spans.length : decoded.reason})`);
    return decoded.spans[0];
  });
}

function time(run: () => Uint8Array, repeats: number): { ms: number; last: Uint8Array } {
  let last = run(); // warm-up
  for (let i = 0; i < 3; i++) last = run();
  const start = process.hrtime.bigint();
  for (let r = 0; r < repeats; r++) last = run();
  return { ms: Number(process.hrtime.bigint() - start) / 1e6 / repeats, last };
}

/** protobufjs: the same spans as plain OTLP objects, then fromObject + encode. */
function protobufjsRequest(batch: FinishedSpan[]): Uint8Array {
  const type = otlpType('ExportTraceServiceRequest');
  const value = (v: string | number | boolean) =>
    typeof v === 'string' ? { stringValue: v } : typeof v === 'boolean' ? { boolValue: v } : Number.isInteger(v) ? { intValue: v } : { doubleValue: v };
  const attributes = (record: Record<string, string | number | boolean>) => Object.keys(record).map((key) => ({ key, value: value(record[key]) }));
  const nanos = (micros: number) => (BigInt(Math.round(micros)) * 1000n).toString();
  const resource = { attributes: attributes({ 'service.name': 'lambda_function', 'cloud.provider': 'aws', 'faas.name': 'ot-function' }) };
  const otlpSpans = batch.map((s) => ({
    traceId: Buffer.from(s.traceId.padStart(32, '0'), 'hex'),
    spanId: Buffer.from(s.spanId, 'hex'),
    parentSpanId: s.parentSpanId ? Buffer.from(s.parentSpanId, 'hex') : undefined,
    name: s.operation,
    kind: s.tags['span.kind'] === 'server' ? 2 : 1,
    startTimeUnixNano: nanos(s.startMicros),
    endTimeUnixNano: nanos(s.startMicros + s.durationMicros),
    attributes: attributes(s.tags),
    events: s.logs.map((l) => ({ timeUnixNano: nanos(l.timestampMicros), name: String(l.fields.event ?? 'log'), attributes: attributes(l.fields) })),
    status: {},
  }));
  return type.encode(type.fromObject({ resourceSpans: [{ resource, scopeSpans: [{ scope: { name: 'lambda-log-tracing' }, spans: otlpSpans }] }] })).finish();
}

export async function benchOtlpEncode(batchSize = 1000, repeats = 30): Promise<{ rows: OtlpEncodeRow[]; endToEndSpansPerSecond: number }> {
  const batch = spans(batchSize, 1);
  const resources = new ResourceCache('eu-west-1');
  const mapped = () => batch.map((s) => toOtlpSpan(s, resources.get(s.component, SOURCE)));
  const cases: Array<[string, () => Uint8Array]> = [
    ['LightStep sink: its report writer, the same bytes as collector_pb (baseline)', () => {
      const encoded = new EncodedSpans();
      for (const s of batch) encoded.add(s);
      return Buffer.concat(encoded.reportChunks(Buffer.alloc(0), { from: 0, to: encoded.count }));
    }],
    ['LightStep via collector_pb objects: toCollectorSpan + serializeBinary each (the sink before the writer)', () => {
      let last: Uint8Array = new Uint8Array();
      for (const s of batch) last = toCollectorSpan(s).serializeBinary();
      return last;
    }],
    ['OTLP protobuf: map + otlp-transformer ProtobufTraceSerializer (the forwarder)', () => serializeOtlpRequest(mapped(), 'http/protobuf')],
    ['OTLP protobuf: protobufjs fromObject + encode (OTLP schema)', () => protobufjsRequest(batch)],
    ['OTLP JSON: map + otlp-transformer JsonTraceSerializer', () => serializeOtlpRequest(mapped(), 'http/json')],
  ];
  const rows: OtlpEncodeRow[] = cases.map(([name, run]) => {
    const { ms } = time(run, repeats);
    const whole = name.startsWith('LightStep via') ? Buffer.concat(batch.map((s) => Buffer.from(toCollectorSpan(s).serializeBinary()))) : Buffer.from(run());
    return { name, msPerBatch: ms, bytes: whole.length, gzipBytes: gzipSync(whole).length };
  });

  // The whole handler with the OTLP sink into the embedded collector (HTTP + decode + SQLite).
  const collector = await startCollector({ port: 0, dbPath: ':memory:' });
  const exporter = new OtlpExporter(embeddedCollectorOtlpTarget(collector.port));
  const event = (seed: number) =>
    encodeSubscriptionEvent({
      messageType: 'DATA_MESSAGE', ...SOURCE, subscriptionFilters: ['f'],
      logEvents: spans(3000, seed).map((s, i) => ({ id: String(i), timestamp: 1764045116123, message: encodeSpanLine(s) })),
    });
  try {
    await forwardSubscriptionEvent(event(2), exporter, () => undefined); // warm-up
    const fresh = event(3);
    const start = process.hrtime.bigint();
    await forwardSubscriptionEvent(fresh, exporter, () => undefined);
    const endToEndSpansPerSecond = 3000 / (Number(process.hrtime.bigint() - start) / 1e9);
    if (collector.store.countSpans() !== 6000) throw new Error(`collector holds ${collector.store.countSpans()} spans, expected 6000`);
    return { rows, endToEndSpansPerSecond };
  } finally {
    await exporter.shutdown();
    await collector.close();
  }
}

export function printOtlpEncode(result: Awaited<ReturnType<typeof benchOtlpEncode>>): void {
  const baseline = result.rows[0].msPerBatch;
  console.log('| encoder | per batch | × baseline | bytes | gzip |');
  console.log('|---|---:|---:|---:|---:|');
  for (const r of result.rows) {
    console.log(`| ${r.name} | ${r.msPerBatch.toFixed(2)} ms | ${(r.msPerBatch / baseline).toFixed(2)} | ${(r.bytes / 1024).toFixed(0)} KiB | ${(r.gzipBytes / 1024).toFixed(0)} KiB |`);
  }
  console.log(`whole handler with the OTLP sink (3000 span lines → protobuf + gzip → the collector's /v1/traces, HTTP + SQLite): ${Math.round(result.endToEndSpansPerSecond).toLocaleString('en-US')} spans/s`);
}

if (require.main === module) {
  console.log(`# OTLP encoding — ${new Date().toISOString()} — Node ${process.version}`);
  benchOtlpEncode().then(printOtlpEncode, (error) => {
    console.error(error);
    process.exit(1);
  });
}
