/**
 * Realistic subscription events for the forwarder scenario: span lines made by the real
 * LogTracer running the bench's 11-span invocation (bench/handlers/workload.ts) on the bench
 * event, wrapped as CloudWatch Logs delivers them to a subscribed Lambda (gzip + base64 of a
 * DATA_MESSAGE whose logEvents carry CloudWatch-style 56-digit ids). Every event gets fresh ids,
 * so the embedded collector stores each span instead of skipping a redelivery.
 */
import type { CloudWatchLogsEvent, CloudWatchLogsLogEvent } from 'aws-lambda';
import { errorResponse } from '../../src/function/demo-work';
import { LogTracer } from '../../src/function/log-tracer';
import { traced } from '../../src/function/traced';
import { encodeSubscriptionEvent } from '../../src/log-span-forwarder/subscription-event';
import { benchEvent } from '../lib/event';
import { FUNCTION_NAME } from '../lib/modes';
import { CHILDREN_IN_ELEVEN_SPAN_SHAPE, withChildSpans } from '../handlers/workload';

/** PutLogEvents' limits, which bound one delivery: 1,048,576 bytes (each event's message + 26) and 10,000 events. */
export const MAX_BATCH_BYTES = 1_048_576;
export const MAX_BATCH_EVENTS = 10_000;
export const EVENT_OVERHEAD_BYTES = 26;

/** `count` span lines, as the function writes them (no trailing newline: CloudWatch strips it). */
export async function spanLines(count: number): Promise<string[]> {
  const lines: string[] = [];
  const tracer = new LogTracer({ componentName: 'lambda_function', emit: (line) => lines.push(line) });
  const handler = traced(withChildSpans(CHILDREN_IN_ELEVEN_SPAN_SHAPE), { tracer, errorResponse });
  const event = benchEvent();
  for (let i = 0; lines.length < count; i++) {
    await handler(event, {
      callbackWaitsForEmptyEventLoop: true,
      functionName: FUNCTION_NAME,
      functionVersion: '$LATEST',
      invokedFunctionArn: `arn:aws:lambda:us-east-1:123456789012:function:${FUNCTION_NAME}`,
      memoryLimitInMB: '256',
      awsRequestId: `8f5e2a4c-1b3d-4e6f-9a0b-${String(i).padStart(12, '0')}`,
      logGroupName: `/aws/lambda/${FUNCTION_NAME}`,
      logStreamName: '2026/12/01/[$LATEST]0123456789abcdef0123456789abcdef',
      getRemainingTimeInMillis: () => 10_000,
      done: () => undefined,
      fail: () => undefined,
      succeed: () => undefined,
    });
  }
  return lines.slice(0, count);
}

/** How many of these lines the largest delivery holds. */
export function largestBatch(lines: readonly string[]): number {
  let bytes = 0;
  let count = 0;
  for (const line of lines) {
    const next = bytes + Buffer.byteLength(line) + EVENT_OVERHEAD_BYTES;
    if (next > MAX_BATCH_BYTES || count === MAX_BATCH_EVENTS) break;
    bytes = next;
    count++;
  }
  return count;
}

let eventSeq = 0n;

export function subscriptionEvent(lines: readonly string[]): CloudWatchLogsEvent {
  const start = Date.now();
  const logEvents: CloudWatchLogsLogEvent[] = lines.map((message, i) => ({
    id: (37515311844131316235234953153534583457435346798378090496n + eventSeq++).toString(),
    timestamp: start + Math.floor(i / 20),
    message,
  }));
  return encodeSubscriptionEvent({
    messageType: 'DATA_MESSAGE',
    owner: '123456789012',
    logGroup: `/aws/lambda/${FUNCTION_NAME}`,
    logStream: '2026/12/01/[$LATEST]0123456789abcdef0123456789abcdef',
    subscriptionFilters: ['lambda-log-tracing-spans'],
    logEvents,
  });
}
