// GET /: recent traces, newest first.
import type { TraceSummary } from '../types';
import { componentColor, formatAge, formatDuration, formatTimestamp } from './format';
import { html, type SafeHtml } from './html';
import { page } from './layout';

function row(t: TraceSummary, nowMicros: number): SafeHtml {
  return html`<tr data-trace-id="${t.traceId}">
  <td><a class="op" href="/traces/${t.traceId}">${t.rootOperation || '(unnamed)'}</a></td>
  <td><span class="dot" style="background:${componentColor(t.rootComponent)}"></span>${t.rootComponent || '(no component)'}</td>
  <td class="num">${t.spanCount}</td>
  <td class="num">${formatDuration(t.durationMicros)}</td>
  <td>${t.errorCount > 0
    ? html`<span class="badge error">${t.errorCount} error${t.errorCount === 1 ? '' : 's'}</span>`
    : html`<span class="badge ok">none</span>`}</td>
  <td title="${formatTimestamp(t.startMicros)}">${formatAge(t.startMicros, nowMicros)}</td>
  <td><a class="mono" href="/traces/${t.traceId}">${t.traceId}</a></td>
</tr>`;
}

const EMPTY = html`<div class="empty">
<p>No traces yet. Point a lightstep-tracer at this collector:</p>
<pre>new lightstep.Tracer({
  access_token: 'any',
  component_name: 'my-service',
  collector_host: '127.0.0.1',
  collector_port: COLLECTOR_PORT,   // 8360 by default
  collector_encryption: 'none',
})</pre>
</div>`;

export function renderTraceList(traces: TraceSummary[], nowMicros: number): string {
  const body = html`<h1>Recent traces</h1>
<p class="meta"><span>Newest first · <b>${traces.length}</b> shown</span><a href="/">Refresh</a><a href="/api/traces">JSON</a></p>
<div class="card">
${traces.length === 0
    ? EMPTY
    : html`<table class="traces">
<thead><tr><th>Root operation</th><th>Component</th><th class="num">Spans</th><th class="num">Duration</th><th>Errors</th><th>Started</th><th>Trace id</th></tr></thead>
<tbody>
${traces.map((t) => row(t, nowMicros))}
</tbody>
</table>`}
</div>`;
  return page('Recent traces', body).value;
}
