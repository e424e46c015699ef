import type { Context } from 'aws-lambda';
import { FORMAT_HTTP_HEADERS, Span } from 'opentracing';
import type { SpanContext, Tracer } from 'opentracing';
import { LIMITS } from '../span-line/format';
import { reanchorClock } from './clock';
import { readHttpEvent } from './http-event';
import { hasInvocationScopes } from './invocation-scope';
import { LogTracer } from './log-tracer';
import { extractContext, injectOtTrace } from './propagation';

/** A handler that also receives its invocation span, to start children: `tracer.startSpan(name, { childOf: span })`. */
export type TracedHandler<E, R> = (event: E, context: Context, span: Span) => Promise<R> | R;

export interface TracedOptions<R> {
  /** Default: one LogTracer per process, component from COMPONENT_NAME (default lambda_function). */
  tracer?: Tracer;
  /** Operation name of the invocation span. Default 'lambda-execution'. */
  operationName?: string;
  /** Finish open spans, and stop waiting for afterInvocation, this long before Lambda's deadline. Default 50 ms. */
  timeoutMarginMs?: number;
  /**
   * When set, a throw becomes this response (the span still gets error=true). When not set,
   * the error is rethrown unchanged: the wrapper never changes what the handler means.
   */
  errorResponse?: (error: unknown) => R;
  /**
   * Awaited after the span finishes, e.g. a network tracer's flush, but never past the deadline
   * minus the margin: then the response is returned anyway and a telemetry error reported. Its
   * failure is reported, not thrown.
   */
  afterInvocation?: () => Promise<void> | void;
  /** Where telemetry failures go. Default: one line on stderr. */
  onTelemetryError?: (error: unknown) => void;
}

export const DEFAULT_OPERATION_NAME = 'lambda-execution';
export const DEFAULT_TIMEOUT_MARGIN_MS = 50;

// Process-wide: a warm container runs the handler again with this already false.
let coldStart = true;
let defaultTracer: Tracer | undefined;

/** Wraps any API-Gateway-style (or other) Lambda handler in a server span joined to the caller's trace. */
export function traced<E, R>(handler: TracedHandler<E, R>, options: TracedOptions<R> = {}): (event: E, context: Context) => Promise<R> {
  const operationName = options.operationName ?? DEFAULT_OPERATION_NAME;
  const marginMs = options.timeoutMarginMs ?? DEFAULT_TIMEOUT_MARGIN_MS;
  const reportTelemetryError = options.onTelemetryError ?? writeTelemetryErrorToStderr;
  // Read once per wrapped handler (module load), never per invocation.
  const tracer = options.tracer ?? (defaultTracer ??= new LogTracer({ componentName: process.env.COMPONENT_NAME || 'lambda_function' }));

  return async function tracedHandler(event: E, context: Context): Promise<R> {
    reanchorClock(); // a warm container's monotonic clock drifts from wall time between invocations
    const scope = hasInvocationScopes(tracer) ? tracer.beginInvocationScope() : undefined;
    const span = startInvocationSpan(tracer, operationName, event, context, reportTelemetryError);
    const guard = armTimeoutGuard(context, marginMs, () => {
      finishOnTimeout(span, scope, marginMs);
      if (options.afterInvocation) void settleTelemetry(options.afterInvocation, reportTelemetryError);
    });
    let result: R;
    try {
      result = await handler(event, context, span);
    } catch (error) {
      recordError(span, error);
      try {
        if (options.errorResponse === undefined) throw error;
        result = options.errorResponse(error);
      } catch (rethrown) {
        await endInvocation(span, guard, scope, tracer, context, marginMs, options.afterInvocation, reportTelemetryError);
        throw rethrown;
      }
    }
    tagStatusCode(span, result);
    await endInvocation(span, guard, scope, tracer, context, marginMs, options.afterInvocation, reportTelemetryError);
    return result;
  };
}

function startInvocationSpan(
  tracer: Tracer,
  operationName: string,
  event: unknown,
  context: Context | undefined,
  reportTelemetryError: (error: unknown) => void,
): Span {
  try {
    const request = readHttpEvent(event);
    const parent = extractCallerContext(tracer, request.headers, request.multiValueHeaders);
    const tags: Record<string, string | boolean> = { 'span.kind': 'server', 'faas.coldstart': coldStart };
    coldStart = false;
    if (typeof context?.awsRequestId === 'string') tags['aws.request_id'] = context.awsRequestId;
    if (typeof context?.functionName === 'string') tags['faas.name'] = context.functionName;
    if (typeof context?.functionVersion === 'string') tags['faas.version'] = context.functionVersion;
    if (request.method !== undefined) tags['http.method'] = request.method;
    if (request.path !== undefined) tags['http.path'] = request.path;
    return tracer.startSpan(operationName, parent === null ? { tags } : { childOf: parent, tags });
  } catch (error) {
    reportTelemetryError(error);
    return new Span(); // OpenTracing's no-op span: the handler still runs
  }
}

/**
 * The caller's context, from `headers`, else `multiValueHeaders` (REST v1 may carry it only
 * there). A LogTracer's own extract reads every format it understands (W3C, B3, ot-tracer) and
 * validates the ids. Another tracer (lightstep-tracer in direct mode) gets our validated reading
 * re-written as clean, lowercase LightStep headers, sampled flag included: lightstep-tracer takes
 * any string as an id, and a non-hex id makes every later report of that tracer fail to
 * serialize, so a bad header from one caller would silence direct mode.
 */
