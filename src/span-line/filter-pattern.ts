import { SPAN_LINE_FILTER_PATTERN } from './format';

/**
 * Applies SPAN_LINE_FILTER_PATTERN to a log message the way CloudWatch Logs does for this one
 * pattern shape (`{ $.<key> >= <number> }`): the message must be a JSON object whose key holds a
 * number at least that large. The local stack uses it in place of the real subscription filter.
 */
const parsed = /^\{ \$\.([A-Za-z_][A-Za-z0-9_]*) >= (\d+) \}$/.exec(SPAN_LINE_FILTER_PATTERN);
if (!parsed) throw new Error(`unsupported filter pattern shape: ${SPAN_LINE_FILTER_PATTERN}`);
const [, FIELD, MINIMUM] = parsed as unknown as [string, string, string];
const minimum = Number(MINIMUM);

export function matchesSpanLineFilter(message: string): boolean {
  if (message.charCodeAt(0) !== 123) return false; // CloudWatch JSON patterns only match JSON objects
  let value: unknown;
  try {
    value = (JSON.parse(message) as Record<string, unknown>)[FIELD];
  } catch {
    return false;
  }
  return typeof value === 'number' && value >= minimum;
}
