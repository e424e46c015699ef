/**
 * The embedded collector (src/collector: protobuf decode, SQLite store, as `npm start` runs it)
 * in its own process, on a fresh SQLite file, for the forwarder scenario's ingest rate.
 * Answers `stats` (spans stored) over IPC.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { startCollector } from '../../src/collector/server';

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-collector-'));
  const collector = await startCollector({ port: 0, dbPath: path.join(dir, 'collector.sqlite') });
  process.on('message', (message: { type?: string }) => {
    if (message.type === 'stats') process.send!({ type: 'stats', spans: collector.store.countSpans() });
  });
  process.on('SIGTERM', () => {
    void collector.close().finally(() => {
      rmSync(dir, { recursive: true, force: true });
      process.exit(0);
    });
  });
  process.send!({ type: 'ready', port: collector.port });
}

void main();
