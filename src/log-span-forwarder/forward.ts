import type { CloudWatchLogsLogEvent } from 'aws-lambda';
import { decodeSpanLine, SKIP_REASONS, type FinishedSpan, type SkipReason } from '../span-line';
import { invalidIdReason } from './convert';
import type { SpanSink } from './sink';

/** What one invocation did with its log events. Always received = forwarded + Σ skipped. */
export interface ForwardSummary {
  received: number;
  forwarded: number;
  /** Forwarded spans whose line the encoder had to cut (long values, too many logs or tags). */
  truncated: number;
  skipped: Record<SkipReason, number>;
}

export function emptySummary(): ForwardSummary {
  const skipped = {} as Record<SkipReason, number>;
  for (const reason of SKIP_REASONS) skipped[reason] = 0;
  return { received: 0, forwarded: 0, truncated: 0, skipped };
}

/**
 * Decodes every log event and hands the genuine spans to the sink (not flushed here). One bad
 * line is counted by reason and never fails or drops the rest of the batch.
 */
export function forwardLogEvents(logEvents: readonly CloudWatchLogsLogEvent[], sink: SpanSink): ForwardSummary {
  const summary = emptySummary();
  const spans: FinishedSpan[] = [];
  for (let i = 0; i < logEvents.length; i++) {
    const result = decodeSpanLine(logEvents[i].message);
    if (!result.ok) {
      summary.skipped[result.reason]++;
    } else if (invalidIdReason(result.span) !== undefined) {
      // The decoder's schema refuses these ids already (zero ids included). This is the
      // forwarder's one check of its own, so a loosened schema can neither poison the tracer nor
      // fail a whole report (a collector answers 400 to all of it for one zero id).
      summary.skipped.bad_field++;
    } else {
      spans.push(result.span);
      if (result.truncated) summary.truncated++;
    }
  }
  summary.received = logEvents.length;
  summary.forwarded = spans.length;
  if (spans.length > 0) sink.export(spans);
  return summary;
}
