// `npm run collector` as a process: the port from COLLECTOR_PORT, a clear error when it is taken,
// a clean stop on SIGTERM.
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');

function run(env: Record<string, string>) {
  const child = spawn(TSX, ['src/collector/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, COLLECTOR_DB: ':memory:', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, output: () => ({ stdout, stderr }) };
}

function listenOnFreePort(): Promise<Server> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

describe('collector main', () => {
  it('fails clearly when COLLECTOR_PORT is taken', async () => {
    const blocker = await listenOnFreePort();
    const port = (blocker.address() as { port: number }).port;
    try {
      const proc = run({ COLLECTOR_PORT: String(port) });
      expect(await proc.exited).toBe(1);
      expect(proc.output().stderr).toContain(`port ${port} on 127.0.0.1 is already in use; set COLLECTOR_PORT`);
    } finally {
      blocker.close();
    }
  });

  it('rejects a COLLECTOR_PORT that is not a port number', async () => {
    const proc = run({ COLLECTOR_PORT: 'eighty' });
    expect(await proc.exited).toBe(1);
    expect(proc.output().stderr).toMatch(/COLLECTOR_PORT must be a port number/);
  });

  it('prints its URL, serves, and exits 0 on SIGTERM', async () => {
    const probe = await listenOnFreePort();
    const port = (probe.address() as { port: number }).port;
    await new Promise((r) => probe.close(r));

    const proc = run({ COLLECTOR_PORT: String(port) });
    const url = `http://127.0.0.1:${port}`;
    await new Promise<void>((resolve, reject) => {
      proc.child.stdout.on('data', () => {
        if (proc.output().stdout.includes(url)) resolve();
      });
      proc.exited.then(() => reject(new Error(`exited early: ${proc.output().stderr}`)));
    });
    const res = await fetch(`${url}/api/traces`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ traces: [] });

    proc.child.kill('SIGTERM');
    expect(await proc.exited).toBe(0);
  });
});
