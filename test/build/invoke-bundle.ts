import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Invokes a built bundle the way the Lambda Node.js runtime does, in a FRESH node process whose
 * working directory holds no node_modules: require the bundle, call `handler(event, context)`,
 * await it. stdout is the function's own (span lines); the outcome goes to a file, so nothing we
 * print can be mistaken for the function's output.
 */

const RUNNER = `'use strict';
const fs = require('node:fs');
const [bundle, eventFile, outcomeFile, functionName] = process.argv.slice(2);
const deadline = Date.now() + 10000;
const context = {
  callbackWaitsForEmptyEventLoop: true,
  functionName,
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:' + functionName,
  memoryLimitInMB: '256',
  awsRequestId: process.env.TEST_REQUEST_ID,
  logGroupName: '/aws/lambda/' + functionName,
  logStreamName: '2026/11/25/[$LATEST]0123456789abcdef',
  getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
};
const write = (outcome) => fs.writeFileSync(outcomeFile, JSON.stringify(outcome));
let mod;
try {
  mod = require(bundle);
} catch (error) {
  write({ phase: 'init', error: String(error && error.message || error) });
  process.exit(1);
}
const loaded = Object.keys(require.cache);
Promise.resolve()
  .then(() => mod.handler(JSON.parse(fs.readFileSync(eventFile, 'utf8')), context))
  .then(
    (result) => write({ phase: 'invoke', result, loaded }),
    (error) => write({ phase: 'invoke', error: String(error && error.message || error), loaded }),
  );
`;

export type Outcome = {
  phase: 'init' | 'invoke';
  result?: unknown;
  error?: string;
  /** Modules in require.cache after the bundle loaded: just the bundle when it is self-contained. */
  loaded?: string[];
  stdout: string;
  stderr: string;
  exitCode: number | null;
};

export async function invokeBundle(
  workDir: string,
  bundleFile: string,
  event: unknown,
  env: Record<string, string>,
  functionName = 'function',
): Promise<Outcome> {
  const id = randomUUID();
  const runner = path.join(workDir, 'lambda-runner.cjs');
  const eventFile = path.join(workDir, `event-${id}.json`);
  const outcomeFile = path.join(workDir, `outcome-${id}.json`);
  writeFileSync(runner, RUNNER);
  writeFileSync(eventFile, JSON.stringify(event));

  // A clean environment like Lambda's: nothing from jest (NODE_OPTIONS, NODE_PATH) leaks in. SAM
  // adds --enable-source-maps when Sourcemap is true, so the child runs with it too.
  const child = spawn(process.execPath, ['--enable-source-maps', runner, bundleFile, eventFile, outcomeFile, functionName], {
    cwd: workDir,
    env: { PATH: process.env.PATH ?? '', AWS_REGION: 'us-east-1', AWS_LAMBDA_FUNCTION_NAME: functionName, TEST_REQUEST_ID: id, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exitCode = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });
  let outcome: Omit<Outcome, 'stdout' | 'stderr' | 'exitCode'>;
  try {
    outcome = JSON.parse(readFileSync(outcomeFile, 'utf8')) as typeof outcome;
  } catch {
    throw new Error(`bundle ${bundleFile} wrote no outcome (exit ${exitCode}): ${stderr.slice(0, 2000)}`);
  }
  return { ...outcome, stdout, stderr, exitCode };
}

/** The non-empty lines a function wrote to stdout. */
export function stdoutLines(outcome: Outcome): string[] {
  return outcome.stdout.split('\n').filter((line) => line.length > 0);
}
