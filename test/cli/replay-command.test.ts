import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runReplay } from '../../src/cli/replay-command';
import { startCollector, type RunningCollector } from '../../src/collector/server';
import { encodeSubscriptionEvent } from '../../src/log-span-forwarder/subscription-event';
import { testIo } from './cli-io';
import { spanLine } from './span-lines';

const TRACE = '7b1c2d3e4f506172';

/** A dead-letter line as the local stack writes it: the subscription event and why it failed. */
function deadLetter(spanIds: number[], extra: string[] = []): string {
  const messages = [...spanIds.map((i) => spanLine({ traceId: TRACE, spanId: i.toString(16).padStart(16, '0'), operation: `op-${i}` })), ...extra];
  const event = encodeSubscriptionEvent({
    messageType: 'DATA_MESSAGE',
    owner: '000000000000',
    logGroup: '/aws/lambda/local-function',
    logStream: 'stream',
    subscriptionFilters: ['local'],
    logEvents: messages.map((message, i) => ({ id: String(i), timestamp: 1764045116123 + i, message })),
  });
  return JSON.stringify({ event, error: 'LightStep report failed', attempts: 3, failedAt: '2026-11-25T04:31:56.123Z' });
}

describe('npm run replay', () => {
  let dir: string;
  let file: string;
  let collector: RunningCollector;
  beforeEach(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'llt-replay-'));
    file = path.join(dir, 'dead-letter.jsonl');
    collector = await startCollector({ port: 0, dbPath: ':memory:' });
  });
  afterEach(async () => {
    await collector.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('--dry-run decodes every line and counts its spans, sends nothing, leaves the file as it is', async () => {
    const content = [deadLetter([1, 2], ['START RequestId: 1']), 'not json', deadLetter([3])].join('\n') + '\n';
    writeFileSync(file, content);
    const t = testIo({ env: { COLLECTOR_PORT: String(collector.port) } });
    await expect(runReplay(['--file', file, '--dry-run'], t.io)).resolves.toBe(1); // a real replay would leave line 2
    expect(t.out()).toContain(`dry run of ${file}: decoding only, nothing is sent and the file is left as it is`);
    expect(t.out()).toContain('lines: 3, readable: 2 (3 spans would be forwarded; skipped not_json 1), unreadable: 1, failed to decode: 0');
    expect(t.out()).toContain('line 2: not JSON');
    expect(readFileSync(file, 'utf8')).toBe(content);
    expect(collector.store.countSpans()).toBe(0);
  });

  it('replays to the collector with progress on a terminal; lines that fail stay, and it says how to retry them', async () => {
    writeFileSync(file, [deadLetter([1, 2]), deadLetter([3])].join('\n') + '\n');
    const t = testIo({ stderrTTY: true, env: { COLLECTOR_PORT: String(collector.port) } });
    await expect(runReplay(['--file', file], t.io)).resolves.toBe(0);
    expect(t.out()).toContain('lines: 2, replayed: 2 (3 spans forwarded), failed: 0, unreadable: 0, left in the file: 0');
    expect(t.err()).toMatch(/\r\x1b\[K1 lines replayed · 2 spans forwarded · \d+ spans\/s · 50% · ETA \d+s/);
    expect(collector.store.getTrace(TRACE)).toHaveLength(3);

    writeFileSync(file, [deadLetter([4]), deadLetter([5])].join('\n') + '\n');
    const down = testIo({ env: { COLLECTOR_PORT: '1' } }); // nothing listens there
    await expect(runReplay(['--file', file], down.io)).resolves.toBe(1);
    expect(down.out()).toContain('failed: 2, unreadable: 0, left in the file: 2');
    expect(down.err()).toBe(`replay: 2 lines were not replayed and stay in ${file} (the delivered ones left it): run the same command again to retry only them\n`);
    expect(readFileSync(file, 'utf8').trim().split('\n')).toHaveLength(2);
  });
});
