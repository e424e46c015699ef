import { Span } from 'opentracing';
import type { SpanToEncode } from '../span-line/encode';
import { LIMITS } from '../span-line/format';
import { nowMicros } from './clock';
import type { LogSpanContext } from './log-span-context';
import type { LogTracer } from './log-tracer';
import type { KeyMasker } from './secret-mask';

type Fields = Record<string, unknown>;
type LogEntry = { timestampMicros: number; fields: Fields };

// Shared until the first tag or log: most spans carry a handful of tags and no logs, and a
// span with none should cost no extra objects.
const NO_TAGS: Fields = Object.freeze({}) as Fields;
const NO_LOGS: readonly LogEntry[] = Object.freeze([]) as readonly LogEntry[];

// Memory bound for a span that logs in a loop: keep the first entries and a sliding window of
// the latest (the encoder then keeps the first and last LIMITS.maxLogs / 2 and marks trunc).
const MAX_KEPT_LOGS = LIMITS.maxLogs * 2;
const FIRST_KEPT_LOGS = LIMITS.maxLogs / 2;

/**
 * A LogTracer span. It is its own span-line record (it satisfies SpanToEncode), so finishing
 * it encodes the span object itself with no intermediate copy.
 */
export class LogSpan extends Span implements SpanToEncode {
  readonly traceId: string;
  readonly spanId: string;
  readonly component: string;
  durationMicros = 0;
  tags: Fields = NO_TAGS;
  logs: readonly LogEntry[] = NO_LOGS;
  private finished = false;
  /** The baggage the line shows, when masking changed it (the context keeps the real values). */
  private lineBaggage: Record<string, string> | undefined;

  constructor(
    private readonly owner: LogTracer,
    private readonly ctx: LogSpanContext,
    public operation: string,
    readonly parentSpanId: string | undefined,
    readonly startMicros: number,
  ) {
    super();
    this.traceId = ctx.traceId;
    this.spanId = ctx.spanId;
    this.component = owner.componentName;
  }

  /** As the span line shows it: masked once the span is finished and masked. */
  get baggage(): Record<string, string> {
    return this.lineBaggage ?? this.ctx.baggage;
  }

  get sampled(): boolean {
    return this.ctx.sampled;
  }

  get isFinished(): boolean {
    return this.finished;
  }

  protected override _context(): LogSpanContext {
    return this.ctx;
  }

  protected override _tracer(): LogTracer {
    return this.owner;
  }

  protected override _setOperationName(name: string): void {
    this.operation = String(name);
  }

  protected override _setBaggageItem(key: string, value: string): void {
    this.ctx.setBaggageItem(key, value);
  }

  protected override _getBaggageItem(key: string): string | undefined {
    return this.ctx.baggage[key];
  }

  /** opentracing's setTag builds `{}[key] = value`, which loses a '__proto__' key: the pair goes through _addTags without a prototype. */
  override setTag(key: string, value: unknown): this {
    const pair = Object.create(null) as Fields;
    pair[key] = value;
    this._addTags(pair);
    return this;
  }

  protected override _addTags(keyValuePairs: Fields): void {
    if (this.finished || keyValuePairs === null || typeof keyValuePairs !== 'object') return;
    // No prototype: setTag('__proto__', …) is a tag like any other (on {} it would set the prototype and vanish).
    if (this.tags === NO_TAGS) this.tags = Object.create(null) as Fields;
    Object.assign(this.tags, keyValuePairs);
  }

  protected override _log(keyValuePairs: Fields, timestamp?: number): void {
    if (this.finished || keyValuePairs === null || typeof keyValuePairs !== 'object') return;
    const entry = {
      timestampMicros: typeof timestamp === 'number' ? timestamp * 1000 : nowMicros(),
      fields: { ...keyValuePairs },
    };
    if (this.logs === NO_LOGS) this.logs = [];
    const logs = this.logs as LogEntry[];
    if (logs.length === MAX_KEPT_LOGS) logs.splice(FIRST_KEPT_LOGS, 1);
    logs.push(entry);
  }

  /**
   * Masks secret-keyed values before the line is written: tags and log fields in place (they are
   * this span's own copies, and it is finished), baggage in a copy only when something is masked,
   * so the context, its children and downstream injection keep the real values.
   */
  maskSecrets(masker: KeyMasker): void {
    masker.maskInPlace(this.tags);
    for (const entry of this.logs) masker.maskInPlace(entry.fields);
    const baggage = masker.maskedCopy(this.ctx.baggage);
    if (baggage !== this.ctx.baggage) this.lineBaggage = baggage;
  }

  /** Once only; finishTime is in milliseconds since the epoch (OpenTracing's unit). */
  protected override _finish(finishTime?: number): void {
    if (this.finished) return;
    this.finished = true;
    const endMicros = typeof finishTime === 'number' ? finishTime * 1000 : nowMicros();
    // Never negative: a span open across a clock re-anchor (next invocation) may see time step back.
    this.durationMicros = Math.max(0, endMicros - this.startMicros);
    this.owner.spanFinished(this);
  }
}
