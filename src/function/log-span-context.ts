import { SpanContext } from 'opentracing';

/** Shared by every context without baggage, so a span without baggage allocates none. */
export const NO_BAGGAGE: Readonly<Record<string, string>> = Object.freeze({});

/** Identity of a LogTracer span: what crosses process boundaries in headers. */
export class LogSpanContext extends SpanContext {
  constructor(
    /** 16 or 32 lowercase hex. */
    readonly traceId: string,
    /** 16 lowercase hex. */
    readonly spanId: string,
    /** false: neither this span nor its descendants write a line. */
    readonly sampled: boolean,
    /** Copy-on-write: NO_BAGGAGE until the first item is set on this context. */
    public baggage: Record<string, string> = NO_BAGGAGE,
    /** The caller's W3C tracestate, passed on unchanged to children and downstream ('' when none). */
    readonly traceState: string = '',
  ) {
    super();
  }

  setBaggageItem(key: string, value: string): void {
    if (this.baggage === NO_BAGGAGE) this.baggage = {};
    this.baggage[key] = String(value);
  }

  /** The baggage a child starts with: its own copy, so its items never leak back to the parent. */
  childBaggage(): Record<string, string> {
    return this.baggage === NO_BAGGAGE ? NO_BAGGAGE : { ...this.baggage };
  }

  override toTraceId(): string {
    return this.traceId;
  }

  override toSpanId(): string {
    return this.spanId;
  }
}
