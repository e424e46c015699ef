import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import * as net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startCollector } from '../../src/collector/server';
import { appendDeadLetter } from '../../src/local/dead-letter';
import { encodeSubscriptionEvent } from '../../src/log-span-forwarder/subscription-event';
import { encodeSpanLine } from '../../src/span-line';
import { runTs } from '../function/helpers/run-node';

// `npm run replay` as a user runs it: a process, a dead-letter file, a collector up or down.
function deadLetterFile(): { dir: string; file: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'replay-cli-'));
  const file = path.join(dir, 'dead-letter.jsonl');
  const line = encodeSpanLine({
    traceId: '4bf92f3577b34da6',
    spanId: '00f067aa0ba902b7',
    operation: 'lambda-execution',
    component: 'lambda_function',
    startMicros: 1764045116123456,
    durationMicros: 1532,
    tags: {},
    logs: [],
    baggage: {},
  });
  const event = encodeSubscriptionEvent({
    messageType: 'DATA_MESSAGE',
    owner: '123456789012',
    logGroup: '/aws/lambda/fn',
    logStream: '2026/12/01/[$LATEST]abc',
    subscriptionFilters: ['span-lines'],
    logEvents: [{ id: '1', timestamp: 1764045116123, message: line }],
  });
  appendDeadLetter(file, { event, error: 'collector was down', attempts: 3, failedAt: new Date().toISOString() });
  return { dir, file };
}

async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

test('with the collector still down: exit 1, the line kept in the file, the reason printed', async () => {
  const { dir, file } = deadLetterFile();
  try {
    const before = readFileSync(file, 'utf8');
    const run = await runTs('src/cli/replay.ts', ['--file', file], { COLLECTOR_PORT: String(await closedPort()), LIGHTSTEP_ACCESS_TOKEN: undefined });
    expect(run.code).toBe(1);
    expect(run.stdout + run.stderr).toMatch(/ECONNREFUSED/);
    expect(readFileSync(file, 'utf8')).toBe(before);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('with the collector back: exit 0, the span stored, the file gone', async () => {
  const { dir, file } = deadLetterFile();
  const collector = await startCollector({ port: 0, dbPath: ':memory:' });
  try {
    const run = await runTs('src/cli/replay.ts', ['--file', file], { COLLECTOR_PORT: String(collector.port), LIGHTSTEP_ACCESS_TOKEN: undefined });
    expect(run.code).toBe(0);
    expect(collector.store.getTrace('4bf92f3577b34da6').map((span) => span.spanId)).toEqual(['00f067aa0ba902b7']);
    expect(() => readFileSync(file)).toThrow(/ENOENT/);
  } finally {
    await collector.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
