import { decodeSpanLine, SPAN_LINE_PREFIX, type LineSource, type SkipReason } from '../span-line';
import type { TailSpan } from './trace-assembler';

/**
 * Log messages in, spans out: every message goes through the span-line decoder (the one reader of
 * the format, so tail follows its versions), everything that is not a span is counted by reason.
 */
export class SpanIntake {
  readonly skipped: Partial<Record<SkipReason, number>> = {};
  messages = 0;
  spans = 0;

  constructor(private readonly onSpan: (span: TailSpan) => void) {}

  /** `source`: what the log group and stream tell (lineSourceOf), which a line may leave out. */
  message(message: string, source?: LineSource): void {
    this.messages++;
    const decoded = decodeSpanLine(message, source);
    if (!decoded.ok) {
      this.skipped[decoded.reason] = (this.skipped[decoded.reason] ?? 0) + 1;
      return;
    }
    const { spans, truncated } = decoded;
    this.spans += spans.length;
    for (let i = 0; i < spans.length; i++) this.onSpan({ span: spans[i], truncated: truncated.includes(i) });
  }

  /** `12 spans; skipped 40 other lines (not_json 38, not_span 2)`. */
  summary(traces: number, duplicates: number): string[] {
    const skippedTotal = Object.values(this.skipped).reduce((a, b) => a + b, 0);
    let line = `${this.spans} span${this.spans === 1 ? '' : 's'} in ${traces} trace${traces === 1 ? '' : 's'}`;
    if (skippedTotal > 0) {
      const reasons = Object.entries(this.skipped).map(([reason, n]) => `${reason} ${n}`);
      line += `; skipped ${skippedTotal} other line${skippedTotal === 1 ? '' : 's'} (${reasons.join(', ')})`;
    }
    if (duplicates > 0) line += `; ${duplicates} duplicate${duplicates === 1 ? '' : 's'} dropped`;
    const lines = [line];
    if (this.spans === 0 && this.messages > 0) lines.push(`no span lines in the input: a span line starts with ${SPAN_LINE_PREFIX}`);
    return lines;
  }
}
