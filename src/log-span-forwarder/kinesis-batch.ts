import type { KinesisStreamBatchItemFailure, KinesisStreamBatchResponse, KinesisStreamEvent } from 'aws-lambda';
import type { FlushOptions, SpanExporter } from './exporter';
import { addSummary, emptySummary, forwardLogEvents, type ForwardSummary } from './forward';
import { decodeKinesisRecord, sequenceNumberOf, streamNameOf } from './kinesis-event';
import { MalformedSubscriptionEventError } from './subscription-event';
import { buildKinesisBatchLine, buildSummaryLine, writeSummaryLine, type KinesisBatchSummary } from './summary-log';

/**
 * One Kinesis batch → spans delivered, and a partial batch response (ReportBatchItemFailures).
 *
 * Lambda checkpoints at the lowest sequence number named in batchItemFailures and retries every
 * record from there on, so what is named is always a suffix of the batch, from the first record
 * whose spans were not delivered:
 * - a corrupt record (bad base64, gzip, JSON or shape) can never decode: it is skipped, counted
 *   and named in the batch's summary line by sequence number, and never blocks the shard;
 * - a record whose spans an exporter refused (export throws, queuing none of them) fails from
 *   that record on; the records after it are not exported, they come back with the retry;
 * - a failed flush fails from the first record that had spans in it: all spans of a batch go in
 *   one flush, and none of them counts as delivered.
 * Resolves in every case, so Lambda never re-runs the spans of records before the checkpoint.
 */
export async function forwardKinesisEvent(
  event: KinesisStreamEvent,
  exporter: SpanExporter,
  writeLine: (line: string) => void = writeSummaryLine,
  flushOptions: FlushOptions = {},
): Promise<KinesisStreamBatchResponse> {
  const records = event.Records;
  const byLogGroup = new Map<string, ForwardSummary>();
  const batch: KinesisBatchSummary = { sourceStream: streamNameOf(event), records: records.length, control: 0, corrupt: [], failed: 0 };
  let failedFrom = records.length;
  let firstWithSpans = -1;

  for (let i = 0; i < records.length; i++) {
    let payload;
    try {
      payload = decodeKinesisRecord(records[i], i);
    } catch (error) {
      if (!(error instanceof MalformedSubscriptionEventError)) throw error;
      batch.corrupt.push({ sequenceNumber: sequenceNumberOf(records[i]), error: error.message });
      continue;
    }
    if (payload.messageType === 'CONTROL_MESSAGE') {
      batch.control++;
      continue;
    }
    let summary: ForwardSummary;
    try {
      summary = forwardLogEvents(payload.logEvents, exporter, { owner: payload.owner, logGroup: payload.logGroup, logStream: payload.logStream });
    } catch (error) {
      failedFrom = i;
      batch.error = `${exporter.name} refused the spans of Records[${i}]: ${messageOf(error)}`;
      break;
    }
    if (summary.forwarded > 0 && firstWithSpans < 0) firstWithSpans = i;
    const total = byLogGroup.get(payload.logGroup) ?? emptySummary();
    addSummary(total, summary);
    byLogGroup.set(payload.logGroup, total);
  }

  let flushFailed = false;
  try {
    const result = await exporter.flush(flushOptions);
    // A partial success (OTLP) names no record: counted for the batch, not retried.
    if (result && result.rejectedSpans > 0) {
      batch.rejectedSpans = result.rejectedSpans;
      batch.rejectionMessage = result.rejectionMessage;
    }
  } catch (error) {
    if (firstWithSpans >= 0) {
      flushFailed = true;
      failedFrom = Math.min(failedFrom, firstWithSpans);
      batch.error = batch.error === undefined ? messageOf(error) : `${batch.error}; ${messageOf(error)}`;
    }
  }

  try {
    const batchItemFailures = failuresFrom(records, failedFrom);
    batch.failed = batchItemFailures.length;
    return { batchItemFailures };
  } catch (error) {
    batch.failed = records.length;
    batch.error = messageOf(error);
    throw error;
  } finally {
    for (const [sourceLogGroup, summary] of byLogGroup) {
      writeLine(buildSummaryLine(summary, { sourceLogGroup, flushFailed: flushFailed && summary.forwarded > 0 }));
    }
    writeLine(buildKinesisBatchLine(batch));
  }
}

/** Every record from `from` on, by sequence number. */
function failuresFrom(records: KinesisStreamEvent['Records'], from: number): KinesisStreamBatchItemFailure[] {
  const failures: KinesisStreamBatchItemFailure[] = [];
  for (let i = from; i < records.length; i++) {
    const itemIdentifier = sequenceNumberOf(records[i]);
    if (itemIdentifier === undefined) {
      // Unnameable, so the checkpoint could land past it: fail the whole batch instead.
      throw new Error(`Records[${i}] failed and has no kinesis.sequenceNumber to report it by`);
    }
    failures.push({ itemIdentifier });
  }
  return failures;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
