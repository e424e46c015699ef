import type { FinishedSpan } from '../span-line';

/**
 * One human line per span, in the spirit of pino-pretty: time, component, operation, duration,
 * ids, then the error flag and tags.
 *   2026-11-25T04:31:56.123Z lambda_function lambda-execution 1.53ms trace=… span=… parent=… ERROR {"faas.coldstart":true}
 */
export function formatSpan(span: FinishedSpan): string {
  const time = new Date(Math.floor(span.startMicros / 1000)).toISOString();
  const ms = (span.durationMicros / 1000).toFixed(2);
  const parent = span.parentSpanId ? ` parent=${span.parentSpanId}` : ' (root)';
  const error = span.tags.error === true || span.tags.error === 'true' ? ' ERROR' : '';
  const tags = Object.keys(span.tags).length > 0 ? ` ${JSON.stringify(span.tags)}` : '';
  return `${time} ${span.component} ${span.operation} ${ms}ms trace=${span.traceId} span=${span.spanId}${parent}${error}${tags}`;
}
