// GET /traces/:traceId: the waterfall. One <details> per span (click reveals tags and logs, no
// script needed), indented by depth, its bar placed on the trace's shared time axis in percent.
import type { StoredLog, StoredSpan, StoredValue } from '../types';
import { isErrorSpan } from '../types';
import { componentColor, formatDuration, formatTimestamp } from './format';
import { html, type SafeHtml } from './html';
import { page } from './layout';
import { waterfallRows, type WaterfallRow } from './tree';

const INDENT_PX = 18;
const TICKS = [0, 0.25, 0.5, 0.75, 1];
/** Beyond this many rows the page gets slow to render; the JSON API still has every span. */
export const MAX_WATERFALL_ROWS = 2000;

interface Axis {
  startMicros: number;
  totalMicros: number;
}

const percent = (n: number) => `${(Math.min(Math.max(n, 0), 1) * 100).toFixed(3)}%`;

function value(v: StoredValue): SafeHtml {
  return html`<span class="v-${typeof v}">${typeof v === 'string' ? v : JSON.stringify(v)}</span>`;
}

function keyValues(record: Record<string, StoredValue>, sorted = true): SafeHtml {
  const entries = Object.entries(record);
  if (sorted) entries.sort(([a], [b]) => a.localeCompare(b));
  if (entries.length === 0) return html`<p class="none">none</p>`;
  return html`<table class="kv">${entries.map(([k, v]) => html`<tr><td class="k">${k}</td><td>${value(v)}</td></tr>`)}</table>`;
}

function logEntry(log: StoredLog, span: StoredSpan): SafeHtml {
  return html`<div class="log"><div class="when">+${formatDuration(log.timestampMicros - span.startMicros)} · ${formatTimestamp(log.timestampMicros)}</div>
${keyValues(log.fields)}</div>`;
}

/** A span of a 128-bit trace that came with only the lower half (a LightStep report). */
const LOWER_HALF_NOTE = ' (the lower 64 bits: LightStep reports carry no more)';

function details(row: WaterfallRow, traceId: string): SafeHtml {
  const s = row.span;
  const about: Record<string, StoredValue> = {
    'trace id': s.traceId.length < traceId.length ? `${s.traceId}${LOWER_HALF_NOTE}` : s.traceId,
    'span id': s.spanId,
    'parent span id': s.parentSpanId ?? '(root)',
    component: s.component || '(none)',
    start: formatTimestamp(s.startMicros),
    duration: formatDuration(s.durationMicros),
  };
  if (row.parentMissing) about['note'] = 'parent span not received';
  return html`<div class="span-details" style="--indent:${row.depth * INDENT_PX}px">
<div><h3>Span</h3>${keyValues(about, false)}<h3 style="margin-top:12px">Tags</h3><div class="tags">${keyValues(s.tags)}</div>${s.resource
    ? html`<h3 style="margin-top:12px">Resource</h3><div class="resource">${keyValues(s.resource)}</div>`
    : ''}</div>
<div><h3>Logs (${s.logs.length})</h3><div class="logs">${s.logs.length === 0
    ? html`<p class="none">none</p>`
    : s.logs.slice().sort((a, b) => a.timestampMicros - b.timestampMicros).map((l) => logEntry(l, s))}</div></div>
</div>`;
}

function spanRow(row: WaterfallRow, axis: Axis, traceId: string): SafeHtml {
  const s = row.span;
  const error = isErrorSpan(s.tags);
  const left = (s.startMicros - axis.startMicros) / axis.totalMicros;
  const width = s.durationMicros / axis.totalMicros;
  // The duration label sits after the bar; near the right edge, inside a wide bar or before a narrow one.
  const labelPlace = left + width < 0.8 ? 'after' : width >= 0.15 ? 'inside' : 'before';
  const labelStyle =
    labelPlace === 'after' ? `left:${percent(left + width)}`
    : labelPlace === 'inside' ? `right:${percent(1 - left - width)}`
    : `right:${percent(1 - left)}`;
  const color = componentColor(s.component);
  const guides = Array.from({ length: row.depth }, () => html`<span class="guide" style="width:${INDENT_PX - 4}px"></span>`);
  return html`<details class="span-row${error ? ' is-error' : ''}" data-span-id="${s.spanId}" data-parent-span-id="${s.parentSpanId ?? ''}"
  data-operation="${s.operation}" data-component="${s.component}" data-depth="${row.depth}" data-error="${error}" data-trace-id="${s.traceId}">
<summary class="span-summary">
  <span class="span-label">${guides}<span class="caret">▶</span><span class="name" title="${s.operation}">${s.operation}</span>
    <span class="component">${s.component}</span>${error ? html`<span class="badge error">error</span>` : ''}</span>
  <span class="track">
    <span class="bar" style="left:${percent(left)};width:${percent(width)};background:${color}" title="${formatDuration(s.durationMicros)}"></span>
    <span class="bar-label ${labelPlace}" style="${labelStyle}">${formatDuration(s.durationMicros)}</span>
  </span>
</summary>
${details(row, traceId)}
</details>`;
}

