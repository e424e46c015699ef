/**
 * Builds events/subscription-mixed.json: a real CloudWatch Logs subscription event (gzip + base64)
 * from a mixed Lambda log stream, and events/subscription-mixed.lines.txt listing what is inside.
 *
 *   npx tsx events/build-subscription-mixed.ts
 *
 * Every line says what the forwarder must do with it: forward it as a span, or skip it for a
 * named reason. The forwarder tests import MIXED_LINES and GENUINE_SPANS from here.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CloudWatchLogsLogEvent } from 'aws-lambda';
import { encodeSubscriptionEvent, type SubscriptionPayload } from '../src/log-span-forwarder/subscription-event';
import { encodeSpanLine, encodeSpanLines, encodeSpanLineV1, lineSourceOf, type FinishedSpan, type SkipReason } from '../src/span-line';

const REQUEST_ID = '3f1c9a52-8d4e-4b7a-9c61-5e2f0a7b8c9d';
const TRACE_ID = '4bf92f3577b34da6';
const CALLER_SPAN_ID = 'a1b2c3d4e5f60718';
const T0 = 1715681730123456; // µs: 2024-05-14T10:15:30.123456Z
export const MIXED_LOG_GROUP = '/aws/lambda/lambda-log-tracing-function';
export const MIXED_LOG_STREAM = '2024/05/14/[$LATEST]0f1e2d3c4b5a69788796a5b4c3d2e1f0';

/** The spans the function really recorded: exactly these must reach the collector. */
export const GENUINE_SPANS: FinishedSpan[] = [
  {
    traceId: TRACE_ID,
    spanId: '00f067aa0ba902b7',
    parentSpanId: '1e2d3c4b5a697887',
    operation: 'dynamodb.get',
    component: 'lambda_function',
    startMicros: T0 + 1200,
    durationMicros: 8345,
    tags: { 'db.type': 'dynamodb', 'db.items': 3, 'db.latency_ratio': 0.75, 'cache.hit': false, 'retry.count': 0, 'db.note': '' },
    logs: [
      { timestampMicros: T0 + 1300, fields: { event: 'request', attempt: 0, throttled: false, cursor: '' } },
      { timestampMicros: T0 + 9400, fields: { event: 'response', items: 3, ratio: 1.5, ok: true } },
    ],
    baggage: { tenant: 'acme' },
  },
  {
    traceId: TRACE_ID,
    spanId: '1e2d3c4b5a697887',
    parentSpanId: CALLER_SPAN_ID,
    operation: 'lambda-execution',
    component: 'lambda_function',
    startMicros: T0,
    durationMicros: 15021,
    tags: {
      'span.kind': 'server',
      'aws.request_id': REQUEST_ID,
      'faas.coldstart': true,
      // Left out of the line (the log group and stream tell them), restored by the forwarder.
      'faas.name': 'lambda-log-tracing-function',
      'faas.version': '$LATEST',
      'http.status_code': 200,
      error: false,
    },
    logs: [],
    baggage: { tenant: 'acme' },
  },
  {
    // Another component and a 128-bit trace id (only its lower 64 bits go on the wire).
    traceId: '0af7651916cd43dd8448eb211c80319c',
    spanId: 'b7ad6b7169203331',
    operation: 'billing.charge',
    component: 'billing-worker',
    startMicros: T0 + 50000,
    durationMicros: 1,
    tags: { 'payment.note': 'x'.repeat(300), amount: 12.5 },
    logs: [],
    baggage: {},
  },
];

// The invocation (dynamodb.get inside lambda-execution) as the function writes it now: one
// version-2 line. billing.charge as an older deployment wrote it: a version-1 line, still read.
const invocationLines = encodeSpanLines(GENUINE_SPANS.slice(0, 2), { source: lineSourceOf(MIXED_LOG_GROUP, MIXED_LOG_STREAM) });
if (invocationLines.length !== 1) throw new Error('the invocation should fit one line');
const genuine = [invocationLines[0], encodeSpanLineV1(GENUINE_SPANS[2])];
const forgedSpan = encodeSpanLine({ ...GENUINE_SPANS[1], spanId: 'dddddddddddddddd', operation: 'forged' });

export type LineOutcome = 'span' | SkipReason;

