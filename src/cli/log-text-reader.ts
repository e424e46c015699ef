/**
 * Puts log messages back together from the text people pipe into `tail`:
 *
 * - `sam logs [--tail]`:              `<log stream> <timestamp> <message>`, a JSON message
 *                                     re-indented over several lines (2 spaces);
 * - `aws logs tail [--follow]`:       `<timestamp+offset> <log stream> <message>` (the default
 *                                     `detailed` format), `<timestamp> <message>` (`short`), or
 *                                     `<timestamp+offset> <log stream>` then the JSON re-indented
 *                                     on the following lines (`json`);
 * - `sam logs --output json`:         one JSON object per event, its text in `message`;
 * - raw messages:                     span lines straight from a file, `grep`, or a function's stdout.
 *
 * Colour codes (sam and aws colour stream names and timestamps on a terminal) are ignored.
 */
const ANSI = /\x1b\[[0-9;]*[A-Za-z]/g;
const ISO = String.raw`\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?`;
const OFFSET = String.raw`(?:Z|[+-]\d{2}:?\d{2})`;
/** sam: stream first, then a timestamp without offset (Python's isoformat of a naive UTC time). */
const SAM_EVENT = new RegExp(`^(\\S+) ${ISO}${OFFSET}? ?(.*)$`);
/** aws logs tail, detailed and json formats: a timestamp with offset, then the stream. */
const AWS_DETAILED_EVENT = new RegExp(`^${ISO}${OFFSET} (\\S+) ?(.*)$`);
/** aws logs tail --format short: a timestamp to the second, then the message. */
const AWS_SHORT_EVENT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2} (.*)$/;

/** A re-indented message larger than this is given up on (a span line is at most LIMITS.maxLineChars compact). */
const MAX_OPEN_CHARS = 1 << 20;

export class LogTextReader {
  /** A JSON message spread over lines, still being read (or, empty, awaited after a json-format header). */
  private open: string[] | undefined;
  private openChars = 0;

  /** Feeds one line of text; returns the messages it completed, in order. */
  push(rawLine: string): string[] {
    const line = rawLine.replace(ANSI, '').replace(/\r$/, '');
    const out: string[] = [];
    const header = headerMessage(line);
    if (header === undefined && this.open !== undefined && this.continues(line)) {
      this.open.push(line);
      this.openChars += line.length;
      if ((/^[}\]]/.test(line) && isJson(this.open.join('\n'))) || this.openChars > MAX_OPEN_CHARS) this.close(out);
      return out;
    }
    this.close(out);
    const message = header ?? line;
    if (header === undefined && message.trim() === '') return out; // blank separator lines
    this.start(message, header !== undefined, out);
    return out;
  }

  /** At the end of the input: the message still open, if any. */
  end(): string[] {
    const out: string[] = [];
    this.close(out);
    return out;
  }

  private continues(line: string): boolean {
    // Re-indented JSON continues with indented lines and closing brackets; anything else starts anew
    // (so a span line cut short does not swallow the lines after it).
    if (this.open!.length === 0 || this.open!.every((l) => l.trim() === '')) return line.startsWith('{') || line.trim() === '';
    return /^[\s}\]]/.test(line);
  }

  private start(message: string, fromHeader: boolean, out: string[]): void {
    const trimmed = message.trim();
    if (fromHeader && trimmed === '') {
      this.open = []; // `aws logs tail --format json`: the JSON starts on the next line
      this.openChars = 0;
      return;
    }
    if ((trimmed.startsWith('{') || trimmed.startsWith('[')) && !isJson(trimmed)) {
      this.open = [message];
      this.openChars = message.length;
      return;
    }
    out.push(fromHeader ? message : unwrapEventObject(message));
  }

  private close(out: string[]): void {
    const lines = this.open;
    this.open = undefined;
    if (lines === undefined) return;
    const text = lines.join('\n').trim();
    if (text !== '') out.push(compact(text));
  }
}

function headerMessage(line: string): string | undefined {
  const sam = SAM_EVENT.exec(line);
  if (sam) return sam[2];
  const detailed = AWS_DETAILED_EVENT.exec(line);
  if (detailed) return detailed[2];
  const short = AWS_SHORT_EVENT.exec(line);
  return short ? short[1] : undefined;
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** Key order and values survive a parse/stringify round trip, so a span line comes back byte for byte. */
function compact(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text));
  } catch {
    return text; // cut short: the decoder says so
  }
}

/** `sam logs --output json` prints each event as an object; its message is what the function wrote. */
function unwrapEventObject(line: string): string {
  if (!line.startsWith('{"') || line.startsWith('{"level"')) return line;
  try {
    const event = JSON.parse(line) as { message?: unknown; logStreamName?: unknown; eventId?: unknown };
    if (typeof event.message === 'string' && (typeof event.logStreamName === 'string' || typeof event.eventId === 'string')) return event.message;
  } catch {
    // not an event object: the line itself is the message
  }
  return line;
}
