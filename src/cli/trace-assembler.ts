import type { FinishedSpan } from '../span-line';

/** A decoded span as tail shows it. */
export interface TailSpan {
  span: FinishedSpan;
  /** The encoder cut values, logs or tags (the span line's `trunc`). */
  truncated: boolean;
}

/** Spans of one trace, handed over together. */
export interface TraceGroup {
  traceId: string;
  /** In arrival order, without duplicates. */
  spans: TailSpan[];
  /** The trace was shown before: these spans came after it. */
  late: boolean;
  /** Span id → operation of this trace's spans shown before (a late span's parent may be one). */
  shownBefore: ReadonlyMap<string, string>;
  /** Why now: a root span arrived, the trace went quiet, the input ended, or too many traces were open. */
  reason: 'root' | 'quiet' | 'end' | 'full';
}

export interface TraceAssemblerOptions {
  /** A trace without its root is shown once no span of it arrived for this long. */
  waitMs: number;
  now?: () => number;
  /** Traces open at once before the oldest is shown regardless (memory bound for long follows). */
  maxOpen?: number;
  /** Shown traces remembered, to mark spans that arrive after them as late and drop duplicates. */
  remember?: number;
}

interface OpenTrace {
  spans: Map<string, TailSpan>;
  lastArrival: number;
}

/**
 * Groups a stream of spans by trace. Spans are written when they finish, so children come before
 * their parents and a root (no parent) comes last: a trace is handed over as soon as its root
 * arrives, or when it has been quiet for `waitMs` (a function's spans have a parent in the calling
 * service, so their trace has no root in these logs), or at the end of the input.
 */
export class TraceAssembler {
  private readonly open = new Map<string, OpenTrace>();
  private readonly shown = new Map<string, Map<string, string>>();
  private readonly now: () => number;
  private readonly maxOpen: number;
  private readonly remember: number;
  duplicates = 0;

  constructor(
    private readonly emit: (group: TraceGroup) => void,
    private readonly options: TraceAssemblerOptions,
  ) {
    this.now = options.now ?? Date.now;
    this.maxOpen = options.maxOpen ?? 10_000;
    this.remember = options.remember ?? 10_000;
  }

  add(tailSpan: TailSpan): void {
    const { traceId, spanId } = tailSpan.span;
    if (this.shown.get(traceId)?.has(spanId)) {
      this.duplicates++; // a redelivered event, or history and Live Tail overlapping
      return;
    }
    let trace = this.open.get(traceId);
    if (!trace) {
      if (this.open.size >= this.maxOpen) this.hand(this.open.keys().next().value as string, 'full');
      trace = { spans: new Map(), lastArrival: 0 };
      this.open.set(traceId, trace);
    }
    if (trace.spans.has(spanId)) {
      this.duplicates++;
      return;
    }
    trace.spans.set(spanId, tailSpan);
    trace.lastArrival = this.now();
    if (tailSpan.span.parentSpanId === undefined) this.hand(traceId, 'root');
  }

  /** Hands over the traces quiet for waitMs; call it every so often. */
  tick(): void {
    const cutoff = this.now() - this.options.waitMs;
    for (const [traceId, trace] of this.open) if (trace.lastArrival <= cutoff) this.hand(traceId, 'quiet');
  }

  /** Hands over every open trace (the input ended). */
  flush(): void {
    for (const traceId of [...this.open.keys()]) this.hand(traceId, 'end');
  }

  get openTraces(): number {
    return this.open.size;
  }

  private hand(traceId: string, reason: TraceGroup['reason']): void {
    const trace = this.open.get(traceId);
    if (!trace) return;
    this.open.delete(traceId);
    const before = this.shown.get(traceId);
    const shownBefore = new Map(before ?? []);
    const spans = [...trace.spans.values()];
    this.emit({ traceId, spans, late: before !== undefined, shownBefore, reason });
    const remembered = before ?? new Map<string, string>();
    for (const { span } of spans) remembered.set(span.spanId, span.operation);
    this.shown.delete(traceId); // re-insert: the most recently shown are kept longest
    this.shown.set(traceId, remembered);
    if (this.shown.size > this.remember) this.shown.delete(this.shown.keys().next().value as string);
  }
}
