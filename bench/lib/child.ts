/**
 * Child processes of the bench: workers (plain JavaScript, so no TypeScript loader sits in the
 * timings) whose stdout is a pipe we drain and count, as Lambda's log collector drains a
 * function's stdout, and helper services (sink, collector) forked with tsx and an IPC channel.
 */
import { execFileSync, fork, spawn, type ChildProcess } from 'node:child_process';
import { closeSync, constants, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

/**
 * Written by a worker on its own stdout between phases (`<MARK>phase\n`), so the bytes the
 * function wrote are counted per phase on the reading side, where Lambda counts them.
 */
export const PHASE_MARK = '\u001eBENCH-PHASE:';
const MARK = Buffer.from(PHASE_MARK);

export interface PhaseOutput {
  bytes: number;
  lines: number;
  /** The first line written in the phase (at most 8 KiB), to show what the mode writes. */
  firstLine?: string;
}

/** Counts stdout bytes and lines per phase, splitting on the workers' phase marks. */
export class PhaseCounter {
  readonly phases: Record<string, PhaseOutput> = {};
  private phase = 'start';
  private carry: Buffer = Buffer.alloc(0);
  private lineStart: Buffer[] | undefined = [];

  push(chunk: Buffer): void {
    let buf = this.carry.length > 0 ? Buffer.concat([this.carry, chunk]) : chunk;
    this.carry = Buffer.alloc(0);
    for (;;) {
      const at = buf.indexOf(MARK);
      if (at === -1) break;
      const end = buf.indexOf(0x0a, at + MARK.length);
      if (end === -1) {
        this.count(buf.subarray(0, at));
        this.carry = Buffer.from(buf.subarray(at));
        return;
      }
      this.count(buf.subarray(0, at));
      this.phase = buf.toString('utf8', at + MARK.length, end);
      this.lineStart = [];
      buf = buf.subarray(end + 1);
    }
    // The tail may hold the start of a mark cut by the chunk boundary: keep it for the next chunk.
    const keep = Math.min(buf.length, MARK.length - 1);
    this.count(buf.subarray(0, buf.length - keep));
    this.carry = Buffer.from(buf.subarray(buf.length - keep));
  }

  end(): void {
    this.count(this.carry);
    this.carry = Buffer.alloc(0);
  }

  private count(part: Buffer): void {
    if (part.length === 0) return;
    const out = (this.phases[this.phase] ??= { bytes: 0, lines: 0 });
    out.bytes += part.length;
    for (let i = part.indexOf(0x0a); i !== -1; i = part.indexOf(0x0a, i + 1)) out.lines++;
    if (this.lineStart !== undefined) {
      const newline = part.indexOf(0x0a);
      this.lineStart.push(newline === -1 ? part : part.subarray(0, newline));
      const text = Buffer.concat(this.lineStart);
      if (newline !== -1 || text.length >= 8192) {
        out.firstLine = text.toString('utf8', 0, Math.min(text.length, 8192));
        this.lineStart = undefined;
      }
    }
  }
}

export interface WorkerRun<R> {
  result: R;
  stdout: Record<string, PhaseOutput>;
  /** Lines the worker printed on stderr (warnings, the peers' own notices). */
  stderrLines: string[];
}

export interface WorkerOptions {
  env: Record<string, string>;
  nodeArgs?: string[];
  /** Messages from the worker (over IPC); the answer, if any, is sent back. */
  onMessage?: (message: unknown) => Promise<unknown> | unknown;
}

/**
 * Runs a plain-JavaScript worker in a fresh Node process with a clean environment (PATH plus
 * `env`, as Lambda gives a function only its own variables). The worker writes its figures as
 * JSON to BENCH_RESULT_FILE, because its stdout is the thing being measured.
 *
 * The worker's stdout is a real pipe (a FIFO), as a function's is: Node's own `stdio: 'pipe'` is
 * a UNIX socket, on which the function's emitter would take another path (it reopens a pipe
 * blocking; a socket stays non-blocking and sonic-boom sleeps 100 ms on EAGAIN).
 */
export async function runWorker<R>(script: string, options: WorkerOptions): Promise<WorkerRun<R>> {
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-worker-'));
  const resultFile = path.join(dir, 'result.json');
  const fifo = path.join(dir, 'stdout');
  execFileSync('mkfifo', [fifo]);
  // Read end first (non-blocking open succeeds with no writer), then the worker's write end.
  const readFd = openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK);
  const writeFd = openSync(fifo, constants.O_WRONLY);
  try {
    const stdout = new Socket({ fd: readFd, readable: true, writable: false });
    const counter = new PhaseCounter();
    stdout.on('data', (chunk: Buffer) => counter.push(chunk));
    const drained = new Promise<void>((resolve) => stdout.once('close', () => resolve()));
    let child: ChildProcess;
    try {
      child = spawn(process.execPath, [...(options.nodeArgs ?? []), script], {
        env: { PATH: process.env.PATH ?? '', ...options.env, BENCH_RESULT_FILE: resultFile },
        stdio: ['ignore', writeFd, 'pipe', 'ipc'],
      });
    } finally {
      closeSync(writeFd); // the worker holds the only write end: its exit ends our read
    }
    let stderr = '';
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('message', (message) => {
      void Promise.resolve(options.onMessage?.(message)).then((answer) => {
        if (answer !== undefined && child.connected) child.send(answer as object);
      });
    });
    const [code, signal] = await exitOf(child);
    await drained;
    counter.end();
    if (code !== 0) throw new Error(`worker ${path.basename(script)} exited ${code ?? signal}: ${stderr.slice(-3000)}`);
    return {
      result: JSON.parse(readFileSync(resultFile, 'utf8')) as R,
      stdout: counter.phases,
      stderrLines: stderr.split('\n').filter((line) => line.trim() !== ''),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function exitOf(child: ChildProcess): Promise<[number | null, NodeJS.Signals | null]> {
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => resolve([code, signal]));
  });
}

/** A helper service in another process (TypeScript through tsx), talking over IPC. */
export interface Service {
  port: number;
  request<T>(message: { type: string }): Promise<T>;
  stop(): Promise<void>;
}

/** Forks a service that sends `{ type: 'ready', port }` once it listens on 127.0.0.1. */
export async function startService(script: string, env: Record<string, string> = {}): Promise<Service> {
  const child = fork(script, [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    const onExit = (code: number | null) => reject(new Error(`${path.basename(script)} exited ${code} before it was ready`));
    child.once('exit', onExit);
    child.once('error', reject);
    child.once('message', (message: { type?: string; port?: number }) => {
      child.off('exit', onExit);
      if (message.type === 'ready' && typeof message.port === 'number') resolve(message.port);
      else reject(new Error(`${path.basename(script)}: unexpected first message ${JSON.stringify(message)}`));
    });
  });
  let pending = Promise.resolve<unknown>(undefined);
  return {
    port,
    // One request at a time: each answer is the next message.
    request<T>(message: { type: string }): Promise<T> {
      const next = pending.then(
        () =>
          new Promise<T>((resolve, reject) => {
            child.once('message', (answer) => resolve(answer as T));
            child.send(message, (error) => error && reject(error));
          }),
      );
      pending = next.catch(() => undefined);
      return next;
    },
    async stop() {
      if (child.exitCode !== null) return;
      const exited = exitOf(child);
      child.kill('SIGTERM');
      await exited;
    },
  };
}
