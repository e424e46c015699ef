// One warm "container" running a BUNDLED handler (what Lambda loads, from `npm run build`):
// requires BENCH_HANDLER_MODULE (timing the require: the cold-start share), invokes it
// BENCH_INVOCATIONS times with the HTTP API sample event, and writes per-invocation latencies
// (µs) to BENCH_RESULT_FILE. Plain JavaScript so no TypeScript loader sits in the timings.
'use strict';
const { readFileSync, writeFileSync } = require('node:fs');
const path = require('node:path');

const invocations = Number(process.env.BENCH_INVOCATIONS || 500);
const event = JSON.parse(readFileSync(path.join(__dirname, '../events/http-api-v2.json'), 'utf8'));

function context(i) {
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
  };
}

async function main() {
  const loadStart = process.hrtime.bigint();
  const { handler } = require(process.env.BENCH_HANDLER_MODULE);
  const loadMicros = Number(process.hrtime.bigint() - loadStart) / 1000;
  const latencies = [];
  let warnings = 0;
  process.on('warning', () => warnings++);
  for (let i = 0; i < invocations; i++) {
    const start = process.hrtime.bigint();
    const response = await handler(event, context(i));
    latencies.push(Number(process.hrtime.bigint() - start) / 1000);
    if (response.statusCode !== 200) throw new Error(`invocation ${i} answered ${response.statusCode}`);
  }
  writeFileSync(process.env.BENCH_RESULT_FILE, JSON.stringify({ loadMicros, latencies, warnings }));
}

main().catch((error) => {
  process.stderr.write(`${error && error.stack ? error.stack : String(error)}\n`);
  process.exit(1);
});
