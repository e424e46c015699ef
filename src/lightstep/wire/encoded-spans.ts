import { ProtoWriter } from './proto-writer';
import type { SpanView } from '../../span-line/span-view';
import { writeSpanField, writeSpanViewField } from './report-writer';
import type { SpanToReport } from './wire-span';

/** How large one report may get. */
export interface ReportLimits {
  maxSpans: number;
  /** The whole POST body, header included; a span larger than that on its own still goes, alone. */
  maxBytes: number;
}

/** Spans [from, to) of a batch: one report's worth. */
export interface SpanRange {
  from: number;
  to: number;
}

/**
 * Spans already written as ReportRequest.spans fields (one growing buffer, no object per span
 * kept), cut into reports when they are sent: a report is the sender's header followed by a run
 * of these fields, so cutting is copying bytes.
 */
export class EncodedSpans {
  private readonly writer: ProtoWriter;
  /** Where each span's field ends in the buffer. */
  private readonly ends: number[] = [];

  constructor(initialBytes?: number) {
    this.writer = new ProtoWriter(initialBytes);
  }

  get count(): number {
    return this.ends.length;
  }

  get bytes(): number {
    return this.writer.pos;
  }

  /** Writes one span; throws InvalidIdError (leaving nothing of it behind) for an id the wire cannot carry. */
  add(span: SpanToReport): void {
    this.write(writeSpanField, span);
  }

  /** Writes one decoder's view (writeSpanViewField): the bytes add() writes for its FinishedSpan. */
  addView(view: SpanView): void {
    this.write(writeSpanViewField, view);
  }

  private write<T>(writeField: (w: ProtoWriter, item: T) => void, item: T): void {
    const before = this.writer.pos;
    try {
      writeField(this.writer, item);
    } catch (error) {
      this.writer.truncate(before);
      throw error;
    }
    this.ends.push(this.writer.pos);
  }

  /** Forgets every span from the `count`th on (an export that threw takes back its spans). */
  rollback(count: number): void {
    this.ends.length = count;
    this.writer.truncate(count === 0 ? 0 : this.ends[count - 1]);
  }

  /** Consecutive runs of spans, each a report within `limits` once `headerBytes` go in front. */
  cut(headerBytes: number, limits: ReportLimits): SpanRange[] {
    const ranges: SpanRange[] = [];
    const ends = this.ends;
    let from = 0;
    let fromByte = 0;
    for (let to = 0; to < ends.length; to++) {
      const spans = to - from + 1;
      const size = headerBytes + ends[to] - fromByte;
      if (spans > 1 && (spans > limits.maxSpans || size > limits.maxBytes)) {
        ranges.push({ from, to });
        from = to;
        fromByte = ends[to - 1];
      }
    }
    if (from < ends.length) ranges.push({ from, to: ends.length });
    return ranges;
  }

  /**
   * The ReportRequest of spans [from, to) as the bytes to send one after the other: the header,
   * then their fields as a view of this buffer (not copied: a report is written to the socket as
   * it is). Valid until the spans are rolled back or written over.
   */
  reportChunks(header: Buffer, range: SpanRange): [Buffer, Buffer] {
    const start = range.from === 0 ? 0 : this.ends[range.from - 1];
    return [header, this.writer.view(start, this.ends[range.to - 1])];
  }
}
