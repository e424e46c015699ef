import * as os from 'node:os';

const started = Date.now();

/** One progress line on stderr (stdout carries only the tables). */
export function progress(message: string): void {
  const seconds = ((Date.now() - started) / 1000).toFixed(1).padStart(6);
  process.stderr.write(`[bench ${seconds}s load ${os.loadavg()[0].toFixed(2)}] ${message}\n`);
}
