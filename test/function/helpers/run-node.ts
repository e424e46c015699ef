import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

export const REPO_ROOT = resolve(__dirname, '../../..');

export interface NodeRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs a TypeScript file in a fresh `node --import tsx` process (a cold Lambda container, locally). */
export function runTs(
  file: string,
  args: string[] = [],
  env: Record<string, string | undefined> = {},
  input?: string,
): Promise<NodeRun> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['--import', 'tsx', resolve(REPO_ROOT, file), ...args], {
      cwd: REPO_ROOT,
      env: { ...process.env, ...env },
      stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    if (input !== undefined) child.stdin!.end(input);
    let stdout = '';
    let stderr = '';
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', fail);
    child.on('close', (code, signal) => done({ code, signal, stdout, stderr }));
  });
}

/** The env a child needs for a clean log-mode run, without anything the parent happened to have. */
export const LOG_MODE_ENV = {
  TRACE_REPORTING: undefined,
  COMPONENT_NAME: undefined,
  LIGHTSTEP_ACCESS_TOKEN: undefined,
};
