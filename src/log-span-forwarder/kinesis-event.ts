import type { KinesisStreamEvent, KinesisStreamRecord } from 'aws-lambda';
import {
  decodeSubscriptionData,
  encodeSubscriptionData,
  MalformedSubscriptionEventError,
  type SubscriptionPayload,
} from './subscription-event';

/**
 * The Kinesis Data Streams path: CloudWatch Logs puts each subscription payload (gzipped JSON,
 * exactly as a Lambda subscription would receive it) into one stream record, and Lambda's event
 * source mapping delivers batches of records, base64 in `kinesis.data`.
 */

/** Does this invocation come from a Kinesis event source mapping? Decided once per event. */
export function isKinesisStreamEvent(event: unknown): event is KinesisStreamEvent {
  if (typeof event !== 'object' || event === null || !('Records' in event)) return false;
  const records = (event as { Records: unknown }).Records;
  if (!Array.isArray(records)) return false;
  // Lambda never delivers an empty batch; an empty one is harmless either way.
  const source = (records[0] as { eventSource?: unknown } | undefined)?.eventSource;
  if (records.length > 0 && source !== 'aws:kinesis') {
    // An SQS or SNS event reaching the forwarder is a wiring mistake, not a Kinesis batch.
    throw new MalformedSubscriptionEventError(`unsupported event: Records from ${JSON.stringify(source)}, expected "aws:kinesis"`);
  }
  return true;
}

/** The sequence number of a record, if it has a usable one (its name in batchItemFailures). */
export function sequenceNumberOf(record: unknown): string | undefined {
  const sequenceNumber = (record as Partial<KinesisStreamRecord> | null | undefined)?.kinesis?.sequenceNumber;
  return typeof sequenceNumber === 'string' && /^\d+$/.test(sequenceNumber) ? sequenceNumber : undefined;
}

/** One record's subscription payload; throws MalformedSubscriptionEventError naming the record. */
export function decodeKinesisRecord(record: unknown, index: number): SubscriptionPayload {
  const where = `Records[${index}]`;
  const r = record as Partial<KinesisStreamRecord> | null | undefined;
  if (r?.eventSource !== 'aws:kinesis') {
    throw new MalformedSubscriptionEventError(`${where} is not a Kinesis record (eventSource ${JSON.stringify(r?.eventSource)})`);
  }
  const data = r.kinesis?.data;
  if (typeof data !== 'string' || data.length === 0) throw new MalformedSubscriptionEventError(`${where} has no kinesis.data string`);
  try {
    return decodeSubscriptionData(data, `${where}.kinesis.data`);
  } catch (error) {
    // Shape errors name a payload field only: say which record it was.
    if (error instanceof MalformedSubscriptionEventError && !error.message.startsWith(where)) {
      throw new MalformedSubscriptionEventError(`${where}: ${error.message}`);
    }
    throw error;
  }
}

export interface KinesisRecordOptions {
  streamArn?: string;
  /** The first record's sequence number (decimal); the others count up from it. */
  firstSequenceNumber?: bigint;
  shardId?: string;
}

/**
 * A real Kinesis event as Lambda delivers it, one record per payload: the same gzip + base64
 * encoder the subscription events use (tests, sample events). Sequence numbers ascend, as within
 * a shard.
 */
export function encodeKinesisEvent(payloads: readonly SubscriptionPayload[], options: KinesisRecordOptions = {}): KinesisStreamEvent {
  const streamArn = options.streamArn ?? 'arn:aws:kinesis:us-east-1:123456789012:stream/span-lines';
  const shardId = options.shardId ?? 'shardId-000000000000';
  const first = options.firstSequenceNumber ?? 49_590_338_271_490_256_608_559_692_538_361_571_095_921_575_989_136_588_898n;
  return {
    Records: payloads.map((payload, i) => {
      const sequenceNumber = String(first + BigInt(i));
      return {
        kinesis: {
          kinesisSchemaVersion: '1.0',
          partitionKey: payload.logStream || 'control',
          sequenceNumber,
          data: encodeSubscriptionData(payload),
          approximateArrivalTimestamp: 1_764_045_116.123 + i / 1000,
        },
        eventSource: 'aws:kinesis',
        eventVersion: '1.0',
        eventID: `${shardId}:${sequenceNumber}`,
        eventName: 'aws:kinesis:record',
        invokeIdentityArn: 'arn:aws:iam::123456789012:role/log-span-forwarder',
        awsRegion: streamArn.split(':')[3] ?? 'us-east-1',
        eventSourceARN: streamArn,
      };
    }),
  };
}

/** `span-lines` from `arn:aws:kinesis:<region>:<account>:stream/span-lines` (the metrics' dimension). */
export function streamNameOf(event: KinesisStreamEvent): string {
  const arn = (event.Records[0] as Partial<KinesisStreamRecord> | undefined)?.eventSourceARN;
  if (typeof arn !== 'string') return 'unknown';
  const slash = arn.lastIndexOf(':stream/');
  return slash >= 0 ? arn.slice(slash + ':stream/'.length) : arn;
}
