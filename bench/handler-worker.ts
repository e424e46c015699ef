/**
 * One warm "container": invokes the demo handler BENCH_INVOCATIONS times with the HTTP API
 * sample event and writes per-invocation latencies (µs) to BENCH_RESULT_FILE. The reporting
 * mode comes from TRACE_REPORTING like in Lambda; stdout (span lines in log mode) is a pipe.
 */
import type { Context } from 'aws-lambda';
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

const invocations = Number(process.env.BENCH_INVOCATIONS ?? 500);
const event = JSON.parse(readFileSync(path.join(__dirname, '../events/http-api-v2.json'), 'utf8'));

function context(i: number): Context {
  const deadline = Date.now() + 3000;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: 'ot-function',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:ot-function',
    memoryLimitInMB: '128',
    awsRequestId: `bench-${i}`,
    logGroupName: '/aws/lambda/ot-function',
    logStreamName: 'bench',
    getRemainingTimeInMillis: () => deadline - Date.now(),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

async function main(): Promise<void> {
  const loadStart = process.hrtime.bigint();
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { handler } = require('../src/function/handler') as typeof import('../src/function/handler');
  const loadMicros = Number(process.hrtime.bigint() - loadStart) / 1000;
  const latencies: number[] = [];
  let warnings = 0;
  process.on('warning', () => warnings++);
  for (let i = 0; i < invocations; i++) {
    const start = process.hrtime.bigint();
    const response = (await handler(event, context(i))) as { statusCode: number };
    latencies.push(Number(process.hrtime.bigint() - start) / 1000);
    if (response.statusCode !== 200) throw new Error(`invocation ${i} answered ${response.statusCode}`);
  }
  writeFileSync(process.env.BENCH_RESULT_FILE!, JSON.stringify({ loadMicros, latencies, warnings }));
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
