import type { Palette } from './colors';
import type { TraceGroup } from './trace-assembler';
import { isError, traceRows, type TreeRow } from './trace-tree';

export interface RenderOptions {
  palette: Palette;
  /** Each span's tags after its markers. */
  tags: boolean;
  /** Characters of the duration bar. */
  barWidth?: number;
}

const MAX_NAME = 60;
const MAX_COMPONENT = 32;
const MAX_TAG_VALUE = 60;

/**
 * A trace as people read it: a header, then one line per span, indented under its parent:
 *
 *   trace 4bf92f3577b34da6 · 2026-11-25T04:31:56.123Z · 3 spans · 2.50 ms · 1 error
 *     lambda-execution  lambda_function   2.50 ms  [████████████████████]  ↑ parent a2fb4a1d1a96d312 not in these logs
 *     ├─ compute        lambda_function   1.20 ms  [···██████···········]  ERROR
 *     └─ db.query       lambda_function    300 µs  [··········██········]  truncated
 *
 * The bar places each span within the trace's time window.
 */
export function renderTrace(group: TraceGroup, options: RenderOptions): string {
  const c = options.palette;
  const rows = traceRows(group);
  const start = Math.min(...group.spans.map((s) => s.span.startMicros));
  const end = Math.max(...group.spans.map((s) => s.span.startMicros + s.span.durationMicros));
  const errors = group.spans.filter(isError).length;
  const head = [
    `${c.bold('trace')} ${c.yellow(group.traceId)}`,
    new Date(Math.floor(start / 1000)).toISOString(),
    group.late ? c.yellow(`late: ${count(group.spans.length, 'more span')} after the trace was shown`) : count(group.spans.length, 'span'),
    duration(end - start),
  ];
  if (errors > 0) head.push(c.red(count(errors, 'error')));
  const nameWidth = Math.min(MAX_NAME, Math.max(...rows.map((r) => r.prefix.length + r.tailSpan.span.operation.length)));
  const componentWidth = Math.min(MAX_COMPONENT, Math.max(...rows.map((r) => r.tailSpan.span.component.length)));
  const lines = [head.join(' · ')];
  for (const row of rows) {
    const { span } = row.tailSpan;
    const error = isError(row.tailSpan);
    const name = fit(span.operation, nameWidth - row.prefix.length);
    const cells = [
      c.dim(row.prefix) + c.bold(name) + ' '.repeat(Math.max(0, nameWidth - row.prefix.length - name.length)),
      c.cyan(fit(span.component, componentWidth).padEnd(componentWidth)),
      duration(span.durationMicros).padStart(9),
      bar(span.startMicros - start, span.durationMicros, end - start, options.barWidth ?? 24, error ? c.red : c.green, c.dim),
    ];
    const markers = rowMarkers(row, error, c);
    if (options.tags && Object.keys(span.tags).length > 0) markers.push(c.dim(tagText(span.tags)));
    lines.push(`  ${cells.join('  ')}${markers.length > 0 ? '  ' + markers.join('  ') : ''}`);
  }
  return lines.join('\n') + '\n\n';
}

function rowMarkers(row: TreeRow, error: boolean, c: Palette): string[] {
  const markers: string[] = [];
  if (error) markers.push(c.bold(c.red('ERROR')));
  if (row.tailSpan.truncated) markers.push(c.yellow('truncated'));
  if (row.late) markers.push(c.yellow('late'));
  if (row.root) markers.push(c.dim('root'));
  if (row.missingParent) {
    const { spanId, shownAs } = row.missingParent;
    markers.push(c.magenta(shownAs ? `↑ parent ${shownAs} ${spanId} shown above` : `↑ parent ${spanId} not in these logs`));
  }
  return markers;
}

/** Where the span sits in the trace's window, e.g. `[···██████·····]`. */
export function bar(offsetMicros: number, durationMicros: number, windowMicros: number, width: number, fill: (s: string) => string, empty: (s: string) => string): string {
  const scale = windowMicros > 0 ? width / windowMicros : 0;
  const from = Math.min(width - 1, Math.floor(offsetMicros * scale));
  const length = windowMicros > 0 ? Math.max(1, Math.min(width - from, Math.round(durationMicros * scale))) : width;
  return '[' + empty('·'.repeat(from)) + fill('█'.repeat(length)) + empty('·'.repeat(width - from - length)) + ']';
}

export function duration(micros: number): string {
  if (micros < 1000) return `${micros} µs`;
  if (micros < 1_000_000) return `${(micros / 1000).toFixed(2)} ms`;
  return `${(micros / 1_000_000).toFixed(2)} s`;
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

function fit(text: string, width: number): string {
  return text.length <= width ? text : text.slice(0, Math.max(1, width - 1)) + '…';
}

function tagText(tags: Record<string, string | number | boolean>): string {
  return Object.entries(tags)
    .map(([k, v]) => {
      const text = typeof v === 'string' ? fit(v, MAX_TAG_VALUE) : v;
      return `${k}=${typeof text === 'string' && !/[\s"=]/.test(text) && text !== '' ? text : JSON.stringify(text)}`;
    })
    .join(' ');
}

/**
 * `--json`: one JSON object per trace on one line, when the trace is shown, spans in tree order:
 * `{"traceId","late","spans":[{…the span, "truncated","depth","root","parentMissing"}]}`.
 */
export function traceJson(group: TraceGroup): string {
  const spans = traceRows(group).map((row) => ({
    ...row.tailSpan.span,
    truncated: row.tailSpan.truncated,
    depth: row.depth,
    root: row.root,
    parentMissing: row.missingParent !== undefined,
  }));
  return JSON.stringify({ traceId: group.traceId, late: group.late, spans }) + '\n';
}
