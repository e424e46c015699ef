import { UsageError } from './command-line';

/** What a CLI touches of the process, so tests run it in-process with their own streams. */
export interface CliIo {
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  stdout: Writable;
  stderr: Writable;
  env: NodeJS.ProcessEnv;
  /** Aborts on Ctrl-C: the command stops reading, prints what it has and its summary. */
  signal: AbortSignal;
}

export interface Writable {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

/**
 * Runs a CLI as the process: Ctrl-C aborts it gracefully (a second one exits at once); a usage
 * error exits 2, any other error `failureCode`, each as one `<name>: <message>` line on stderr. The exit waits
 * for stdout to drain (a pipe is asynchronous).
 */
export function runAsProcess(name: string, command: (argv: string[], io: CliIo) => Promise<number>, failureCode = 1): void {
  const controller = new AbortController();
  process.on('SIGINT', () => {
    if (controller.signal.aborted) process.exit(130);
    controller.abort();
  });
  const io: CliIo = { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env, signal: controller.signal };
  command(process.argv.slice(2), io).then(
    (code) => exitAfterOutput(code),
    (error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      process.stderr.write(`${name}: ${message}\n`);
      exitAfterOutput(error instanceof UsageError ? 2 : failureCode);
    },
  );
}

function exitAfterOutput(code: number): void {
  process.stdout.write('', () => process.exit(code));
}
