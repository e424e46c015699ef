import type { CloudWatchLogsLogEvent } from 'aws-lambda';
import { startCollector } from '../src/collector/server';
import { forwardLogEvents } from '../src/log-span-forwarder/forward';
import { forwardSubscriptionEvent } from '../src/log-span-forwarder/handler';
import { LightStepExporter } from '../src/log-span-forwarder/lightstep-exporter';
import { InMemoryExporter } from '../src/log-span-forwarder/exporter';
import { decodeSubscriptionEvent, encodeSubscriptionEvent } from '../src/log-span-forwarder/subscription-event';
import { embeddedCollectorTarget } from '../src/lightstep/target';
import { toCollectorSpan } from '../src/lightstep/wire';
import { decodeSpanLine, encodeSpanLine, type FinishedSpan } from '../src/span-line';

export interface ForwarderFigures {
  spans: number;
  payloadBytes: number;
  /** Spans per second for each stage, measured in this process. */
  decodePayload: number;
  decodeLines: number;
  convert: number;
  endToEnd: number;
}

function batch(spans: number, traceSeed: number): CloudWatchLogsLogEvent[] {
  const events: CloudWatchLogsLogEvent[] = [];
  for (let i = 0; i < spans; i++) {
    const message = encodeSpanLine({
      traceId: (traceSeed * 1_000_000 + Math.floor(i / 10) + 1).toString(16).padStart(16, '0'),
      spanId: (traceSeed * 1_000_000 + i + 1).toString(16).padStart(16, '0'),
      parentSpanId: i % 10 === 0 ? undefined : (traceSeed * 1_000_000 + i).toString(16).padStart(16, '0'),
      operation: i % 10 === 0 ? 'lambda-execution' : 'compute',
      component: 'lambda_function',
      startMicros: 1764045116123456 + i,
      durationMicros: 1000 + (i % 97),
      tags: { 'span.kind': 'server', 'faas.coldstart': false, 'faas.name': 'ot-fn', 'http.status_code': 200, n: i },
      logs: i % 10 === 0 ? [{ timestampMicros: 1764045116123456 + i, fields: { event: 'done', items: i } }] : [],
      baggage: {},
    });
    events.push({ id: String(i), timestamp: 1764045116123 + i, message });
  }
  return events;
}

function perSecond(count: number, run: () => void, repeats = 5): number {
  run(); // warm-up
  const start = process.hrtime.bigint();
  for (let r = 0; r < repeats; r++) run();
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return (count * repeats) / seconds;
}

/** The forwarder's stages on a subscription payload of `spans` span lines, then the whole handler path. */
export async function benchForwarder(spans: number): Promise<ForwarderFigures> {
  const logEvents = batch(spans, 1);
  const payload = { messageType: 'DATA_MESSAGE' as const, owner: '000000000000', logGroup: '/aws/lambda/ot-function', logStream: 's', subscriptionFilters: ['f'], logEvents };
  const event = encodeSubscriptionEvent(payload);
  const decoded: FinishedSpan[] = logEvents.map((e) => (decodeSpanLine(e.message) as { span: FinishedSpan }).span);

  const decodePayload = perSecond(spans, () => {
    decodeSubscriptionEvent(event);
  });
  const decodeLines = perSecond(spans, () => {
    forwardLogEvents(logEvents, new InMemoryExporter());
  });
  const convert = perSecond(spans, () => {
    for (const span of decoded) toCollectorSpan(span).serializeBinary();
  });

  const collector = await startCollector({ port: 0, dbPath: ':memory:' });
  const sink = new LightStepExporter(embeddedCollectorTarget(collector.port));
  try {
    await forwardSubscriptionEvent(encodeSubscriptionEvent({ ...payload, logEvents: batch(spans, 2) }), sink, () => undefined); // warm-up
    const fresh = encodeSubscriptionEvent({ ...payload, logEvents: batch(spans, 3) });
    const start = process.hrtime.bigint();
    await forwardSubscriptionEvent(fresh, sink, () => undefined);
    const endToEnd = spans / (Number(process.hrtime.bigint() - start) / 1e9);
    if (collector.store.countSpans() !== spans * 2) throw new Error(`collector holds ${collector.store.countSpans()} spans, expected ${spans * 2}`);
    return { spans, payloadBytes: event.awslogs.data.length, decodePayload, decodeLines, convert, endToEnd };
  } finally {
    await sink.shutdown();
    await collector.close();
  }
}
