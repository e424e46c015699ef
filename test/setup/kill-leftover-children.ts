import childProcess, { type ChildProcess } from 'node:child_process';

// Every child a test file spawns is killed when the file ends: a test that fails between spawn
// and exit (an assertion, a timeout) must not leave a server or a function container running
// into the next file, holding a port or the CPU.
const alive = new Set<ChildProcess>();
const realSpawn = childProcess.spawn;

childProcess.spawn = function trackedSpawn(this: unknown, ...args: unknown[]): ChildProcess {
  const child = (realSpawn as (...a: unknown[]) => ChildProcess).apply(this, args);
  alive.add(child);
  child.once('exit', () => alive.delete(child));
  return child;
} as typeof childProcess.spawn;

afterAll(() => {
  for (const child of alive) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
  alive.clear();
});
