// One Lambda container for the bench: requires a BUNDLED handler (timing the require, the
// cold-start share), runs its first invocation, then BENCH_WARMUP and BENCH_INVOCATIONS warm
// invocations, yielding to the event loop between them as the Lambda runtime does (it polls
// the Runtime API for the next event). Plain JavaScript so no TypeScript loader sits in the
// timings. Figures go to BENCH_RESULT_FILE; stdout is the function's and is counted by the
// parent per phase (between the marks this worker writes).
'use strict';
const fs = require('node:fs');
const { performance, PerformanceObserver } = require('node:perf_hooks');

const PHASE_MARK = '\u001eBENCH-PHASE:';
const env = process.env;
const warmup = Number(env.BENCH_WARMUP || 0);
const invocations = Number(env.BENCH_INVOCATIONS || 0);
const event = JSON.parse(fs.readFileSync(env.BENCH_EVENT_FILE, 'utf8'));

// A blocking description of the stdout pipe (as the function's emitter opens it), so a mark is
// never lost to EAGAIN and lands between the function's own writes in order.
let out = 1;
try {
  if (fs.fstatSync(1).isFIFO()) out = fs.openSync('/proc/self/fd/1', fs.constants.O_WRONLY);
} catch {
  out = 1;
}
const mark = (phase) => fs.writeSync(out, `${PHASE_MARK}${phase}\n`);

function context(i) {
  const deadline = Date.now() + 10_000;
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: env.AWS_LAMBDA_FUNCTION_NAME,
    functionVersion: env.AWS_LAMBDA_FUNCTION_VERSION,
    invokedFunctionArn: `arn:aws:lambda:us-east-1:123456789012:function:${env.AWS_LAMBDA_FUNCTION_NAME}`,
    memoryLimitInMB: env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
    awsRequestId: `8f5e2a4c-1b3d-4e6f-9a0b-${String(i).padStart(12, '0')}`,
    // As the runtime builds the context: from the variables it set (bench/lib/modes.ts lambdaEnv).
    logGroupName: env.AWS_LAMBDA_LOG_GROUP_NAME,
    logStreamName: env.AWS_LAMBDA_LOG_STREAM_NAME,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  };
}

const warnings = [];
process.on('warning', (warning) => warnings.push(`${warning.name}: ${warning.message}`));

let gcMs = 0;
let gcCount = 0;
let countGc = false;
new PerformanceObserver((list) => {
  if (!countGc) return;
  for (const entry of list.getEntries()) {
    gcMs += entry.duration;
    gcCount++;
  }
}).observe({ entryTypes: ['gc'] });

/** The main thread's time on a CPU and waiting for one (ns), from the scheduler's own counters. */
function schedstat() {
  try {
    const [onCpu, waiting] = fs.readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ').map(Number);
    return { onCpu, waiting };
  } catch {
    return { onCpu: NaN, waiting: NaN };
  }
}

const cpuMs = (usage) => (usage.user + usage.system) / 1000;
// Twice: the first collection leaves what finalizers and weak callbacks release for the next one.
const fullGc = () => {
  global.gc?.();
  global.gc?.();
};
const nextTurn = () => new Promise((resolve) => setImmediate(resolve));
const askParent = (message) =>
  new Promise((resolve) => {
    if (typeof process.send !== 'function') return resolve(undefined);
    process.once('message', resolve);
    process.send(message);
  });

async function invoke(handler, i) {
  const start = performance.now();
  const response = await handler(event, context(i));
  const ms = performance.now() - start;
  if (!response || response.statusCode !== 200) throw new Error(`invocation ${i} answered ${JSON.stringify(response).slice(0, 300)}`);
  return ms;
}

async function loop(handler, from, count) {
  const latencies = new Array(count);
  for (let i = 0; i < count; i++) {
    latencies[i] = await invoke(handler, from + i);
    await nextTurn();
  }
  return latencies;
}

async function main() {
  mark('init');
  const initCpu = process.cpuUsage();
  const initStart = performance.now();
  const { handler } = require(env.BENCH_MODULE);
  const initMs = performance.now() - initStart;
  const initCpuMs = cpuMs(process.cpuUsage(initCpu));
  // What the require loaded (the bundle, and whatever it requires from outside it).
  const loaded = Object.keys(require.cache).filter((file) => file !== __filename);
  const loadedBytes = loaded.reduce((sum, file) => {
    try {
      return sum + fs.statSync(file).size;
    } catch {
      return sum;
    }
  }, 0);

  mark('first');
  const firstMs = await invoke(handler, 0);
  await nextTurn();

  mark('warmup');
  const warmupLatencies = await loop(handler, 1, warmup);

  if (env.BENCH_SYNC_PHASES === '1') await askParent({ phase: 'timed' });
  fullGc();
  const heapBefore = process.memoryUsage().heapUsed;
  mark('timed');
  countGc = true;
  const sched0 = schedstat();
  const cpu0 = process.cpuUsage();
  const timedStart = performance.now();
  const latencies = await loop(handler, 1 + warmup, invocations);
  const timedMs = performance.now() - timedStart;
  const timedCpuMs = cpuMs(process.cpuUsage(cpu0));
  const sched1 = schedstat();
  mark('end');
  await nextTurn(); // let the GC observer report
  countGc = false;
  fullGc();
  const heapAfter = process.memoryUsage().heapUsed;

  fs.writeFileSync(
    env.BENCH_RESULT_FILE,
    JSON.stringify({
      initMs,
      initCpuMs,
      loadedFiles: loaded.length,
      loadedBytes,
      firstMs,
      warmupLatencies,
      latencies,
      timedMs,
      timedCpuMs,
      mainThreadOnCpuMs: (sched1.onCpu - sched0.onCpu) / 1e6,
      mainThreadWaitingMs: (sched1.waiting - sched0.waiting) / 1e6,
      gcMs,
      gcCount,
      heapBefore,
      heapAfter,
      maxRssKiB: process.resourceUsage().maxRSS,
      warnings,
    }),
  );
}

main().then(
  () => process.exit(0),
  (error) => {
    process.stderr.write(`${(error && error.stack) || String(error)}\n`);
    process.exit(1);
  },
);
