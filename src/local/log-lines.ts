import { StringDecoder } from 'node:string_decoder';
import type { CloudWatchLogsLogEvent } from 'aws-lambda';

/** CloudWatch Logs' event size limit (256 KB) minus its 26-byte per-event overhead. */
export const MAX_EVENT_MESSAGE_BYTES = 256 * 1024 - 26;

/**
 * Splits a byte stream into lines, keeping a partial last line until its newline arrives.
 * Each complete line is handed on with its newline, as Lambda's log events keep it.
 */
export class LineSplitter {
  private pending = '';
  // A pipe chunk can end inside a multi-byte character: the decoder keeps its first bytes for the
  // next chunk (chunk.toString() would turn both halves into U+FFFD).
  private readonly decoder = new StringDecoder('utf8');

  constructor(private readonly onLine: (line: string) => void) {}

  push(chunk: Buffer | string): void {
    const text = this.pending + (typeof chunk === 'string' ? chunk : this.decoder.write(chunk));
    let start = 0;
    for (let nl = text.indexOf('\n', start); nl !== -1; nl = text.indexOf('\n', start)) {
      this.onLine(text.slice(start, nl + 1));
      start = nl + 1;
    }
    this.pending = text.slice(start);
  }

  /** The stream ended: a last line without a newline is still a log event. */
  end(): void {
    this.pending += this.decoder.end();
    if (this.pending !== '') this.onLine(this.pending);
    this.pending = '';
  }
}

let sequence = 0;

/**
 * One stdout line → a CloudWatch log event. Ids are 56-digit strings like CloudWatch's
 * (timestamp, then a process-wide sequence): unique and ordered.
 */
export function toLogEvent(line: string, timestamp = Date.now()): CloudWatchLogsLogEvent {
  sequence = (sequence + 1) % 1e15;
  const id = String(timestamp).padStart(20, '0') + String(sequence).padStart(36, '0');
  return { id, timestamp, message: capMessage(line) };
}

/** CloudWatch truncates an oversized event; the span-line decoder counts such lines as truncated. */
function capMessage(line: string): string {
  if (Buffer.byteLength(line, 'utf8') <= MAX_EVENT_MESSAGE_BYTES) return line;
  return Buffer.from(line, 'utf8').subarray(0, MAX_EVENT_MESSAGE_BYTES).toString('utf8');
}
