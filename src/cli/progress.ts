import type { Writable } from './cli-io';

export interface ProgressState {
  /** Log events (or dead-letter lines) read so far. */
  read: number;
  /** Spans forwarded (or, in a dry run, decoded) so far. */
  spans: number;
  /** Share of the work done, 0..1, when it is known. */
  fraction?: number;
}

export interface ProgressOptions {
  /** Only on a terminal: a pipe or a file gets the final summary alone. */
  enabled: boolean;
  /** What `read` counts, e.g. "events read". */
  readLabel: string;
  /** What `spans` counts, e.g. "spans forwarded". */
  spansLabel: string;
  now?: () => number;
  /** At most one redraw per interval. */
  intervalMs?: number;
}

/**
 * One status line on stderr, redrawn in place (`\r` and erase-line), for long replays:
 *   12,345 events read · 12,000 spans forwarded · 4,210 spans/s · 63% · ETA 12s
 */
export class ProgressLine {
  private readonly now: () => number;
  private readonly startedAt: number;
  private lastDraw = -Infinity;
  private drawn = false;

  constructor(
    private readonly stream: Writable,
    private readonly options: ProgressOptions,
  ) {
    this.now = options.now ?? Date.now;
    this.startedAt = this.now();
  }

  update(state: ProgressState): void {
    if (!this.options.enabled) return;
    const now = this.now();
    if (now - this.lastDraw < (this.options.intervalMs ?? 200)) return;
    this.lastDraw = now;
    this.drawn = true;
    this.stream.write(`\r\x1b[K${this.text(state, now)}`);
  }

  /** Erases the line, so the summary that follows starts clean. */
  done(): void {
    if (this.drawn) this.stream.write('\r\x1b[K');
    this.drawn = false;
  }

  text(state: ProgressState, now = this.now()): string {
    const seconds = (now - this.startedAt) / 1000;
    const parts = [`${state.read.toLocaleString('en-US')} ${this.options.readLabel}`, `${state.spans.toLocaleString('en-US')} ${this.options.spansLabel}`];
    if (seconds > 0) parts.push(`${Math.round(state.spans / seconds).toLocaleString('en-US')} spans/s`);
    if (state.fraction !== undefined) {
      const fraction = Math.min(1, Math.max(0, state.fraction));
      parts.push(`${Math.floor(fraction * 100)}%`);
      if (fraction > 0 && fraction < 1 && seconds > 0) parts.push(`ETA ${eta((seconds * (1 - fraction)) / fraction)}`);
    }
    return parts.join(' · ');
  }
}

function eta(seconds: number): string {
  if (seconds < 60) return `${Math.ceil(seconds)}s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m${String(Math.floor(seconds % 60)).padStart(2, '0')}s`;
  return `${Math.floor(seconds / 3600)}h${String(Math.floor((seconds % 3600) / 60)).padStart(2, '0')}m`;
}
