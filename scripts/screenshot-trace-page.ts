/**
 * Regenerates docs/trace-page.png, the README's picture: the local stack on free ports,
 * `/ot-gen?count=3` a few times to warm the function containers, once more for the picture, then the
 * trace page in headless Chromium (Debian's /usr/bin/chromium).
 *
 *   npx tsx scripts/screenshot-trace-page.ts [out.png]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { chromium } from 'playwright-core';
import { startLocalStack } from '../src/local/stack';

async function otGen(serviceUrl: string): Promise<string> {
  const response = await fetch(`${serviceUrl}/ot-gen?count=3`);
  if (!response.ok) throw new Error(`/ot-gen answered ${response.status}`);
  return ((await response.json()) as { traceId: string }).traceId;
}

async function main(): Promise<void> {
  const out = path.resolve(process.argv[2] ?? path.join(__dirname, '..', 'docs', 'trace-page.png'));
  const stack = await startLocalStack({ ports: { collector: 0, service: 0, function: 0 }, dbPath: ':memory:', logger: pino({ level: 'silent' }) });
  const profile = mkdtempSync(path.join(tmpdir(), 'screenshot-chromium-'));
  try {
    for (let i = 0; i < 3; i++) await otGen(stack.urls.service); // containers start lazily: warm them
    const traceId = await otGen(stack.urls.service);
    const deadline = Date.now() + 10_000;
    while (stack.collector.store.getTrace(traceId).length < 7 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const browser = await chromium.launchPersistentContext(profile, {
      executablePath: '/usr/bin/chromium',
      headless: true,
      viewport: { width: 1200, height: 420 },
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
    });
    try {
      const page = await browser.newPage();
      await page.goto(`${stack.urls.collector}/traces/${traceId}`);
      await page.screenshot({ path: out, fullPage: true });
    } finally {
      await browser.close();
    }
    console.log(`wrote ${out} (trace ${traceId})`);
  } finally {
    rmSync(profile, { recursive: true, force: true });
    await stack.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
