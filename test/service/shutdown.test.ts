import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { startCollector, type RunningCollector } from '../../src/collector/server';

describe('service process: graceful shutdown', () => {
  let collector: RunningCollector;
  let slowFunction: Server;
  let functionUrl: string;
  // The function holds its answers until the test releases them: a request is in flight for sure
  // when the signal is sent, with no sleep guessing how long that takes.
  const held: Array<() => void> = [];
  let onCall: (() => void) | undefined;

  beforeAll(async () => {
    collector = await startCollector({ port: 0, dbPath: ':memory:' });
    slowFunction = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        held.push(() => res.end('{}'));
        onCall?.();
      });
    });
    await new Promise<void>((resolve) => slowFunction.listen(0, '127.0.0.1', resolve));
    functionUrl = `http://127.0.0.1:${(slowFunction.address() as AddressInfo).port}/`;
  });

  afterAll(async () => {
    slowFunction.closeAllConnections();
    await new Promise((resolve) => slowFunction.close(resolve));
    await collector.close();
  });

  it('on SIGTERM: finishes the request in flight, flushes its spans, exits 0; the token is never printed', async () => {
    const token = 'secret-token-must-not-appear';
    const child = spawn(process.execPath, ['--import', pathToFileURL(require.resolve('tsx')).href, path.join(__dirname, '../../src/service/main.ts')], {
      env: {
        ...process.env,
        PORT: '0',
        LAMBDA_URL: functionUrl,
        COLLECTOR_PORT: String(collector.port),
        // A token without LIGHTSTEP_COLLECTOR_HOST keeps the embedded collector as the target.
        LIGHTSTEP_ACCESS_TOKEN: token,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

    // The service logs its URL once listening (port 0 → a free port).
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setInterval(() => {
        const match = /"url":"(http:\/\/127\.0\.0\.1:\d+)"/.exec(output);
        if (match) {
          clearInterval(timer);
          resolve(match[1]);
        }
      }, 20);
      void exited.then((code) => {
        clearInterval(timer);
        reject(new Error(`service exited early (${code}): ${output}`));
      });
    });

    const bothCallsArrived = new Promise<void>((resolve) => (onCall = () => held.length === 2 && resolve()));
    const inFlight = fetch(`${url}/ot-gen?count=2`);
    await bothCallsArrived;
    child.kill('SIGTERM');
    // The signal is handled while /ot-gen still waits for the function; then the function answers.
    await new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        if (output.includes('shutting down')) {
          clearInterval(timer);
          resolve();
        }
      }, 10);
    });
    for (const release of held.splice(0)) release();
    const response = await inFlight;
    expect(response.status).toBe(200);
    const body = (await response.json()) as { traceId: string };
    expect(await exited).toBe(0);
    expect(collector.store.getTrace(body.traceId).map((s) => s.operation).sort()).toEqual(['router', 'service-egress', 'service-egress']);
    // New connections are refused once it stopped.
    await expect(fetch(`${url}/ot-gen?count=1`)).rejects.toThrow();
    expect(output).toContain('shutting down');
    expect(output).not.toContain(token);
  });
});