function axisHeader(axis: Axis): SafeHtml {
  return html`<div class="axis"><div class="label">Operation · component</div><div class="ticks track" style="height:32px">
${TICKS.map((t, i) => html`<span class="tick${i === 0 ? ' first' : i === TICKS.length - 1 ? ' last' : ''}" style="left:${percent(t)}">${formatDuration(t * axis.totalMicros)}</span>`)}
</div></div>`;
}

function legend(spans: StoredSpan[]): SafeHtml {
  const counts = new Map<string, number>();
  for (const s of spans) counts.set(s.component, (counts.get(s.component) ?? 0) + 1);
  return html`<div class="legend">${[...counts].sort(([a], [b]) => a.localeCompare(b)).map(([component, n]) =>
    html`<span class="item" data-legend-component="${component}"><span class="swatch" style="background:${componentColor(component)}"></span>${component || '(no component)'} · ${n}</span>`)}</div>`;
}

/**
 * `spans` are one trace's (same lower 64 bits); the page names it by its 128-bit id when any span
 * came with one (OTLP), so a trace whose spans came by both wires shows as one.
 */
export function renderTracePage(requestedTraceId: string, spans: StoredSpan[]): string {
  const rows = waterfallRows(spans);
  const traceId = spans.reduce((longest, s) => (s.traceId.length > longest.length ? s.traceId : longest), requestedTraceId);
  // A loop, not Math.min(...spans): spreading a huge trace overflows the call stack.
  let startMicros = Infinity;
  let endMicros = -Infinity;
  for (const s of spans) {
    startMicros = Math.min(startMicros, s.startMicros);
    endMicros = Math.max(endMicros, s.startMicros + s.durationMicros);
  }
  const axis: Axis = { startMicros, totalMicros: Math.max(endMicros - startMicros, 1) };
  const root = rows[0].span;
  const errors = spans.filter((s) => isErrorSpan(s.tags)).length;

  const body = html`<h1>${root.operation}</h1>
<p class="meta">
  <span>Trace <b class="mono">${traceId}</b></span>
  <span><b>${spans.length}</b> spans</span>
  <span>Duration <b>${formatDuration(endMicros - startMicros)}</b></span>
  <span>Started <b>${formatTimestamp(startMicros)}</b></span>
  ${errors > 0 ? html`<span class="badge error">${errors} error${errors === 1 ? '' : 's'}</span>` : ''}
  <a href="/api/traces/${traceId}">JSON</a>
</p>
${legend(spans)}
<div class="card waterfall">
${axisHeader(axis)}
<div style="position:relative">
<div class="gridlines" style="left:calc(var(--label-width) + 14px);right:14px">${TICKS.map((t) => html`<i style="left:${percent(t)}"></i>`)}</div>
${rows.slice(0, MAX_WATERFALL_ROWS).map((r) => spanRow(r, axis, traceId))}
</div>
</div>
${rows.length > MAX_WATERFALL_ROWS
    ? html`<p class="meta" style="margin-top:12px">Showing the first ${MAX_WATERFALL_ROWS} of ${rows.length} spans; <a href="/api/traces/${traceId}">the JSON API</a> has all of them.</p>`
    : ''}`;
  return page(`${root.operation} · trace ${traceId}`, body).value;
}

export function renderTraceNotFound(traceId: string): string {
  return page('Trace not found', html`<h1>Trace not found</h1>
<p class="meta">No span of trace <b class="mono">${traceId}</b> has arrived (yet). Spans forwarded from logs may take a moment; reload.</p>
<p><a href="/">All recent traces</a></p>`).value;
}
