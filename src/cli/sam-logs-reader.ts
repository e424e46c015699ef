/**
 * Puts `sam logs --tail` output back into log events. sam prints each event as
 * `<log stream> <timestamp> <message>`, and re-indents a JSON message over several lines; the
 * lines that do not start a new event continue the previous one.
 */
const EVENT_START = /^(\S+) (\d{4}-\d{2}-\d{2}T[\d:.]+Z?) ?(.*)$/;

export interface SamLogEvent {
  logStreamName: string;
  timestamp: string;
  /** The message as the function wrote it: JSON re-compacted to one line. */
  message: string;
}

export class SamLogsReader {
  private current: { logStreamName: string; timestamp: string; lines: string[] } | undefined;

  /** Feeds one output line; returns the event it completed, if any. */
  push(line: string): SamLogEvent | undefined {
    const start = EVENT_START.exec(line);
    if (!start) {
      if (this.current) this.current.lines.push(line);
      return undefined;
    }
    const completed = this.end();
    this.current = { logStreamName: start[1], timestamp: start[2], lines: [start[3]] };
    return completed;
  }

  /** Completes the event in progress (at the end of the input). */
  end(): SamLogEvent | undefined {
    const event = this.current;
    this.current = undefined;
    if (!event) return undefined;
    return { logStreamName: event.logStreamName, timestamp: event.timestamp, message: compact(event.lines) };
  }
}

function compact(lines: string[]): string {
  const text = lines.join('\n');
  if (lines.length === 1 || text.charCodeAt(0) !== 123) return text;
  try {
    // Key order and values survive a parse/stringify round trip, so a span line comes back byte for byte.
    return JSON.stringify(JSON.parse(text));
  } catch {
    return text;
  }
}