/** The log stream, in order, each line with what the forwarder must do with it. */
export const MIXED_LINES: ReadonlyArray<{ outcome: LineOutcome; message: string; what: string }> = [
  { outcome: 'not_json', what: 'platform START', message: `START RequestId: ${REQUEST_ID} Version: $LATEST\n` },
  { outcome: 'not_span', what: 'platform start, JSON log format', message: `{"time":"2024-05-14T10:15:30.122Z","type":"platform.start","record":{"requestId":"${REQUEST_ID}","version":"$LATEST"}}` },
  { outcome: 'not_json', what: 'console.log, text format', message: `2024-05-14T10:15:30.124Z\t${REQUEST_ID}\tINFO\thello from the handler\n` },
  { outcome: 'not_span', what: 'console.log, JSON log format', message: `{"timestamp":"2024-05-14T10:15:30.124Z","level":"INFO","requestId":"${REQUEST_ID}","message":"loaded 3 items"}` },
  { outcome: 'not_span', what: 'application pino line (not a span)', message: `{"level":30,"time":1715681730125,"pid":8,"hostname":"169.254.10.5","msg":"fetched user"}\n` },
  { outcome: 'span', what: 'span line (version 2): the invocation, dynamodb.get (typed tags, zero/false/empty values) inside lambda-execution (child of the caller)', message: genuine[0] + '\n' },
  { outcome: 'truncated', what: 'span line cut mid-way', message: genuine[0].slice(0, Math.floor(genuine[0].length / 2)) },
  { outcome: 'not_json', what: 'forged span printed via console.log, text format', message: `2024-05-14T10:15:30.130Z\t${REQUEST_ID}\tINFO\t${forgedSpan}\n` },
  { outcome: 'not_span', what: 'forged span printed via console.log, JSON log format', message: JSON.stringify({ timestamp: '2024-05-14T10:15:30.131Z', level: 'INFO', requestId: REQUEST_ID, message: forgedSpan }) },
  { outcome: 'not_span', what: 'span-shaped object logged by an application pino logger', message: `{"level":30,"time":1715681730132,"otspan":1,"op":"forged","trace":"${TRACE_ID}","span":"eeeeeeeeeeeeeeee"}` },
  { outcome: 'unsupported_version', what: 'span line of a future format version', message: forgedSpan.replace('"otspan":2', '"otspan":3') },
  { outcome: 'bad_field', what: 'span line with a malformed span id', message: forgedSpan.replace('"id":"dddddddddddddddd"', '"id":"not-hex"') },
  { outcome: 'too_large', what: 'span-prefixed line longer than the encoder ever writes', message: forgedSpan.slice(0, -1) + `,"pad":"${'p'.repeat(70000)}"}` },
  { outcome: 'span', what: 'span line (version 1, from an older deployment): billing.charge (other component, 128-bit trace id, encoder-truncated tag)', message: genuine[1] + '\n' },
  { outcome: 'not_json', what: 'platform END', message: `END RequestId: ${REQUEST_ID}\n` },
  { outcome: 'not_json', what: 'platform REPORT', message: `REPORT RequestId: ${REQUEST_ID}\tDuration: 15.64 ms\tBilled Duration: 16 ms\tMemory Size: 128 MB\tMax Memory Used: 67 MB\tInit Duration: 182.31 ms\t\n` },
];

/** CloudWatch-style event ids: 56 digits, increasing. */
function eventId(index: number): string {
  return (BigInt(Math.floor(T0 / 1000)) * 10n ** 43n + BigInt(index)).toString();
}

export function mixedLogEvents(): CloudWatchLogsLogEvent[] {
  return MIXED_LINES.map((line, i) => ({ id: eventId(i), timestamp: Math.floor(T0 / 1000) + i, message: line.message }));
}

export function mixedPayload(): SubscriptionPayload {
  return {
    messageType: 'DATA_MESSAGE',
    owner: '123456789012',
    logGroup: MIXED_LOG_GROUP,
    logStream: MIXED_LOG_STREAM,
    subscriptionFilters: ['span-lines'],
    logEvents: mixedLogEvents(),
  };
}

if (require.main === module) {
  const dir = __dirname;
  writeFileSync(join(dir, 'subscription-mixed.json'), JSON.stringify(encodeSubscriptionEvent(mixedPayload()), null, 2) + '\n');
  const listing = MIXED_LINES.map(
    (line, i) => `# ${i + 1}. ${line.what} -> ${line.outcome === 'span' ? 'forwarded' : `skipped: ${line.outcome}`}\n${line.message.replace(/\n$/, '').replace(/p{200,}/, (pad) => `p…(${pad.length} chars)`)}\n`,
  );
  writeFileSync(
    join(dir, 'subscription-mixed.lines.txt'),
    '# The log events inside subscription-mixed.json (built by events/build-subscription-mixed.ts), in order.\n' +
      '# Tabs in console.log text lines are real tabs.\n\n' +
      listing.join('\n'),
  );
  console.log(`wrote events/subscription-mixed.json (${MIXED_LINES.length} log events)`);
}
