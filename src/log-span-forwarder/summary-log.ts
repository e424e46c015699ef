import { writeStdoutLine } from '../common/sync-stdout';
import { SKIP_REASONS } from '../span-line';
import type { ForwardSummary } from './forward';

export const METRIC_NAMESPACE = 'LogSpanForwarder';

export interface SummaryContext {
  /** The log group the batch came from: the metrics' one dimension. */
  sourceLogGroup: string;
  /** The flush failed (the invocation is about to reject and be retried). */
  flushFailed: boolean;
  /** A backend's reason for the spans it rejected (secret-free), when it gave one. */
  rejectionMessage?: string;
  /** Milliseconds since the epoch, for the metric timestamp. */
  timestamp?: number;
}

const METRICS = [
  { Name: 'LinesReceived', Unit: 'Count' },
  { Name: 'SpanLines', Unit: 'Count' },
  { Name: 'SpansAttempted', Unit: 'Count' },
  { Name: 'SpansForwarded', Unit: 'Count' },
  { Name: 'SpansTruncated', Unit: 'Count' },
  { Name: 'SpansRejected', Unit: 'Count' },
  { Name: 'LinesSkipped', Unit: 'Count' },
  ...SKIP_REASONS.map((reason) => ({ Name: `Skipped_${reason}`, Unit: 'Count' })),
  { Name: 'FlushFailed', Unit: 'Count' },
];

/** The metric declarations, the same in every line: serialized once. */
const CLOUDWATCH_METRICS_JSON = JSON.stringify([{ Namespace: METRIC_NAMESPACE, Dimensions: [['SourceLogGroup']], Metrics: METRICS }]);
const SKIPPED_FIELDS = SKIP_REASONS.map((reason) => `,"Skipped_${reason}":`);

/**
 * One CloudWatch Embedded Metric Format line: the counts become metrics with no API call.
 * It has no `otspan` key and does not start like a span line, so even if the forwarder's own
 * log group were ever subscribed to it, it could never come back as a span. Written as text
 * (every invocation writes one; the counts are integers, the strings go through JSON.stringify).
 */
export function buildSummaryLine(summary: ForwardSummary, context: SummaryContext): string {
  let line =
    `{"_aws":{"Timestamp":${context.timestamp ?? Date.now()},"CloudWatchMetrics":${CLOUDWATCH_METRICS_JSON}}` +
    `,"message":"log-span-forwarder summary","SourceLogGroup":${JSON.stringify(context.sourceLogGroup)}` +
    `,"LinesReceived":${summary.received}` +
    // Span lines among them (a line holds the spans of an invocation).
    `,"SpanLines":${summary.lines}` +
    // Spans handed to the exporters; delivered only when the flush succeeded. A failed flush means
    // none of the batch counts as forwarded: Lambda retries the whole event.
    `,"SpansAttempted":${summary.forwarded},"SpansForwarded":${context.flushFailed ? 0 : summary.forwarded}` +
    `,"SpansTruncated":${summary.truncated}` +
    // Refused by a backend that took the request (an OTLP partial success): not retried, so
    // counted here rather than lost silently.
    `,"SpansRejected":${summary.rejected},"LinesSkipped":${summary.received - summary.lines}`;
  for (let i = 0; i < SKIP_REASONS.length; i++) line += SKIPPED_FIELDS[i] + summary.skipped[SKIP_REASONS[i]];
  line += `,"FlushFailed":${context.flushFailed ? 1 : 0}`;
  if (context.rejectionMessage) line += `,"RejectionMessage":${JSON.stringify(context.rejectionMessage)}`;
  return `${line}}`;
}

/** Writes the summary line to stdout synchronously. Telemetry never fails the invocation. */
export function writeSummaryLine(line: string): void {
  try {
    writeStdoutLine(line);
  } catch {
    // Nothing sensible to do: the spans' fate does not depend on this line.
  }
}

/** What one Kinesis batch did with its records (the spans are in the per-log-group lines). */
export interface KinesisBatchSummary {
  /** The stream's name, from the records' eventSourceARN: the batch line's one dimension. */
  sourceStream: string;
  records: number;
  /** CloudWatch's health checks. */
  control: number;
  /** Records that can never be decoded: skipped, counted and named here, never retried. */
  corrupt: Array<{ sequenceNumber: string | undefined; error: string }>;
  /** Records named in batchItemFailures: Lambda retries from the first of them. */
  failed: number;
  /** Why records failed (a flush or export error; never a token, by the exporters' construction). */
  error?: string;
  /** Spans an OTLP backend refused in a partial success (not retried), and its reason. */
  rejectedSpans?: number;
  rejectionMessage?: string;
  timestamp?: number;
}

const KINESIS_METRICS = [
  { Name: 'RecordsReceived', Unit: 'Count' },
  { Name: 'RecordsControl', Unit: 'Count' },
  { Name: 'RecordsCorrupt', Unit: 'Count' },
  { Name: 'RecordsFailed', Unit: 'Count' },
  { Name: 'SpansRejected', Unit: 'Count' },
];
/** Enough to find them in the stream (get-shard-iterator AT_SEQUENCE_NUMBER) while the line stays small. */
const MAX_CORRUPT_LISTED = 10;

/** One EMF line per Kinesis batch, next to the per-log-group summary lines of its spans. */
export function buildKinesisBatchLine(batch: KinesisBatchSummary): string {
  const record: Record<string, unknown> = {
    _aws: {
      Timestamp: batch.timestamp ?? Date.now(),
      CloudWatchMetrics: [{ Namespace: METRIC_NAMESPACE, Dimensions: [['SourceStream']], Metrics: KINESIS_METRICS }],
    },
    message: 'log-span-forwarder kinesis batch',
    SourceStream: batch.sourceStream,
    RecordsReceived: batch.records,
    RecordsControl: batch.control,
    RecordsCorrupt: batch.corrupt.length,
    RecordsFailed: batch.failed,
    SpansRejected: batch.rejectedSpans ?? 0,
  };
  if (batch.rejectionMessage) record.RejectionMessage = batch.rejectionMessage;
  if (batch.corrupt.length > 0) {
    record.CorruptRecords = batch.corrupt.slice(0, MAX_CORRUPT_LISTED).map(({ sequenceNumber, error }) => ({ SequenceNumber: sequenceNumber ?? null, Error: error }));
  }
  if (batch.error !== undefined) record.Error = batch.error;
  return JSON.stringify(record);
}
