/**
 * Runs the function handler outside Lambda, one warm "container" per process:
 *
 *   node --import tsx src/function/local-invoke.ts events/http-api-v2.json   # one event from a file
 *   node --import tsx src/function/local-invoke.ts < events.ndjson           # one event per stdin line
 *
 * stdout carries only what the function writes (span lines), as in Lambda; each invocation's
 * response goes to stderr as one JSON line `{"requestId":…,"response":…}` (or `"error"`),
 * written after the handler's promise settled. Env: as the handler (TRACE_REPORTING,
 * COMPONENT_NAME, LIGHTSTEP_*), plus LOCAL_TIMEOUT_MS (default 3000) for the remaining-time clock.
 */
import type { Context } from 'aws-lambda';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { lambdaContext } from '../common/lambda-context';
import { handler } from './handler';

const timeoutMs = Number(process.env.LOCAL_TIMEOUT_MS || 3000);

function invocationContext(): Context {
  const functionName = process.env.AWS_LAMBDA_FUNCTION_NAME || 'lambda_function';
  return lambdaContext({
    functionName,
    functionVersion: process.env.AWS_LAMBDA_FUNCTION_VERSION || '$LATEST',
    awsRequestId: randomUUID(),
    deadlineMs: Date.now() + timeoutMs,
  });
}

async function invoke(event: unknown): Promise<void> {
  const context = invocationContext();
  let outcome: Record<string, unknown>;
  try {
    outcome = { requestId: context.awsRequestId, response: await handler(event as never, context) };
  } catch (error) {
    outcome = { requestId: context.awsRequestId, error: error instanceof Error ? error.message : String(error) };
  }
  process.stderr.write(JSON.stringify(outcome) + '\n');
}

async function main(): Promise<void> {
  const file = process.argv[2];
  if (file !== undefined) return invoke(JSON.parse(readFileSync(file, 'utf8')));
  for await (const line of createInterface({ input: process.stdin, crlfDelay: Infinity })) {
    if (line.trim() !== '') await invoke(JSON.parse(line));
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`local-invoke: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
