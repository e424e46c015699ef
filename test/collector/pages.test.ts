// Trace pages over HTTP (no browser): escaping of reported strings, status codes, tree order.
import { waterfallRows } from '../../src/collector/pages/tree';
import { componentColor, formatDuration } from '../../src/collector/pages/format';
import { html, escapeHtml } from '../../src/collector/pages/html';
import { MAX_WATERFALL_ROWS } from '../../src/collector/pages/trace-page';
import { startCollector, type RunningCollector } from '../../src/collector/server';
import type { StoredSpan } from '../../src/collector/types';
import { postReport, reportBytes } from './proto-report';

const HOSTILE = `<script>alert("x")</script><img src=x onerror='y'>&`;

function span(spanId: string, startMicros: number, parentSpanId?: string): StoredSpan {
  return { traceId: '00000000000000aa', spanId, parentSpanId, operation: spanId, component: 'c', startMicros, durationMicros: 1, tags: {}, logs: [] };
}

describe('trace pages', () => {
  let collector: RunningCollector;
  beforeAll(async () => {
    collector = await startCollector({ dbPath: ':memory:' });
  });
  afterAll(async () => {
    await collector.close();
  });

  it('escapes every reported string on the list and the trace page', async () => {
    const traceId = '00000000000000bb';
    const body = reportBytes(HOSTILE, [{
      traceId, spanId: '0000000000000001', operation: HOSTILE, startMicros: 1_700_000_000_000_000, durationMicros: 10,
      tags: { [HOSTILE]: HOSTILE }, logs: [{ timestampMicros: 1_700_000_000_000_005, fields: { [HOSTILE]: HOSTILE } }],
    }]);
    expect((await postReport(collector.url, body)).status).toBe(200);

    for (const path of ['/', `/traces/${traceId}`]) {
      const res = await fetch(`${collector.url}${path}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      const text = await res.text();
      expect(text).not.toContain('<script>');
      expect(text).not.toContain('<img');
      expect(text).toContain(escapeHtml(HOSTILE));
    }
  });

  it('answers 404 for an unknown trace and 400 for a non-hex id, as HTML', async () => {
    const missing = await fetch(`${collector.url}/traces/00000000000000ff`);
    expect(missing.status).toBe(404);
    expect(await missing.text()).toContain('Trace not found');
    const bad = await fetch(`${collector.url}/traces/%3Cscript%3E`);
    expect(bad.status).toBe(400);
    expect(await bad.text()).not.toContain('<script>');
  });

  it('caps a huge waterfall and points to the JSON API', async () => {
    const traceId = '00000000000000cc';
    const spans = Array.from({ length: MAX_WATERFALL_ROWS + 5 }, (_, i) => ({
      traceId, spanId: (i + 1).toString(16).padStart(16, '0'), operation: 'bulk', startMicros: 1_700_000_000_000_000 + i, durationMicros: 1,
    }));
    expect((await postReport(collector.url, reportBytes('bulk', spans))).status).toBe(200);
    const text = await (await fetch(`${collector.url}/traces/${traceId}`)).text();
    expect(text.match(/data-span-id=/g)).toHaveLength(MAX_WATERFALL_ROWS);
    expect(text).toContain(`Showing the first ${MAX_WATERFALL_ROWS} of ${MAX_WATERFALL_ROWS + 5} spans`);
  });

  it('orders rows depth first, siblings by start time, orphans as roots', () => {
    const rows = waterfallRows([
      span('c2', 30, 'root'),
      span('root', 10),
      span('c1', 20, 'root'),
      span('g1', 25, 'c1'),
      span('orphan', 15, 'never-arrived'),
    ]);
    expect(rows.map((r) => [r.span.spanId, r.depth, r.parentMissing])).toEqual([
      ['root', 0, false], ['c1', 1, false], ['g1', 2, false], ['c2', 1, false], ['orphan', 0, true],
    ]);
  });

  it('still shows spans caught in a parent cycle', () => {
    const rows = waterfallRows([span('a', 1, 'b'), span('b', 2, 'a')]);
    expect(rows.map((r) => r.span.spanId).sort()).toEqual(['a', 'b']);
  });

  it('formats durations and keeps component colours stable', () => {
    expect([0, 750, 1234, 98_765, 2_500_000, 90_000_000].map(formatDuration)).toEqual(
      ['0', '750 µs', '1.23 ms', '98.8 ms', '2.50 s', '1.50 min'],
    );
    expect(componentColor('node-service')).toBe(componentColor('node-service'));
    expect(componentColor('node-service')).not.toBe(componentColor('lambda_function'));
  });

  it('html`` escapes interpolations but not nested html``', () => {
    expect(html`<b>${'<i>'}</b>${html`<i>ok</i>`}${['<', html`&amp;`]}`.value).toBe('<b>&lt;i&gt;</b><i>ok</i>&lt;&amp;');
  });
});
