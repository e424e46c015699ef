// The acceptance view: the whole local stack on free ports, `/ot-gen?count=3`, then the
// trace page in real headless Chromium (Debian's /usr/bin/chromium through playwright-core).
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import type { LocalStack } from '../../src/local/stack';
import { byOperation, fetchTrace, otGen, pollUntil, startTestStack } from './helpers';

const ARTIFACTS = join(__dirname, '..', '..', 'test-artifacts');

describe('trace page after /ot-gen?count=3 over the local stack', () => {
  let stack: LocalStack;
  let profileDir: string;
  let browser: BrowserContext;

  beforeAll(async () => {
    stack = await startTestStack();
    profileDir = mkdtempSync(join(tmpdir(), 'local-chromium-'));
    browser = await chromium.launchPersistentContext(profileDir, {
      executablePath: '/usr/bin/chromium',
      headless: true,
      viewport: { width: 1280, height: 640 },
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
    });
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.close();
    if (profileDir) rmSync(profileDir, { recursive: true, force: true });
  });

  it('shows router, three service-egress and three lambda-execution rows under the right parents', async () => {
    const result = await otGen(stack, 'count=3');
    // The function's spans travel through its log stream and the forwarder: wait for them.
    const spans = await pollUntil(() => fetchTrace(stack, result.traceId), (s) => byOperation(s, 'lambda-execution').length >= 3);
    expect(spans).toHaveLength(7);

    const page = await browser.newPage();
    expect(result.traceUrl).toBe(`${stack.urls.collector}/traces/${result.traceId}`);
    await page.goto(`${stack.urls.collector}/traces/${result.traceId}`);
    const rows = await page.locator('details.span-row').evaluateAll((els) =>
      els.map((el) => {
        const { spanId, parentSpanId, operation, component, depth } = (el as HTMLElement).dataset;
        return { spanId, parentSpanId, operation, component, depth };
      }),
    );
    const [router] = byOperation(spans, 'router');
    const egress = byOperation(spans, 'service-egress');
    expect(rows.filter((r) => r.operation === 'router')).toEqual([
      { spanId: router.spanId, parentSpanId: '', operation: 'router', component: 'node-service', depth: '0' },
    ]);
    const egressRows = rows.filter((r) => r.operation === 'service-egress');
    expect(egressRows.map((r) => r.spanId).sort()).toEqual(egress.map((s) => s.spanId).sort());
    for (const row of egressRows) expect(row).toMatchObject({ parentSpanId: router.spanId, component: 'node-service', depth: '1' });
    const lambdaRows = rows.filter((r) => r.operation === 'lambda-execution');
    expect(lambdaRows).toHaveLength(3);
    expect(lambdaRows.map((r) => r.parentSpanId).sort()).toEqual(egress.map((s) => s.spanId).sort());
    for (const row of lambdaRows) expect(row).toMatchObject({ component: 'lambda_function', depth: '2' });
    // Depth-first: each lambda-execution row comes right after its egress row.
    for (const row of lambdaRows) expect(rows[rows.findIndex((r) => r.spanId === row.parentSpanId) + 1]).toEqual(row);

    // Clicking a lambda row reveals its tags, as recorded by the function.
    const firstLambda = page.locator(`details.span-row[data-span-id="${lambdaRows[0].spanId}"]`);
    await firstLambda.locator('summary').click();
    await expect(firstLambda.textContent()).resolves.toContain('aws.request_id');

    mkdirSync(ARTIFACTS, { recursive: true });
    const file = join(ARTIFACTS, 'ot-gen-trace-page.png');
    await page.screenshot({ path: file, fullPage: true });
    expect(statSync(file).size).toBeGreaterThan(10_000);
  });
});
