import { spawn, spawnSync } from 'node:child_process';
import { createReadStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { decodeSpanLine } from '../../src/span-line';
import { REPO_ROOT } from './../function/helpers/run-node';

// Measured: once process.stdout is touched the pipe is non-blocking, and a raw fs.writeSync(1)
// threw EAGAIN behind a slow reader (160 of 200,000 lines written). The emitter must lose none,
// whether fd 1 is a pipe (the emitter reopens it blocking) or a socket (sonic-boom retries).
const FIXTURE = resolve(REPO_ROOT, 'test/function/fixtures/emit-many.ts');

interface ReadResult {
  lines: number;
  bad: number;
  firstBad: string;
  rest: string;
}

/** Reads span lines slowly at first (the pipe fills, the writer must wait), checking every line. */
function readSlowly(stream: Readable): Promise<ReadResult> {
  return new Promise((done, fail) => {
    const result: ReadResult = { lines: 0, bad: 0, firstBad: '', rest: '' };
    let chunks = 0;
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      const parts = (result.rest + chunk).split('\n');
      result.rest = parts.pop()!;
      for (const line of parts) {
        // Every line whole and in order; the full decoder on a sample keeps the reader honest but quick.
        const expected = `"tags":{"i":${result.lines}}}`;
        const intact = line.endsWith(expected) && (result.lines % 997 !== 0 || decodeSpanLine(line).ok);
        result.lines++;
        if (!intact) {
          result.bad++;
          result.firstBad ||= line;
        }
      }
      if (++chunks <= 100) {
        stream.pause();
        setTimeout(() => stream.resume(), 5);
      }
    });
    stream.on('error', fail);
    stream.on('end', () => done(result));
  });
}

function exitOf(child: ReturnType<typeof spawn>): Promise<number | null> {
  return new Promise((done) => child.on('close', (code) => done(code)));
}

/** Runs the fixture with fd 1 a real pipe (FIFO, as a log collector's would be), read slowly. */
async function throughFifo(count: number): Promise<{ code: number | null; emitted: string; mechanism: Record<string, unknown> } & ReadResult> {
  const dir = mkdtempSync(join(tmpdir(), 'emitter-'));
  const fifo = join(dir, 'stdout.fifo');
  try {
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const child = spawn('sh', ['-c', `exec "${process.execPath}" --import tsx "${FIXTURE}" > "${fifo}"`], {
      cwd: REPO_ROOT,
      env: { ...process.env, COUNT: String(count) },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const [result, code] = await Promise.all([readSlowly(createReadStream(fifo)), exitOf(child)]);
    const [mechanism, emitted] = stderr.trim().split('\n');
    return { code, emitted, mechanism: JSON.parse(mechanism) as Record<string, unknown>, ...result };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('through a pipe the writer uses a second, blocking description of it (no EAGAIN, so no 100 ms back-off)', async () => {
  const run = await throughFifo(5_000);
  expect(run).toMatchObject({ code: 0, emitted: 'emitted 5000', lines: 5_000, bad: 0 });
  // fd 1 is non-blocking (libuv made it so once process.stdout was touched); the writer's is not.
  const { writerFd, writerNonBlocking, stdoutNonBlocking } = run.mechanism;
  expect({ stdoutNonBlocking, writerIsFd1: writerFd === 1, writerNonBlocking }).toEqual({ stdoutNonBlocking: true, writerIsFd1: false, writerNonBlocking: false });
});

test('200,000 span lines reach a slow reader through a pipe intact', async () => {
  const run = await throughFifo(200_000);
  expect(run).toEqual({
    code: 0,
    emitted: 'emitted 200000',
    lines: 200_000,
    bad: 0,
    firstBad: '',
    rest: '',
    mechanism: expect.objectContaining({ writerNonBlocking: false }),
  });
});

test('50,000 span lines reach a slow reader through a socket (Node child stdio) intact', async () => {
  const count = 50_000;
  const child = spawn(process.execPath, ['--import', 'tsx', FIXTURE], {
    cwd: REPO_ROOT,
    env: { ...process.env, COUNT: String(count) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const [result, code] = await Promise.all([readSlowly(child.stdout!), exitOf(child)]);
  const [mechanism, emitted] = stderr.trim().split('\n');
  expect({ code, emitted, ...result }).toEqual({ code: 0, emitted: `emitted ${count}`, lines: count, bad: 0, firstBad: '', rest: '' });
  // A socket cannot be reopened through /proc: fd 1 as is, and sonic-boom's retries kept every line.
  expect((JSON.parse(mechanism) as { writerFd: number }).writerFd).toBe(1);
});
