import { spawn } from 'node:child_process';
import * as http from 'node:http';
import * as net from 'node:net';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { KeptAliveSockets, postBody, type PostBody, type PostResult, type PostTarget } from '../../src/common/http-post';
import { recordClientSockets } from './client-sockets';

// postBody and its kept-alive sockets against real servers on 127.0.0.1: Node's http server
// (Content-Length, chunked, 100 Continue, Connection: close, an early 413) and raw sockets
// that answer what no HTTP server would.

const SECRET = 'secret-header-value-0123456789';

interface Server {
  http: http.Server;
  port: number;
  requests: Array<{ method: string; url: string; headers: http.IncomingHttpHeaders; body: Buffer }>;
  connections: number;
  close(): Promise<void>;
}

async function httpServer(answer: (req: http.IncomingMessage, res: http.ServerResponse) => void, onRequestStart?: (req: http.IncomingMessage, res: http.ServerResponse) => boolean): Promise<Server> {
  const state = { port: 0, requests: [], connections: 0, close: async () => undefined } as unknown as Server;
  const server = http.createServer((req, res) => {
    if (onRequestStart?.(req, res)) return;
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      state.requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) });
      answer(req, res);
    });
  });
  state.http = server;
  server.on('connection', () => state.connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.port = (server.address() as AddressInfo).port;
  state.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return state;
}

/** A TCP server that answers every connection's first bytes with `reply` (then does what `after` says). */
async function rawServer(reply: string, after: 'keep' | 'close' = 'keep'): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.once('data', () => {
      socket.write(reply);
      if (after === 'close') socket.end();
    });
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Waits until the pool's one idle socket closes, and checks the pool let it go. */
async function idleSocketDropped(sockets: KeptAliveSockets): Promise<void> {
  const [idle] = sockets.idleSockets();
  expect(idle).toBeDefined();
  await new Promise<void>((resolve) => idle.once('close', () => resolve()));
  expect(sockets.idleSockets()).toHaveLength(0);
}

