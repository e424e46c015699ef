import { encodeSpanLine, type SpanToEncode } from '../../src/span-line';

/** A span line as the function's LogTracer writes it (the project's own encoder). */
export function spanLine(overrides: Partial<SpanToEncode> & { spanId: string }): string {
  return encodeSpanLine({
    traceId: '4bf92f3577b34da6',
    operation: 'lambda-execution',
    component: 'lambda_function',
    startMicros: 1764045116123456,
    durationMicros: 2500,
    tags: {},
    logs: [],
    baggage: {},
    ...(Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined)) as typeof overrides),
  });
}

/** Python's json.dumps(obj, indent=n): sam logs (indent 2) and aws logs tail --format json (indent 4) print JSON so. */
export function pythonIndented(line: string, indent: number): string[] {
  const text = JSON.stringify(JSON.parse(line), null, indent);
  // ensure_ascii (Python's default): every non-ASCII character as a \u escape.
  return text.replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).split('\n');
}

/** `sam logs` output of one event: `<stream> <timestamp> <message>`, a JSON message re-indented. */
export function samEvent(stream: string, timestamp: string, message: string): string[] {
  const lines = message.startsWith('{') ? pythonIndented(message, 2) : [message];
  return [`${stream} ${timestamp} ${lines[0]}`, ...lines.slice(1)];
}
