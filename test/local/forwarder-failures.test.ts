import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ForwarderInvoke } from '../../src/local/async-delivery';
import type { DeadLetterRecord } from '../../src/local/dead-letter';
import type { LocalStack } from '../../src/local/stack';
import { decodeSubscriptionEvent } from '../../src/log-span-forwarder/subscription-event';
import { byOperation, fetchTrace, otGen, pollUntil, startTestStack } from './helpers';

describe('forwarder failures: Lambda-style retries, then the dead-letter file, then replay', () => {
  let stack: LocalStack;
  let dir: string;
  let deadLetterPath: string;
  // How the forwarder behaves for the next invocations; each test sets it.
  let failuresLeft = 0;
  let attempts = 0;
  // Lambda spans per collector report: a span delivered twice would be counted twice here.
  let lambdaSpansReported = 0;

  const flakyForwarder = (real: ForwarderInvoke): ForwarderInvoke => async (event) => {
    attempts++;
    if (failuresLeft > 0) {
      failuresLeft--;
      throw new Error('simulated forwarder failure (e.g. the collector was unreachable)');
    }
    return real(event);
  };

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'local-stack-dlq-'));
    deadLetterPath = path.join(dir, 'dead-letter.jsonl');
    stack = await startTestStack({
      deadLetterPath,
      forwarderOverride: flakyForwarder,
      // One container: one log stream, so one request's span lines form one batch.
      maxContainers: 1,
      onCollectorReport: (info) => {
        if (info.component === 'lambda_function') lambdaSpansReported += info.spans;
      },
    });
  });

  afterAll(async () => {
    await stack?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('failing twice then succeeding → every span arrives, once', async () => {
    failuresLeft = 2;
    attempts = 0;
    lambdaSpansReported = 0;
    const batchesBefore = stack.shipper.stats.batches;
    const result = await otGen(stack, 'count=3');
    const spans = await pollUntil(
      () => fetchTrace(stack, result.traceId),
      (s) => byOperation(s, 'lambda-execution').length >= 3,
    );
    await stack.shipper.flush(); // every delivery (and retry) settled
    expect(byOperation(spans, 'lambda-execution')).toHaveLength(3);
    expect(failuresLeft).toBe(0);
    // Each batch was delivered exactly once; the two failures were retried, not dropped.
    expect(attempts).toBe(stack.shipper.stats.batches - batchesBefore + 2);
    const functionSpans = spans.filter((s) => s.component === 'lambda_function');
    expect(lambdaSpansReported).toBe(functionSpans.length); // nothing reported twice
    expect(existsSync(deadLetterPath)).toBe(false);
  });

  it('failing always → the batch is in the dead-letter file after 3 attempts; replay delivers it', async () => {
    failuresLeft = Number.POSITIVE_INFINITY;
    attempts = 0;
    const batchesBefore = stack.shipper.stats.batches;
    const result = await otGen(stack, 'count=2');
    // Wait until both invocations' lambda-execution lines sit in the dead-letter file.
    await pollUntil(
      async () => readDeadLetterRecords(deadLetterPath),
      (r) => r.flatMap(lambdaExecutionLines).length >= 2,
    );
    await stack.shipper.flush();
    const records = readDeadLetterRecords(deadLetterPath);
    const batches = stack.shipper.stats.batches - batchesBefore;
    expect(records).toHaveLength(batches);
    expect(attempts).toBe(3 * batches); // the invocation and Lambda's two retries, per batch
    expect(byOperation(await fetchTrace(stack, result.traceId), 'lambda-execution')).toHaveLength(0);

    for (const record of records) {
      expect(record.attempts).toBe(3);
      expect(record.error).toMatch(/simulated forwarder failure/);
      // A genuine subscription event: gzip + base64, with the fields CloudWatch Logs sets.
      const payload = decodeSubscriptionEvent(record.event);
      expect(payload).toMatchObject({
        messageType: 'DATA_MESSAGE',
        owner: '000000000000',
        logGroup: '/aws/lambda/ot-gen-function',
        subscriptionFilters: ['span-lines-to-log-span-forwarder'],
      });
      expect(payload.logStream).toMatch(/^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/);
      for (const event of payload.logEvents) {
        expect(event.id).toMatch(/^\d{56}$/);
        expect(JSON.parse(event.message).otspan).toBe(2); // only span lines passed the filter
      }
    }

    // The replay CLI, as a user runs it, against this stack's collector.
    const output = await runReplayCli(deadLetterPath, stack.collector.port);
    expect(output).toMatch(new RegExp(`replayed: ${records.length} \\(\\d+ spans forwarded\\)`));
    expect(output).not.toContain('local-dev-token');
    const spans = await fetchTrace(stack, result.traceId);
    const lambda = byOperation(spans, 'lambda-execution');
    expect(lambda).toHaveLength(2);
    expect(lambda.map((s) => s.parentSpanId).sort()).toEqual(byOperation(spans, 'service-egress').map((s) => s.spanId).sort());
    expect(existsSync(deadLetterPath)).toBe(false); // delivered lines leave the file
  });
});

function runReplayCli(file: string, collectorPort: number): Promise<string> {
  const tsx = pathToFileURL(require.resolve('tsx')).href;
  const cli = path.join(__dirname, '../../src/cli/replay.ts');
  const env: NodeJS.ProcessEnv = { ...process.env, COLLECTOR_PORT: String(collectorPort) };
  delete env.LIGHTSTEP_ACCESS_TOKEN;
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['--import', tsx, cli, '--file', file], { env, timeout: 20_000 }, (err, stdout, stderr) =>
      err ? reject(new Error(`${err.message}\n${stdout}\n${stderr}`)) : resolve(stdout),
    );
  });
}

function readDeadLetterRecords(file: string): DeadLetterRecord[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as DeadLetterRecord);
}

function lambdaExecutionLines(record: DeadLetterRecord): string[] {
  return decodeSubscriptionEvent(record.event)
    .logEvents.map((e) => e.message)
    .filter((m) => JSON.parse(m).op === 'lambda-execution');
}
