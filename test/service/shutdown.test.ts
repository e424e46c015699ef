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

  beforeAll(async () => {
    collector = await startCollector({ port: 0, dbPath: ':memory:' });
    // Answers after 400 ms, so a request is still in flight when the signal arrives.
    slowFunction = createServer((req, res) => {
      req.resume();
      req.on('end', () => setTimeout(() => res.end('{}'), 400));
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

    const inFlight = fetch(`${url}/ot-gen?count=2`);
    await new Promise((resolve) => setTimeout(resolve, 150));
    child.kill('SIGTERM');
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