describe('postBody', () => {
  const cleanup: Array<() => unknown> = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });
  const poolFor = (port: number): { target: PostTarget; sockets: KeptAliveSockets } => {
    const target = { tls: false, host: '127.0.0.1', port, path: '/v1/things?key=1' };
    const sockets = new KeptAliveSockets(target);
    cleanup.push(() => sockets.close());
    return { target, sockets };
  };
  const post = (target: PostTarget, sockets: KeptAliveSockets, body: PostBody = Buffer.from('the body'), headers: Record<string, string | number> = { 'X-Key': SECRET }, timeoutMs = 5000): Promise<PostResult> =>
    new Promise((resolve) => postBody(target, sockets, headers, body, timeoutMs, resolve));

  it('sends the request Node would (line, Host, headers, Content-Length, body) and reads the answer', async () => {
    const server = await httpServer((_req, res) => res.writeHead(202, 'Taken', { 'X-Answer': 'yes' }).end('answer body'));
    cleanup.push(() => server.close());
    const { target, sockets } = poolFor(server.port);
    const result = await post(target, sockets, Buffer.from('hello'), { 'User-Agent': 'test-agent', 'X-Key': SECRET, 'Content-Type': 'application/x-protobuf' });
    expect(result).toMatchObject({ ok: true, statusCode: 202, statusMessage: 'Taken', headers: { 'x-answer': 'yes' } });
    expect(result.ok && result.body.toString()).toBe('answer body');
    const [request] = server.requests;
    expect(request).toMatchObject({ method: 'POST', url: '/v1/things?key=1' });
    expect(request.body.toString()).toBe('hello');
    expect(request.headers).toMatchObject({
      host: `127.0.0.1:${server.port}`,
      'user-agent': 'test-agent',
      'x-key': SECRET,
      'content-type': 'application/x-protobuf',
      'content-length': '5',
      connection: 'keep-alive',
    });
  });

  it('sends a body of several buffers as one, its Content-Length their sum (a report: header, then the spans)', async () => {
    const server = await httpServer((_req, res) => res.writeHead(200).end());
    cleanup.push(() => server.close());
    const { target, sockets } = poolFor(server.port);
    const parts = [Buffer.from('head|'), Buffer.alloc(0), Buffer.alloc(70_000, 'x'), Buffer.from('|tail')];
    expect((await post(target, sockets, parts)).ok).toBe(true);
    expect((await post(target, sockets, [])).ok).toBe(true);
    expect(server.requests.map((r) => r.headers['content-length'])).toEqual(['70010', '0']);
    expect(server.requests[0].body.equals(Buffer.concat(parts))).toBe(true);
    expect(server.connections).toBe(1);
  });

  it('carries request after request on one kept-alive socket: chunked answers, a 100 Continue first, an empty 200', async () => {
    let n = 0;
    const server = await httpServer((_req, res) => {
      const kind = n++ % 3;
      if (kind === 0) {
        res.writeHead(200, { 'Content-Type': 'text/plain' }); // no length: chunked
        res.write('chun');
        setTimeout(() => res.end('ked'), 5);
      } else if (kind === 1) {
        res.writeContinue();
        res.writeHead(200, { 'Content-Length': 3 }).end('yes');
      } else res.writeHead(200).end();
    });
    cleanup.push(() => server.close());
    const { target, sockets } = poolFor(server.port);
    const bodies: string[] = [];
    for (let i = 0; i < 6; i++) {
      const result = await post(target, sockets, Buffer.alloc(100_000 * (i % 2), 7));
      expect(result.ok && result.statusCode).toBe(200);
      if (result.ok) bodies.push(result.body.toString());
    }
    expect(bodies).toEqual(['chunked', 'yes', '', 'chunked', 'yes', '']);
    expect(server.connections).toBe(1);
    expect(server.requests.map((r) => r.body.length)).toEqual([0, 100_000, 0, 100_000, 0, 100_000]);
    expect(sockets.idleSockets()).toHaveLength(1);
  });

  it('opens a new socket after an answer with Connection: close, and after an early 413 that left the body unread', async () => {
    let n = 0;
    const server = await httpServer(
      (_req, res) => res.writeHead(200, n++ === 0 ? { Connection: 'close' } : {}).end('ok'),
      (req, res) => {
        if (req.headers['x-early'] === undefined) return false;
        res.writeHead(413, 'Too Large', { Connection: 'close' }).end(); // answers before reading the 4 MB
        return true;
      },
    );
    cleanup.push(() => server.close());
    const { target, sockets } = poolFor(server.port);
    expect((await post(target, sockets)).ok).toBe(true);
    expect((await post(target, sockets)).ok).toBe(true);
    const early = await post(target, sockets, Buffer.alloc(4 * 1024 * 1024), { 'X-Early': 1 });
    // Either the 413, or (if the server's close beat our write) a reset: never a hang, never a reused socket.
    if (early.ok) expect(early.statusCode).toBe(413);
    else expect(['ECONNRESET', 'EPIPE']).toContain(early.error.code);
    expect((await post(target, sockets)).ok).toBe(true);
    expect(server.connections).toBe(3);
  });

  it('two posts at once take two sockets; both go back to the pool', async () => {
    const server = await httpServer((_req, res) => setTimeout(() => res.writeHead(200).end('late'), 20));
    cleanup.push(() => server.close());
    const { target, sockets } = poolFor(server.port);
    const results = await Promise.all([post(target, sockets), post(target, sockets)]);
    expect(results.map((r) => r.ok)).toEqual([true, true]);
    expect(server.connections).toBe(2);
    expect(sockets.idleSockets()).toHaveLength(2);
  });

  it('drops an idle socket the server closes (its keep-alive timeout), and the next post connects anew without an error', async () => {
    const server = await httpServer((_req, res) => res.writeHead(200).end());
    cleanup.push(() => server.close());
    server.http.keepAliveTimeout = 100;
    const { target, sockets } = poolFor(server.port);
    expect((await post(target, sockets)).ok).toBe(true);
    await idleSocketDropped(sockets);
    expect((await post(target, sockets)).ok).toBe(true);
    expect(server.connections).toBe(2);
  });

  it('drops an idle socket the server resets or writes stray bytes to (no uncaught error)', async () => {
    let n = 0;
    const server = await httpServer((req, res) => {
      const kind = n++;
      res.writeHead(200).end();
      setTimeout(() => (kind === 0 ? req.socket.resetAndDestroy() : req.socket.write('HTTP/1.1 200 OK\r\n\r\n')), 30);
    });
    cleanup.push(() => server.close());
    server.http.keepAliveTimeout = 60_000; // only the pool ends these connections
    const { target, sockets } = poolFor(server.port);
    for (let i = 0; i < 2; i++) {
      expect((await post(target, sockets)).ok).toBe(true);
      await idleSocketDropped(sockets);
    }
    expect((await post(target, sockets)).ok).toBe(true);
    expect(server.connections).toBe(3);
  });

  it('a socket that died unseen (a Lambda thaw) fails as stale: reused and nothing answered', async () => {
    let first = true;
    const server = await httpServer((req, res) => {
      if (!first) return void req.socket.destroy(); // plays the server's close the frozen client never saw
      first = false;
      res.writeHead(200).end();
    });
    cleanup.push(() => server.close());
    const { target, sockets } = poolFor(server.port);
    expect((await post(target, sockets)).ok).toBe(true);
    const stale = await post(target, sockets);
    expect(stale).toMatchObject({ ok: false, staleSocket: true });
    // On a fresh socket the same failure is not stale: a resend would not help.
    const freshSockets = new KeptAliveSockets(target);
    cleanup.push(() => freshSockets.close());
    const fresh = await post(target, freshSockets);
    expect(fresh).toMatchObject({ ok: false, staleSocket: false, error: { code: 'ECONNRESET' } });
  });

  it.each([
    ['a value with a newline', { 'X-Key': `${SECRET}\r\nX-Injected: 1` }, 'ERR_INVALID_CHAR'],
    ['a value past latin1', { 'X-Key': `${SECRET}\u20ac` }, 'ERR_INVALID_CHAR'],
    ['a name with a space', { 'X Key': SECRET }, 'ERR_INVALID_HTTP_TOKEN'],
  ])('refuses %s before connecting, with the code only', async (_what, headers, code) => {
    const recorded = recordClientSockets();
    cleanup.push(() => recorded.stop());
    const { target, sockets } = poolFor(1); // nothing is ever sent
    const result = await post(target, sockets, Buffer.from('x'), headers);
    expect(result).toMatchObject({ ok: false, staleSocket: false, error: { code } });
    expect(!result.ok && result.error.message).toBe(`the request could not be built (${code})`);
    expect(recorded.sockets).toHaveLength(0);
  });

  it('an answer that is not HTTP fails with the parser code, quoting none of it; the socket is not kept', async () => {
    const server = await rawServer(`SSH-2.0-${SECRET}\r\n\r\n`);
    cleanup.push(() => server.close());
    const { target, sockets } = poolFor(server.port);
    const result = await post(target, sockets);
    expect(result).toMatchObject({ ok: false, staleSocket: false, error: { code: 'HPE_INVALID_CONSTANT' } });
    expect(JSON.stringify(!result.ok && { message: result.error.message })).not.toContain(SECRET);
    expect(sockets.idleSockets()).toHaveLength(0);
  });

  it('an answer cut short by the close is a hang-up; one framed by the close is complete and not kept', async () => {
    const cut = await rawServer('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc', 'close');
    cleanup.push(() => cut.close());
    const a = poolFor(cut.port);
    expect(await post(a.target, a.sockets)).toMatchObject({ ok: false, error: { code: 'ECONNRESET', message: 'socket hang up' } });
    const toClose = await rawServer('HTTP/1.1 200 OK\r\n\r\nuntil the close', 'close');
    cleanup.push(() => toClose.close());
    const b = poolFor(toClose.port);
    const result = await post(b.target, b.sockets);
    expect(result.ok && result.body.toString()).toBe('until the close');
    expect(b.sockets.idleSockets()).toHaveLength(0);
  });

  it('a body framed by the close is not complete when the socket is destroyed on our side (close() mid-answer)', async () => {
    const server = await rawServer('HTTP/1.1 200 OK\r\n\r\npart of it', 'keep');
    cleanup.push(() => server.close());
    const { target, sockets } = poolFor(server.port);
    const pending = post(target, sockets);
    await new Promise((resolve) => setTimeout(resolve, 100)); // the head and part of the body have arrived
    sockets.close();
    expect(await pending).toMatchObject({ ok: false, error: { code: 'ECONNRESET' } });
  });

  it('gives up at the deadline on a server that never answers (ETIMEDOUT) and closes that socket', async () => {
    const silent = await httpServer(() => undefined);
    cleanup.push(() => silent.close());
    const { target, sockets } = poolFor(silent.port);
    const started = Date.now();
    const result = await post(target, sockets, Buffer.from('x'), {}, 150);
    expect(result).toMatchObject({ ok: false, error: { code: 'ETIMEDOUT', message: 'no answer within 150 ms' } });
    expect(Date.now() - started).toBeLessThan(2000);
    expect(sockets.idleSockets()).toHaveLength(0);
  });

  it('close() fails a post in flight and leaves no socket behind', async () => {
    const silent = await httpServer(() => undefined);
    cleanup.push(() => silent.close());
    const { target, sockets } = poolFor(silent.port);
    const pending = post(target, sockets);
    await new Promise((resolve) => setTimeout(resolve, 50));
    sockets.close();
    const result = await pending;
    expect(result.ok).toBe(false);
    expect(sockets.idleSockets()).toHaveLength(0);
  });

  it('a port net.connect refuses at once (out of range) is an error in the callback, never a throw', async () => {
    const { target, sockets } = poolFor(70_000);
    const result = await post(target, sockets);
    expect(result).toMatchObject({ ok: false, staleSocket: false, error: { code: 'ERR_SOCKET_BAD_PORT' } });
  });

  it('sends one header for names differing only in case: the last value, as setHeader', async () => {
    const server = await httpServer((_req, res) => res.writeHead(200).end());
    cleanup.push(() => server.close());
    const { target, sockets } = poolFor(server.port);
    expect((await post(target, sockets, Buffer.from('x'), { 'user-agent': 'mine', 'X-Key': SECRET, 'User-Agent': 'ours' })).ok).toBe(true);
    // Node's server keeps the first of a repeated User-Agent: 'ours' arrives only if it went alone.
    expect(server.requests[0].headers['user-agent']).toBe('ours');
  });

  it('after a stale failure the other idle sockets go too: the resend connects anew (every socket of the pool died in the freeze)', async () => {
    const seen = new Set<unknown>();
    let killing = false;
    const server = await httpServer((req, res) => {
      if (killing && seen.has(req.socket)) return void req.socket.destroy();
      seen.add(req.socket);
      res.writeHead(200).end();
    });
    cleanup.push(() => server.close());
    const { target, sockets } = poolFor(server.port);
    await Promise.all([post(target, sockets), post(target, sockets)]); // two sockets kept alive
    expect(sockets.idleSockets()).toHaveLength(2);
    killing = true;
    const stale = await post(target, sockets);
    expect(stale).toMatchObject({ ok: false, staleSocket: true });
    expect(sockets.idleSockets()).toHaveLength(0);
    expect((await post(target, sockets)).ok).toBe(true); // the resend: a fresh socket, answered
    expect(server.connections).toBe(3);
  });

  it('an unreachable port fails with the network code, naming the address', async () => {
    const gone = await httpServer(() => undefined);
    await gone.close();
    const { target, sockets } = poolFor(gone.port);
    const result = await post(target, sockets);
    expect(result).toMatchObject({ ok: false, staleSocket: false, error: { code: 'ECONNREFUSED' } });
    expect(!result.ok && result.error.message).toContain(`connect ECONNREFUSED 127.0.0.1:${gone.port}`);
  });

  it('kept-alive idle sockets do not hold the process open (a Lambda handler or a CLI exits when done)', async () => {
    const server = await httpServer((_req, res) => res.writeHead(200).end('ok'));
    cleanup.push(() => server.close());
    server.http.keepAliveTimeout = 60_000; // the server would keep the connection open all that time
    const script = [
      `const { KeptAliveSockets, postBody } = require(${JSON.stringify(path.join(__dirname, '../../src/common/http-post.ts'))});`,
      `const target = { tls: false, host: '127.0.0.1', port: ${server.port}, path: '/' };`,
      `postBody(target, new KeptAliveSockets(target), {}, Buffer.from('x'), 5000, (r) => console.log(r.ok ? 'answered' : r.error.code));`,
    ].join('\n');
    const child = spawn(process.execPath, ['--import', 'tsx', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    const exited = await new Promise<number | null>((resolve) => {
      const timer = setTimeout(() => {
        child.kill();
        resolve(null);
      }, 15_000);
      child.on('exit', (code) => {
        clearTimeout(timer);
        resolve(code);
      });
    });
    expect(out.trim()).toBe('answered');
    expect(exited).toBe(0); // null: still running 15 s later, held open by the idle socket
    expect(server.connections).toBe(1);
  }, 30_000);
});