function extractCallerContext(tracer: Tracer, headers: unknown, multiValueHeaders: unknown): SpanContext | null {
  if (tracer instanceof LogTracer) return tracer.extract(FORMAT_HTTP_HEADERS, headers) ?? tracer.extract(FORMAT_HTTP_HEADERS, multiValueHeaders);
  const caller = extractContext(headers) ?? extractContext(multiValueHeaders);
  if (caller === null) return null;
  const clean: Record<string, string> = {};
  injectOtTrace(caller, clean);
  return tracer.extract(FORMAT_HTTP_HEADERS, clean);
}

function recordError(span: Span, error: unknown): void {
  try {
    const fields: Record<string, unknown> = { event: 'error', message: errorMessage(error), 'error.kind': errorKind(error) };
    if (error instanceof Error && typeof error.stack === 'string') fields.stack = boundedStack(error.stack);
    span.setTag('error', true).log(fields);
  } catch {
    // never let telemetry replace the user's error
  }
}

function tagStatusCode(span: Span, result: unknown): void {
  const status = (result as { statusCode?: unknown } | null | undefined)?.statusCode;
  if (typeof status === 'number') span.setTag('http.status_code', status);
}

async function endInvocation(
  span: Span,
  guard: NodeJS.Timeout | undefined,
  scope: ReadonlySet<Span> | undefined,
  tracer: Tracer,
  context: Context | undefined,
  marginMs: number,
  afterInvocation: (() => Promise<void> | void) | undefined,
  reportTelemetryError: (error: unknown) => void,
): Promise<void> {
  if (guard !== undefined) clearTimeout(guard);
  try {
    span.finish(); // LogTracer: the line is on stdout when this returns
  } catch (error) {
    reportTelemetryError(error);
  }
  if (scope !== undefined && hasInvocationScopes(tracer)) tracer.endInvocationScope(scope);
  if (afterInvocation !== undefined) await settleTelemetryBeforeDeadline(afterInvocation, context, marginMs, reportTelemetryError);
}

/**
 * afterInvocation, awaited at most until `marginMs` before Lambda's deadline. A flush to a
 * collector that accepts and never answers must not turn into a timed-out invocation (the caller
 * would get a 502 instead of the response the handler already made). Past the bound the step
 * keeps running in the background; a later failure of it is still reported.
 */
function settleTelemetryBeforeDeadline(
  step: () => Promise<void> | void,
  context: Context | undefined,
  marginMs: number,
  reportTelemetryError: (error: unknown) => void,
): Promise<void> {
  const settled = settleTelemetry(step, reportTelemetryError);
  if (typeof context?.getRemainingTimeInMillis !== 'function') return settled; // not a real Lambda context
  const budgetMs = Math.max(0, context.getRemainingTimeInMillis() - marginMs);
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      reportTelemetryError(
        new Error(`afterInvocation did not finish within ${budgetMs} ms (${marginMs} ms before the deadline); the response is returned without it`),
      );
      resolve();
    }, budgetMs);
  });
  return Promise.race([settled, expired]).finally(() => clearTimeout(timer));
}

function armTimeoutGuard(context: Context | undefined, marginMs: number, onTimeout: () => void): NodeJS.Timeout | undefined {
  if (typeof context?.getRemainingTimeInMillis !== 'function') return undefined; // not a real Lambda context
  const delay = context.getRemainingTimeInMillis() - marginMs;
  if (!(delay > 0)) return undefined; // less time left than the margin: nothing useful to guard
  const timer = setTimeout(onTimeout, delay);
  timer.unref(); // never keeps a local process alive
  return timer;
}

/**
 * Lambda is about to kill the invocation: finish every span still open (innermost first) with
 * error=true and a timeout log, so the trace shows where it hung. Spans of a tracer without
 * invocation scopes (e.g. lightstep-tracer) are not tracked; the invocation span always is.
 */
function finishOnTimeout(span: Span, scope: ReadonlySet<Span> | undefined, marginMs: number): void {
  try {
    const open: Span[] = scope !== undefined ? Array.from(scope).reverse() : [];
    if (!open.includes(span)) open.push(span);
    const fields = {
      event: 'timeout',
      message: `invocation about to time out (${marginMs} ms before the deadline); span still open`,
    };
    for (const openSpan of open) openSpan.setTag('error', true).log(fields).finish();
  } catch {
    // telemetry never breaks the invocation
  }
}

async function settleTelemetry(step: () => Promise<void> | void, reportTelemetryError: (error: unknown) => void): Promise<void> {
  try {
    await step();
  } catch (error) {
    reportTelemetryError(error);
  }
}

/**
 * Whole stack lines up to the span line's value cap: the first frames say where it broke, and
 * staying under the cap keeps a routine error from marking the line truncated (`trunc`).
 */
function boundedStack(stack: string): string {
  if (stack.length <= LIMITS.maxValueChars) return stack;
  const lines = stack.split('\n');
  let kept = lines[0].slice(0, LIMITS.maxValueChars);
  for (let i = 1; i < lines.length && kept.length + 1 + lines[i].length <= LIMITS.maxValueChars; i++) kept += '\n' + lines[i];
  return kept;
}

function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return typeof error === 'string' ? error : String(error);
}

function errorKind(error: unknown): string {
  if (error instanceof Error) return error.name || error.constructor?.name || 'Error';
  return error === null ? 'null' : typeof error;
}

function writeTelemetryErrorToStderr(error: unknown): void {
  try {
    process.stderr.write(`traced: telemetry error: ${errorMessage(error)}\n`);
  } catch {
    // stderr gone: nothing left to tell
  }
}
