import { FORMAT_HTTP_HEADERS, FORMAT_TEXT_MAP, REFERENCE_CHILD_OF, Tracer } from 'opentracing';
import type { Reference, SpanContext, SpanOptions } from 'opentracing';
// The encoder side alone, never span-line/index: that also brings the decoder and its ajv schema,
// which a bundler of this package (the `/function` entry) would otherwise have to carry.
import { encodeSpanLine, encodeSpanLines, type LineOptions } from '../span-line/encode';
import { LIMITS, levelRequired, lineSourceFromEnvironment } from '../span-line/format';
import { isSpanId, isTraceId } from '../span-line/ids';
import { nowMicros } from './clock';
import { newId } from './ids';
import { LogSpan } from './log-span';
import { LogSpanContext, NO_BAGGAGE } from './log-span-context';
import type { InvocationScopes } from './invocation-scope';
import { createPropagation, extractContext, propagationFromEnvironment, type Propagation, type PropagatorName } from './propagation';
import { writeStdoutLine } from '../common/sync-stdout';
import { DEFAULT_MASK_WORDS, KeyMasker, maskerFromEnvironment } from './secret-mask';

export interface LogTracerOptions {
  /** The LightStep component (service) the spans are reported under, e.g. 'lambda_function'. */
  componentName: string;
  /** Where finished span lines go (no trailing newline). Default: stdout, synchronously. */
  emit?: (line: string) => void;
  /**
   * The formats inject writes, in order. Default: OTEL_PROPAGATORS (read once per process; a bad
   * value throws here, at cold start), else ottrace. Extract understands every format anyway.
   */
  propagators?: readonly PropagatorName[];
  /**
   * Words that make a tag, log-field or baggage key secret (its value is written as "[masked]"),
   * on top of DEFAULT_MASK_WORDS. Default: TRACE_MASK_KEYS (read once per process).
   */
  maskKeys?: readonly string[];
  /**
   * How lines are written. Default, from the runtime's variables (read once per tracer): level and
   * timestamp where the log-level filter needs them, and the function name and version left out
   * where the log group and stream carry them.
   */
  lineOptions?: LineOptions;
}

/**
 * An OpenTracing tracer that writes finished, sampled spans as span lines (see src/span-line)
 * instead of reporting over the network. Inside an invocation scope (traced()) it holds the
 * finished spans and writes them as one line when the last open span finishes (the invocation
 * span, or the timeout guard finishing what is still open), when the scope ends, when
 * LIMITS.maxBufferedSpans are held, or when the process exits. Outside a scope each span is a line
 * of its own at finish. It implements the base class's protected hooks, so opentracing.Tracer
 * keeps doing the argument handling.
 */
export class LogTracer extends Tracer implements InvocationScopes {
  readonly componentName: string;
  private readonly emit: (line: string) => void;
  private readonly propagation: Propagation;
  private readonly masker: KeyMasker;
  /** Spans started while an invocation scope is open and not finished yet (timeout guard). */
  private openSpans: Set<LogSpan> | null = null;
  /** Finished spans of the open scope not written yet. */
  private held: LogSpan[] = [];
  private readonly lineOptions: LineOptions;

  constructor(options: LogTracerOptions) {
    super();
    if (typeof options?.componentName !== 'string' || options.componentName === '') {
      throw new Error('LogTracer: componentName must be a non-empty string');
    }
    this.componentName = options.componentName;
    this.emit = options.emit ?? writeStdoutLine;
    this.propagation = options.propagators === undefined ? propagationFromEnvironment() : createPropagation(options.propagators);
    this.masker = options.maskKeys === undefined ? maskerFromEnvironment() : new KeyMasker([...DEFAULT_MASK_WORDS, ...options.maskKeys]);
    this.lineOptions = options.lineOptions ?? { levelled: levelRequired(process.env), source: lineSourceFromEnvironment(process.env) };
  }

  /** The formats this tracer injects. */
  get propagators(): readonly PropagatorName[] {
    return this.propagation.propagators;
  }

  /**
   * Starts recording which spans are still open. Until endInvocationScope, every span this
   * tracer starts is in the returned set until it finishes. One scope at a time: Lambda runs
   * one invocation per process.
   */
  beginInvocationScope(): ReadonlySet<LogSpan> {
    this.openSpans = new Set();
    return this.openSpans;
  }

  endInvocationScope(scope: ReadonlySet<LogSpan>): void {
    if (this.openSpans === scope) this.openSpans = null;
    this.writeHeld();
  }

