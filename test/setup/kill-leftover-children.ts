import childProcess, { type ChildProcess } from 'node:child_process';

// Every child a test file spawns is killed when the file ends: a test that fails between spawn
// and exit (an assertion, a timeout) must not leave a server or a function container running
// into the next file, holding a port or the CPU.
//
// This file runs once per test file, but node:child_process is one module for the whole jest
// process: spawn is wrapped once (else each file would wrap the last wrapper, and every child
// would collect one 'exit' listener per file run so far).
const TRACKED = Symbol.for('lambda-log-tracing.test.spawnedChildren');
type Tracked = typeof globalThis & { [TRACKED]?: Set<ChildProcess> };

function spawnedChildren(): Set<ChildProcess> {
  const store = globalThis as Tracked;
  const existing = (childProcess as unknown as Tracked)[TRACKED] ?? store[TRACKED];
  if (existing) return existing;
  const alive = new Set<ChildProcess>();
  const realSpawn = childProcess.spawn;
  childProcess.spawn = function trackedSpawn(this: unknown, ...args: unknown[]): ChildProcess {
    const child = (realSpawn as (...a: unknown[]) => ChildProcess).apply(this, args);
    alive.add(child);
    child.once('exit', () => alive.delete(child));
    return child;
  } as typeof childProcess.spawn;
  // Kept on the module object itself: jest gives each test file a fresh global, not a fresh core module.
  (childProcess as unknown as Tracked)[TRACKED] = alive;
  return alive;
}

const alive = spawnedChildren();

afterAll(() => {
  for (const child of alive) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
  alive.clear();
});
