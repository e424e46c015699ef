// The trace page in real headless Chromium (Debian's /usr/bin/chromium via playwright-core),
// populated by the real lightstep-tracer with the article's trace shape.
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { startCollector, type RunningCollector } from '../../src/collector/server';
import { reportArticleTrace, type ArticleTrace } from './article-trace';

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = join(__dirname, '..', '..', 'test-artifacts');

describe('trace page in headless Chromium', () => {
  let collector: RunningCollector;
  let profileDir: string;
  let browser: BrowserContext;
  let page: Page;
  let trace: ArticleTrace;

  beforeAll(async () => {
    collector = await startCollector({ dbPath: ':memory:' });
    trace = await reportArticleTrace(collector.port, 3, 2); // the third call fails
    profileDir = mkdtempSync(join(tmpdir(), 'collector-chromium-'));
    // launch() refuses --user-data-dir in args; a persistent context takes the fresh dir instead.
    browser = await chromium.launchPersistentContext(profileDir, {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 1280, height: 800 },
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
        '--disable-sync', '--no-first-run', '--disable-quic'],
    });
    page = await browser.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await collector?.close();
    if (profileDir) rmSync(profileDir, { recursive: true, force: true });
  });

  const row = (spanId: string) => page.locator(`details.span-row[data-span-id="${spanId}"]`);

  it('lists the trace on the front page and links to its waterfall', async () => {
    await page.goto(`${collector.url}/`);
    const listed = page.locator(`tr[data-trace-id="${trace.traceId}"]`);
    await expect(listed.locator('a.op').textContent()).resolves.toBe('router');
    const cells = await listed.locator('td').allTextContents();
    expect(cells).toEqual(expect.arrayContaining(['7', '2 errors']));

    await listed.locator('a.op').click();
    await page.waitForURL(`**/traces/${trace.traceId}`);
    await expect(page.locator('h1').textContent()).resolves.toBe('router');
  });

  it('shows router → 3 service-egress → 1 lambda-execution each, under the right parents', async () => {
    await page.goto(`${collector.url}/traces/${trace.traceId}`);
    const rows = await page.locator('details.span-row').evaluateAll((els) =>
      els.map((el) => ({ ...(el as HTMLElement).dataset })),
    );

    // Depth-first order: router, then each egress followed by its lambda.
    const expected = [
      { spanId: trace.routerId, parentSpanId: '', operation: 'router', component: 'node-service', depth: '0' },
      ...trace.egressIds.flatMap((egressId, i) => [
        { spanId: egressId, parentSpanId: trace.routerId, operation: 'service-egress', component: 'node-service', depth: '1' },
        { spanId: trace.lambdaIds[i], parentSpanId: egressId, operation: 'lambda-execution', component: 'lambda_function', depth: '2' },
      ]),
    ];
    expect(rows.map(({ spanId, parentSpanId, operation, component, depth }) => ({ spanId, parentSpanId, operation, component, depth })))
      .toEqual(expected);

    // Error spans are marked, the others are not.
    const errorIds = rows.filter((r) => r.error === 'true').map((r) => r.spanId).sort();
    expect(errorIds).toEqual([trace.egressIds[2], trace.lambdaIds[2]].sort());
    await expect(row(trace.lambdaIds[2]).locator('.badge.error').isVisible()).resolves.toBe(true);

    // Both components are in the legend, with different colours on their bars.
    await expect(page.locator('.legend [data-legend-component]').allTextContents()).resolves.toEqual([
      'lambda_function · 3', 'node-service · 4',
    ]);
    const barColor = (id: string) => row(id).locator('.bar').evaluate((el) => getComputedStyle(el).backgroundColor);
    expect(await barColor(trace.routerId)).toBe(await barColor(trace.egressIds[0]));
    expect(await barColor(trace.routerId)).not.toBe(await barColor(trace.lambdaIds[0]));

    // Bars share one time axis: each lambda bar lies within its egress bar, the router's spans all.
    const box = async (id: string) => (await row(id).locator('.bar').boundingBox())!;
    const router = await box(trace.routerId);
    for (let i = 0; i < 3; i++) {
      const egress = await box(trace.egressIds[i]);
      const lambda = await box(trace.lambdaIds[i]);
      expect(egress.x).toBeGreaterThanOrEqual(router.x);
      expect(egress.x + egress.width).toBeLessThanOrEqual(router.x + router.width + 0.5);
      expect(lambda.x).toBeGreaterThan(egress.x);
      expect(lambda.x + lambda.width).toBeLessThan(egress.x + egress.width);
    }
  });

  it('reveals a span\'s tags and logs on click, then saves a screenshot', async () => {
    await page.goto(`${collector.url}/traces/${trace.traceId}`);
    const lambda = row(trace.lambdaIds[2]);
    await expect(lambda.locator('.tags').isVisible()).resolves.toBe(false);

    await lambda.locator('summary').click();

    await expect(lambda.locator('.tags').isVisible()).resolves.toBe(true);
    const tagText = await lambda.locator('.tags').innerText();
    expect(tagText).toContain('aws.request_id');
    expect(tagText).toContain('req-2');
    const logText = await lambda.locator('.logs').innerText();
    expect(logText).toContain('demo failure requested');
    expect(logText).toContain('work done');
    // Only the clicked span opened.
    await expect(row(trace.lambdaIds[0]).locator('.tags').isVisible()).resolves.toBe(false);

    mkdirSync(ARTIFACTS, { recursive: true });
    const file = join(ARTIFACTS, 'trace-page.png');
    await page.screenshot({ path: file, fullPage: true });
    expect(statSync(file).size).toBeGreaterThan(10_000);
  });
});
