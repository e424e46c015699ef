import type { CloudWatchLogsLogEvent } from 'aws-lambda';
import { decodeSpanLineInto, finishedSpanOf, lineSourceOf, SKIP_REASONS, type FinishedSpan, type SinkResult, type SkipReason } from '../span-line';
import type { LineSink, SpanExporter, SpanSource } from './exporter';

/** What one invocation did with its log events. Always received = lines + Σ skipped. */
export interface ForwardSummary {
  /** Log events read. */
  received: number;
  /** Of those, span lines (a version-2 line holds the spans of an invocation). */
  lines: number;
  /** Spans handed to the exporter. */
  forwarded: number;
  /** Forwarded spans whose line the encoder had to cut (long values, too many logs or tags). */
  truncated: number;
  skipped: Record<SkipReason, number>;
  /** Forwarded spans a backend refused in a partial success (OTLP), known after the flush. Not retried. */
  rejected: number;
}

export function emptySummary(): ForwardSummary {
  const skipped = {} as Record<SkipReason, number>;
  for (const reason of SKIP_REASONS) skipped[reason] = 0;
  return { received: 0, lines: 0, forwarded: 0, truncated: 0, skipped, rejected: 0 };
}

/**
 * Decodes every log event and hands the genuine spans to the exporter (not flushed here), with
 * the log group, stream and account they came from. One bad line is counted by reason and never
 * fails or drops the rest of the batch.
 */
export function forwardLogEvents(logEvents: readonly CloudWatchLogsLogEvent[], exporter: SpanExporter, source?: SpanSource): ForwardSummary {
  const collected: FinishedSpan[] = [];
  const summary = forwardIntoSink(logEvents, exporter.lineSink?.(source) ?? collectingSink(collected), source);
  if (collected.length > 0) exporter.export(collected, source);
  return summary;
}

/**
 * For an exporter without a LineSink: the lines' spans as FinishedSpans, for one export() after
 * the loop (a throw out of the loop skips the export, so nothing needs taking back).
 */
function collectingSink(into: FinishedSpan[]): LineSink {
  return {
    beginLine: () => undefined,
    span: (view) => {
      into.push(finishedSpanOf(view));
    },
    endLine: () => undefined,
  };
}

/** Every line into the sink; a line it refuses is a bad_field. */
function forwardIntoSink(logEvents: readonly CloudWatchLogsLogEvent[], sink: LineSink, source?: SpanSource): ForwardSummary {
  const summary = emptySummary();
  // The events of one delivery share their log group and stream: the facts a line leaves out.
  // Malformed ids (non-hex, or 0, which a collector refuses a whole report for) are among the
  // schema's bad_field reasons: the loop does not check them a second time.
  const lineSource = lineSourceOf(source?.logGroup, source?.logStream);
  let lines = 0;
  let forwarded = 0;
  for (let i = 0; i < logEvents.length; i++) {
    sink.beginLine();
    let result: SinkResult;
    try {
      result = decodeSpanLineInto(logEvents[i].message, lineSource, sink);
    } catch (error) {
      sink.endLine(false);
      throw error;
    }
    if (!result.ok) summary.skipped[result.reason]++;
    else if (sink.endLine(true) !== undefined) summary.skipped.bad_field++;
    else {
      lines++;
      forwarded += result.spans;
      summary.truncated += result.truncated.length;
    }
  }
  summary.received = logEvents.length;
  summary.lines = lines;
  summary.forwarded = forwarded;
  return summary;
}

/** Adds `from` into `into` (one summary per log group over the records of a Kinesis batch). */
export function addSummary(into: ForwardSummary, from: ForwardSummary): void {
  into.received += from.received;
  into.lines += from.lines;
  into.forwarded += from.forwarded;
  into.truncated += from.truncated;
  into.rejected += from.rejected;
  for (const reason of SKIP_REASONS) into.skipped[reason] += from.skipped[reason];
}
