import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PassThrough } from 'node:stream';
import { pinoHttp } from 'pino-http';
import { createStartLogger } from '../../src/local/start-logger';

/** One real request through pino-http (what the service logs with) into npm start's logger. */
async function requestLog(isTTY: boolean, env: NodeJS.ProcessEnv, waitMs = 5000): Promise<string> {
  const output = Object.assign(new PassThrough(), { isTTY });
  let text = '';
  output.on('data', (chunk) => (text += chunk));
  const logRequest = pinoHttp({ logger: createStartLogger(env, output) });
  const server: Server = createServer((req, res) => {
    logRequest(req, res);
    res.statusCode = 200;
    res.end('ok');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const { port } = server.address() as AddressInfo;
    await fetch(`http://127.0.0.1:${port}/ot-gen?count=3`).then((r) => r.text());
    const until = Date.now() + waitMs;
    while (!text.includes('\n') && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 10));
    return text;
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

describe("npm start's request logs", () => {
  it('are one readable line each on a terminal, coloured unless NO_COLOR', async () => {
    const coloured = await requestLog(true, {});
    expect(coloured).toMatch(/\x1b\[\d+m/);
    const plain = coloured.replace(/\x1b\[\d+m/g, '');
    expect(plain).toMatch(/^\[\d{2}:\d{2}:\d{2}\.\d{3}\] INFO: GET \/ot-gen\?count=3 → 200 in \d+ ms\n$/);
    const noColor = await requestLog(true, { NO_COLOR: '1' });
    expect(noColor).not.toMatch(/\x1b\[/);
    expect(noColor).toMatch(/^\[\d{2}:\d{2}:\d{2}\.\d{3}\] INFO: GET \/ot-gen\?count=3 → 200 in \d+ ms\n$/);
  });

  it('are JSON lines anywhere else (a pipe, a file)', async () => {
    const text = await requestLog(false, {});
    const entry = JSON.parse(text.trim());
    expect(entry).toMatchObject({ level: 30, msg: 'request completed', req: { method: 'GET', url: '/ot-gen?count=3' }, res: { statusCode: 200 } });
    expect(typeof entry.responseTime).toBe('number');
  });

  it('honour LOG_LEVEL', async () => {
    expect(await requestLog(false, { LOG_LEVEL: 'warn' }, 300)).toBe('');
    expect(await requestLog(false, { LOG_LEVEL: 'info' })).not.toBe('');
  });
});
