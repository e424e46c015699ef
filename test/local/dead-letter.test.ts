import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { startCollector, type RunningCollector } from '../../src/collector/server';
import { readDeadLetters } from '../../src/local/dead-letter';
import { embeddedCollectorTarget } from '../../src/lightstep/target';
import { createLocalForwarder } from '../../src/local/local-forwarder';
import { replayDeadLetters } from '../../src/local/replay';
import { encodeSubscriptionEvent } from '../../src/log-span-forwarder/subscription-event';
import { encodeSpanLine, type FinishedSpan } from '../../src/span-line';

const TOKEN = 'ls_dead_letter_token_0123456789';

function span(i: number): FinishedSpan {
  return {
    traceId: '5ca1ab1e00000001',
    spanId: (0x7000000000000000n + BigInt(i)).toString(16),
    operation: `op-${i}`,
    component: 'lambda_function',
    startMicros: 1715681730123456 + i,
    durationMicros: 100,
    tags: { i },
    logs: [],
    baggage: {},
  };
}

function subscriptionEvent(spans: FinishedSpan[]) {
  return encodeSubscriptionEvent({
    messageType: 'DATA_MESSAGE',
    owner: '123456789012',
    logGroup: '/aws/lambda/lambda-log-tracing-traced',
    logStream: '2026/05/14/[$LATEST]0123456789abcdef0123456789abcdef',
    subscriptionFilters: ['lambda-log-tracing-TracedFunctionSpanLineSubscription-ABC'],
    logEvents: spans.map((s, i) => ({ id: String(i), timestamp: 1715681730123 + i, message: encodeSpanLine(s) + '\n' })),
  });
}

/** The body of an SQS message from the forwarder's on-failure destination (Lambda's invocation record). */
function onFailureRecord(spans: FinishedSpan[]) {
  return {
    version: '1.0',
    timestamp: '2026-05-14T10:15:30.123Z',
    requestContext: {
      requestId: 'e4b46cbf-b738-xmpl-8880-a18cdf61200e',
      functionArn: 'arn:aws:lambda:us-east-1:123456789012:function:lambda-log-tracing-log-span-forwarder:$LATEST',
      condition: 'RetriesExhausted',
      approximateInvokeCount: 3,
    },
    requestPayload: subscriptionEvent(spans),
    responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
    responsePayload: { errorType: 'FlushError', errorMessage: 'LightStep report to collector.lightstep.com:443 failed (…)' },
  };
}

describe('dead-letter lines from the deployed stack (SQS on-failure records) replay like local ones', () => {
  let dir: string;
  let collector: RunningCollector;
  beforeEach(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'dead-letter-'));
    collector = await startCollector({ port: 0, dbPath: ':memory:', accessToken: TOKEN });
  });
  afterEach(async () => {
    await collector.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads the event from requestPayload, event, or the line itself', () => {
    const file = path.join(dir, 'mixed.jsonl');
    const lines = [
      onFailureRecord([span(1)]),
      { event: subscriptionEvent([span(2)]), error: 'x', attempts: 3, failedAt: '2026-05-14T10:15:30.123Z' },
      subscriptionEvent([span(3)]),
      { requestPayload: { nothing: 'here' } },
    ];
    writeFileSync(file, lines.map((l) => JSON.stringify(l) + '\n').join(''));
    const read = readDeadLetters(file);
    expect(read.map((l) => l.ok)).toEqual([true, true, true, false]);
    expect(read[0]).toMatchObject({ ok: true, event: onFailureRecord([span(1)]).requestPayload });
    expect(read[3]).toMatchObject({ ok: false, lineNumber: 4, reason: expect.stringContaining('requestPayload') });
  });

  it('replayDeadLetters delivers an on-failure record through the real forwarder', async () => {
    const file = path.join(dir, 'dlq.jsonl');
    writeFileSync(file, JSON.stringify(onFailureRecord([span(1), span(2)])) + '\n');
    const forwarder = createLocalForwarder({ ...embeddedCollectorTarget(collector.port), accessToken: TOKEN }, () => undefined);
    try {
      const summary = await replayDeadLetters(file, forwarder.invoke);
      expect(summary).toMatchObject({ lines: 1, replayed: 1, failed: 0, unreadable: 0, spansForwarded: 2, remaining: 0 });
    } finally {
      await forwarder.close();
    }
    expect(collector.store.getTrace('5ca1ab1e00000001').map((s) => s.operation).sort()).toEqual(['op-1', 'op-2']);
    expect(existsSync(file)).toBe(false);
  });

  it('`npm run replay -- --file dlq.jsonl` with the LightStep variables, as docs/deploy.md shows', async () => {
    // What `aws sqs receive-message --query 'Messages[].[Body]' --output text` writes: one body a line.
    const file = path.join(dir, 'dlq.jsonl');
    writeFileSync(file, [onFailureRecord([span(1)]), onFailureRecord([span(2), span(3)])].map((r) => JSON.stringify(r)).join('\n') + '\n');
    const output = await runReplayCli(['--file', file, '--keep'], {
      LIGHTSTEP_ACCESS_TOKEN: TOKEN,
      LIGHTSTEP_COLLECTOR_HOST: '127.0.0.1',
      LIGHTSTEP_COLLECTOR_PORT: String(collector.port),
      LIGHTSTEP_COLLECTOR_ENCRYPTION: 'none',
    });
    expect(output).toContain(`replaying ${file} to LightStep at 127.0.0.1:${collector.port}`);
    expect(output).toContain('lines: 2, replayed: 2 (3 spans forwarded), failed: 0, unreadable: 0, left in the file: 2');
    expect(output).not.toContain(TOKEN);
    expect(collector.store.countSpans()).toBe(3); // the collector accepts only TOKEN
    expect(readFileSync(file, 'utf8').split('\n').filter(Boolean)).toHaveLength(2); // --keep
  });
});

function runReplayCli(args: string[], env: Record<string, string>): Promise<string> {
  const tsx = pathToFileURL(require.resolve('tsx')).href;
  const cli = path.join(__dirname, '../../src/cli/replay.ts');
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['--import', tsx, cli, ...args], { env: { ...process.env, ...env }, timeout: 20_000 }, (err, stdout, stderr) =>
      err ? reject(new Error(`${err.message}\n${stdout}\n${stderr}`)) : resolve(stdout),
    );
  });
}
