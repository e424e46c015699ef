/**
 * Realistic subscription events for the forwarder scenario: span lines made by the real
 * LogTracer inside traced() on the bench event, as the function writes them in span-line format
 * 2 (one line per invocation, name and version left out since the log group and stream carry
 * them: the tracer gets Lambda's variables, bench/lib/modes.ts lambdaEnv), alternating the
 * demo handler's invocation (1 span) and the 11-span shape (bench/handlers/workload.ts), wrapped
 * as CloudWatch Logs delivers them to a subscribed Lambda (gzip + base64 of a DATA_MESSAGE whose
 * logEvents carry CloudWatch-style 56-digit ids). Version 1 lines (one per span, what old log
 * groups still hold) are the same spans through encodeSpanLineV1. Every event gets fresh ids, so
 * the embedded collector stores each span instead of skipping a redelivery.
 */
import type { CloudWatchLogsEvent, CloudWatchLogsLogEvent } from 'aws-lambda';
import { errorResponse } from '../../src/function/demo-work';
import { LogTracer } from '../../src/function/log-tracer';
import { traced } from '../../src/function/traced';
import { encodeSubscriptionEvent } from '../../src/log-span-forwarder/subscription-event';
import { decodeSpanLine, encodeSpanLineV1, levelRequired, lineSourceFromEnvironment, lineSourceOf } from '../../src/span-line';
import { benchEvent } from '../lib/event';
import { FUNCTION_NAME, FUNCTION_VERSION, lambdaEnv, LOG_GROUP, LOG_STREAM } from '../lib/modes';
import { CHILDREN_IN_ELEVEN_SPAN_SHAPE, withChildSpans } from '../handlers/workload';

/** PutLogEvents' limits, which bound one delivery: 1,048,576 bytes (each event's message + 26) and 10,000 events. */
export const MAX_BATCH_BYTES = 1_048_576;
export const MAX_BATCH_EVENTS = 10_000;
export const EVENT_OVERHEAD_BYTES = 26;

/** Span lines and the spans they hold. */
export interface SpanLines {
  lines: string[];
  /** Spans per line, in order. */
  spans: number[];
}

export const spanCount = (batch: SpanLines, lines = batch.lines.length): number => batch.spans.slice(0, lines).reduce((sum, n) => sum + n, 0);

/**
 * `count` version-2 span lines as the function writes them (without the newline after each:
 * subscriptionEvent adds it): invocation i holds 1 span when i is even, 11 when odd (`mix`
 * 'eleven': always 11).
 */
export async function spanLines(count: number, mix: 'alternate' | 'eleven' = 'alternate'): Promise<SpanLines> {
  const lines: string[] = [];
  const env = lambdaEnv();
  const tracer = new LogTracer({
    componentName: 'lambda_function',
    emit: (line) => lines.push(line),
    lineOptions: { levelled: levelRequired(env), source: lineSourceFromEnvironment(env) },
  });
  const one = traced(withChildSpans(0), { tracer, errorResponse });
  const eleven = traced(withChildSpans(CHILDREN_IN_ELEVEN_SPAN_SHAPE), { tracer, errorResponse });
  const event = benchEvent();
  const spans: number[] = [];
  for (let i = 0; lines.length < count; i++) {
    const elevenSpans = mix === 'eleven' || i % 2 === 1;
    const before = lines.length;
    await (elevenSpans ? eleven : one)(event, {
      callbackWaitsForEmptyEventLoop: true,
      functionName: FUNCTION_NAME,
      functionVersion: FUNCTION_VERSION,
      invokedFunctionArn: `arn:aws:lambda:us-east-1:123456789012:function:${FUNCTION_NAME}`,
      memoryLimitInMB: '256',
      awsRequestId: `8f5e2a4c-1b3d-4e6f-9a0b-${String(i).padStart(12, '0')}`,
      logGroupName: LOG_GROUP,
      logStreamName: LOG_STREAM,
      getRemainingTimeInMillis: () => 10_000,
      done: () => undefined,
      fail: () => undefined,
      succeed: () => undefined,
    });
    if (lines.length !== before + 1) throw new Error(`forwarder payloads: one invocation wrote ${lines.length - before} lines, not 1`);
    spans.push(elevenSpans ? 1 + CHILDREN_IN_ELEVEN_SPAN_SHAPE : 1);
  }
  return { lines: lines.slice(0, count), spans: spans.slice(0, count) };
}

/** `count` version-1 lines (one span each) of the same kind of invocations: what log groups written before format 2 hold. */
export async function spanLinesV1(count: number): Promise<SpanLines> {
  const source = lineSourceOf(LOG_GROUP, LOG_STREAM);
  const lines: string[] = [];
  while (lines.length < count) {
    for (const line of (await spanLines(Math.max(2, Math.ceil((count - lines.length) / 6)))).lines) {
      const decoded = decodeSpanLine(line, source);
      if (!decoded.ok) throw new Error(`forwarder payloads: a v2 line did not decode (${decoded.reason})`);
      for (const span of decoded.spans) lines.push(encodeSpanLineV1(span));
    }
  }
  return { lines: lines.slice(0, count), spans: lines.slice(0, count).map(() => 1) };
}

/** How many of these lines the largest delivery holds. */
export function largestBatch(lines: readonly string[]): number {
  let bytes = 0;
  let count = 0;
  for (const line of lines) {
    const next = bytes + Buffer.byteLength(line) + 1 + EVENT_OVERHEAD_BYTES; // the message keeps its newline
    if (next > MAX_BATCH_BYTES || count === MAX_BATCH_EVENTS) break;
    bytes = next;
    count++;
  }
  return count;
}

let eventSeq = 0n;

/** A subscription event of these lines; each message ends in the newline the function wrote, as Lambda's text-format log events keep it. */
export function subscriptionEvent(lines: readonly string[]): CloudWatchLogsEvent {
  const start = Date.now();
  const logEvents: CloudWatchLogsLogEvent[] = lines.map((line, i) => ({
    id: (37515311844131316235234953153534583457435346798378090496n + eventSeq++).toString(),
    timestamp: start + Math.floor(i / 20),
    message: `${line}\n`,
  }));
  return encodeSubscriptionEvent({
    messageType: 'DATA_MESSAGE',
    owner: '123456789012',
    logGroup: LOG_GROUP,
    logStream: LOG_STREAM,
    subscriptionFilters: ['lambda-log-tracing-spans'],
    logEvents,
  });
}
