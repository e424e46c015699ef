import path from 'node:path';
import type { CloudWatchLogsLogEvent } from 'aws-lambda';
import { FunctionPool } from '../../src/local/function-pool';

describe('FunctionPool (warm function containers over IPC)', () => {
  const logs: Array<{ stream: string; event: CloudWatchLogsLogEvent }> = [];
  const pool = new FunctionPool({
    fn: {
      name: 'fixture',
      handlerModule: path.join(__dirname, 'fixtures/behaving-handler.ts'),
      handlerExport: 'handler',
      timeoutMs: 1500,
      memoryMb: 128,
      env: process.env,
    },
    maxContainers: 2,
    onLogEvent: (stream, event) => logs.push({ stream, event }),
  });

  afterAll(() => pool.close());

  const messagesFor = (requestId: string) => logs.filter((l) => l.event.message.includes(requestId)).map((l) => l.event.message);

  it('invokes the handler in a child process; stdout lines become log events between START and REPORT', async () => {
    const outcome = await pool.invoke({ action: 'ok' }, 'req-ok');
    expect(outcome.kind).toBe('result');
    const body = JSON.parse((outcome as { result: { body: string } }).result.body) as { pid: number; remaining: number };
    expect(body.pid).not.toBe(process.pid);
    expect(body.remaining).toBeGreaterThan(0);
    expect(body.remaining).toBeLessThanOrEqual(1500);
    const messages = messagesFor('req-ok');
    expect(messages[0]).toBe('START RequestId: req-ok Version: $LATEST\n');
    expect(messages[1]).toBe('handler saw ok in req-ok\n');
    expect(messages[2]).toBe('END RequestId: req-ok\n');
    expect(messages[3]).toMatch(/^REPORT RequestId: req-ok\tDuration: [\d.]+ ms\tBilled Duration: \d+ ms\tMemory Size: 128 MB\tMax Memory Used: \d+ MB\tInit Duration: [\d.]+ ms\n$/);
  });

  it('reuses the warm container; overlapping invocations get a second one', async () => {
    const pidOf = async (action: string, ms = 0) => {
      const outcome = await pool.invoke({ action, ms });
      return (JSON.parse((outcome as { result: { body: string } }).result.body) as { pid: number }).pid;
    };
    const first = await pidOf('ok');
    expect(await pidOf('ok')).toBe(first);
    const [a, b] = await Promise.all([pidOf('sleep', 200), pidOf('sleep', 200)]);
    expect(a).not.toBe(b);
    expect(pool.size).toBe(2);
  });

  it('a thrown error comes back as the function error, logged like Lambda', async () => {
    const outcome = await pool.invoke({ action: 'throw' }, 'req-throw');
    expect(outcome).toEqual({ kind: 'error', error: expect.objectContaining({ errorType: 'TypeError', errorMessage: 'asked to throw' }) });
    expect(messagesFor('req-throw').some((m) => /\tERROR\tInvoke Error /.test(m))).toBe(true);
  });

  it('a timeout ends the invocation and its container; a crash is reported; the pool carries on', async () => {
    const timedOut = await pool.invoke({ action: 'sleep', ms: 60_000 }, 'req-slow');
    expect(timedOut.kind).toBe('timeout');
    expect(messagesFor('req-slow').some((m) => /Task timed out after 1\.50 seconds/.test(m))).toBe(true);
    const crashed = await pool.invoke({ action: 'exit' }, 'req-exit');
    expect(crashed.kind).toBe('crash');
    expect((await pool.invoke({ action: 'ok' })).kind).toBe('result');
  });
});