  /** Writes the held spans now (also called when the process exits with spans held). */
  writeHeld(): void {
    if (this.held.length === 0) return;
    const spans = this.held;
    this.held = [];
    tracersHolding.delete(this);
    try {
      for (const line of encodeSpanLines(spans, this.lineOptions)) this.emit(line);
    } catch {
      // A failed write (closed stdout, a throwing custom emit) must not fail the user's handler.
    }
  }

  protected override _startSpan(name: string, fields: SpanOptions): LogSpan {
    const parent = parentContext(fields.references);
    const context =
      parent === null
        ? new LogSpanContext(this.propagation.newTraceId(), newId(), true)
        : new LogSpanContext(parent.traceId, newId(), parent.sampled, parent.childBaggage(), parent.traceState);
    const startMicros = typeof fields.startTime === 'number' ? fields.startTime * 1000 : nowMicros();
    const span = new LogSpan(this, context, String(name), parent?.spanId, startMicros);
    if (fields.tags !== undefined) span.addTags(fields.tags);
    if (this.openSpans !== null) this.openSpans.add(span);
    return span;
  }

  protected override _inject(spanContext: SpanContext, format: string, carrier: unknown): void {
    if (format !== FORMAT_HTTP_HEADERS && format !== FORMAT_TEXT_MAP) return; // FORMAT_BINARY: unsupported
    if (spanContext instanceof LogSpanContext) this.propagation.inject(spanContext, carrier);
  }

  protected override _extract(format: string, carrier: unknown): LogSpanContext | null {
    if (format !== FORMAT_HTTP_HEADERS && format !== FORMAT_TEXT_MAP) return null; // FORMAT_BINARY: unsupported
    return extractContext(carrier, this.propagation.newTraceId);
  }

  /**
   * Called once by LogSpan.finish(). Telemetry never throws into the caller's code. Secrets are
   * masked here, at finish, rather than at each setTag/log: once per key of the final record (a
   * tag set twice is looked at once), and an unsampled span, which writes nothing, pays nothing.
   */
  spanFinished(span: LogSpan): void {
    const open = this.openSpans;
    if (open !== null) open.delete(span);
    if (!span.sampled) {
      if (open !== null && open.size === 0) this.writeHeld();
      return;
    }
    try {
      span.maskSecrets(this.masker);
      if (open === null) {
        this.emit(encodeSpanLine(span, this.lineOptions));
        return;
      }
      if (this.held.length === 0) holdUntilExit(this);
      this.held.push(span);
    } catch {
      // A failed write (closed stdout, a throwing custom emit) must not fail the user's handler.
    }
    if (open !== null && (open.size === 0 || this.held.length >= LIMITS.maxBufferedSpans)) this.writeHeld();
  }
}

/** Tracers holding spans: a process that exits mid-invocation (process.exit, an uncaught exception) still writes them. */
const tracersHolding = new Set<LogTracer>();
let exitHookInstalled = false;

function holdUntilExit(tracer: LogTracer): void {
  tracersHolding.add(tracer);
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const holding of [...tracersHolding]) holding.writeHeld();
  });
}

/** The first CHILD_OF reference wins, else the first FOLLOWS_FROM; null makes a new root trace. */
function parentContext(references: Reference[] | undefined): LogSpanContext | null {
  if (references === undefined || references.length === 0) return null;
  let chosen: SpanContext | undefined;
  for (const reference of references) {
    const context = reference.referencedContext();
    if (context === null || context === undefined) continue;
    if (reference.type() === REFERENCE_CHILD_OF) {
      chosen = context;
      break;
    }
    chosen ??= context;
  }
  if (chosen === undefined) return null;
  return chosen instanceof LogSpanContext ? chosen : foreignParent(chosen);
}

/** Another tracer's context (e.g. lightstep-tracer's): usable when its ids are in our hex form and not zero. */
function foreignParent(context: SpanContext): LogSpanContext | null {
  try {
    const traceId = String(context.toTraceId()).toLowerCase();
    const spanId = String(context.toSpanId()).toLowerCase();
    if (!isTraceId(traceId) || !isSpanId(spanId)) return null;
    const sampled = (context as { _sampled?: unknown })._sampled !== false;
    return new LogSpanContext(traceId, spanId, sampled, foreignBaggage(context));
  } catch {
    return null;
  }
}

function foreignBaggage(context: SpanContext): Record<string, string> {
  const each = (context as { forEachBaggageItem?: unknown }).forEachBaggageItem;
  if (typeof each !== 'function') return NO_BAGGAGE;
  const baggage: Record<string, string> = {};
  each.call(context, (key: string, value: string) => {
    baggage[key] = String(value);
  });
  return baggage;
}
