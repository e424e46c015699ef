import { PassThrough } from 'node:stream';
import type { CliIo } from '../../src/cli/cli-io';

export interface TestIo {
  io: CliIo;
  stdin: PassThrough & { isTTY?: boolean };
  out(): string;
  err(): string;
  abort(): void;
}

/** A CLI's process surroundings, in memory: stdin to write to, stdout/stderr captured. */
export function testIo(options: { stdinTTY?: boolean; stdoutTTY?: boolean; stderrTTY?: boolean; env?: NodeJS.ProcessEnv; stdin?: string } = {}): TestIo {
  const stdin = new PassThrough() as PassThrough & { isTTY?: boolean };
  if (options.stdinTTY) stdin.isTTY = true;
  if (options.stdin !== undefined) stdin.end(options.stdin);
  let out = '';
  let err = '';
  const controller = new AbortController();
  return {
    io: {
      stdin,
      stdout: { write: (text: string) => (out += text), isTTY: options.stdoutTTY },
      stderr: { write: (text: string) => (err += text), isTTY: options.stderrTTY },
      env: options.env ?? {},
      signal: controller.signal,
    },
    stdin,
    out: () => out,
    err: () => err,
    abort: () => controller.abort(),
  };
}

/** Resolves once `probe` holds, polling; fails after `ms`. */
export async function eventually(probe: () => boolean, ms = 5000): Promise<void> {
  const until = Date.now() + ms;
  while (!probe()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

export const ANSI = /\x1b\[/;
