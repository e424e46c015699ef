import { gunzipSync, gzipSync } from 'node:zlib';
import type { CloudWatchLogsDecodedData, CloudWatchLogsEvent, CloudWatchLogsLogEvent } from 'aws-lambda';

/**
 * The most a payload may unzip to. CloudWatch delivers at most one PutLogEvents batch per
 * payload (1 MiB of messages, 10,000 events): as JSON, with each event's id and timestamp and the
 * messages' quotes escaped, a few MiB. Past this a payload is refused unread (a zip bomb of a few
 * hundred KiB would otherwise unzip to gigabytes in the forwarder's memory).
 */
export const MAX_PAYLOAD_BYTES = 32 * 1024 * 1024;

/** The decoded payload of a CloudWatch Logs subscription event. */
export type SubscriptionPayload = CloudWatchLogsDecodedData & {
  messageType: 'DATA_MESSAGE' | 'CONTROL_MESSAGE';
};

/**
 * A subscription event whose payload cannot be read. Unlike a bad log line this fails the
 * invocation: nothing in the batch can be trusted, and Lambda's retry / dead-letter queue is
 * the right place for it.
 */
export class MalformedSubscriptionEventError extends Error {
  override readonly name = 'MalformedSubscriptionEventError';
}

/** base64 → gunzip → JSON, with the shape checked. CONTROL_MESSAGE payloads are returned as is. */
export function decodeSubscriptionEvent(event: CloudWatchLogsEvent): SubscriptionPayload {
  const data = (event as Partial<CloudWatchLogsEvent> | null | undefined)?.awslogs?.data;
  if (typeof data !== 'string' || data.length === 0) {
    throw new MalformedSubscriptionEventError('subscription event has no awslogs.data string');
  }
  return decodeSubscriptionData(data, 'awslogs.data');
}

/**
 * One gzipped subscription payload in base64, wherever it arrived: `awslogs.data` of a Lambda
 * subscription event, or `kinesis.data` of one Kinesis record (CloudWatch Logs puts exactly one
 * payload in each record). `field` names the source in errors.
 */
export function decodeSubscriptionData(data: string, field: string): SubscriptionPayload {
  const bytes = base64Bytes(data);
  if (bytes === undefined) throw new MalformedSubscriptionEventError(`${field} is not base64`);
  let json: string;
  try {
    json = gunzipSync(bytes, { maxOutputLength: MAX_PAYLOAD_BYTES, chunkSize: unzipChunkBytes(bytes.length) }).toString('utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new MalformedSubscriptionEventError(`${field} unzips to more than ${MAX_PAYLOAD_BYTES / 1024 / 1024} MiB (no CloudWatch delivery is that large)`);
    }
    throw new MalformedSubscriptionEventError(`${field} is not gzip: ${(error as Error).message}`);
  }
  let payload: unknown;
  try {
    payload = JSON.parse(json);
  } catch (error) {
    throw new MalformedSubscriptionEventError(`${field} is not JSON: ${(error as Error).message}`);
  }
  checkShape(payload);
  return payload;
}

/**
 * The output chunk gunzip fills for a payload of `zipped` bytes: a power of two of 8× them
 * (CloudWatch's JSON unzips to about 7×), 64 KiB to 1 MiB. zlib's default 16 KiB chunks cost
 * a 100-line payload four more passes and a join: ~12 % of its base64 + gunzip + JSON.parse.
 */
export function unzipChunkBytes(zipped: number): number {
  let size = 64 * 1024;
  while (size < zipped * 8 && size < 1024 * 1024) size *= 2;
  return size;
}

/**
 * Strict base64 (the standard alphabet, `=` padding only at the end), decoded; undefined
 * otherwise. Buffer.from(…, 'base64') skips characters outside the alphabet (and stops at an
 * inner `=`), so any of them leaves fewer bytes than the length promises; it also reads the URL
 * alphabet's `-` and `_`, looked for apart. One pass in C++ instead of a regular expression over
 * the whole payload (~3 ms for the largest delivery).
 */
function base64Bytes(data: string): Buffer | undefined {
  const padding = data.endsWith('==') ? 2 : data.endsWith('=') ? 1 : 0;
  const digits = data.length - padding;
  // 4n+1 digits are never base64 (and would hide one skipped character in the length check).
  if (digits === 0 || digits % 4 === 1) return undefined;
  if (data.includes('-') || data.includes('_')) return undefined;
  const bytes = Buffer.from(data, 'base64');
  return bytes.length === Math.floor((digits * 3) / 4) ? bytes : undefined;
}

/** gzip + base64: builds a real subscription event (the local stack, sample events and tests). */
export function encodeSubscriptionEvent(payload: SubscriptionPayload): CloudWatchLogsEvent {
  return { awslogs: { data: encodeSubscriptionData(payload) } };
}

/** One payload as CloudWatch Logs delivers it: gzipped JSON, base64 (the inverse of decodeSubscriptionData). */
export function encodeSubscriptionData(payload: SubscriptionPayload): string {
  return gzipSync(JSON.stringify(payload)).toString('base64');
}

function checkShape(payload: unknown): asserts payload is SubscriptionPayload {
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
    throw new MalformedSubscriptionEventError('subscription payload is not an object');
  }
  const p = payload as Record<string, unknown>;
  if (p.messageType === 'CONTROL_MESSAGE') return;
  if (p.messageType !== 'DATA_MESSAGE') {
    throw new MalformedSubscriptionEventError(`unknown messageType ${JSON.stringify(p.messageType)}`);
  }
  for (const key of ['owner', 'logGroup', 'logStream'] as const) {
    if (typeof p[key] !== 'string') throw new MalformedSubscriptionEventError(`payload.${key} is not a string`);
  }
  if (!Array.isArray(p.subscriptionFilters)) {
    throw new MalformedSubscriptionEventError('payload.subscriptionFilters is not an array');
  }
  if (!Array.isArray(p.logEvents)) throw new MalformedSubscriptionEventError('payload.logEvents is not an array');
  const events = p.logEvents as unknown[];
  for (let i = 0; i < events.length; i++) {
    if (!isLogEvent(events[i])) {
      throw new MalformedSubscriptionEventError(`payload.logEvents[${i}] is not {id, timestamp, message}`);
    }
  }
}

function isLogEvent(value: unknown): value is CloudWatchLogsLogEvent {
  if (typeof value !== 'object' || value === null) return false;
  const e = value as Record<string, unknown>;
  return typeof e.id === 'string' && typeof e.timestamp === 'number' && typeof e.message === 'string';
}
