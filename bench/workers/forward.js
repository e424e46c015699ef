// One forwarder Lambda container for the bench: requires the BUNDLED LogSpanForwarder (it
// reports with lightstep-tracer to LIGHTSTEP_COLLECTOR_HOST:PORT, another process), invokes it
// on the subscription events in BENCH_PAYLOAD_FILES (the first BENCH_WARMUP untimed), then times
// the floor on the same events: base64 + gunzip + JSON.parse, the least any forwarder must do.
// Each event is read and parsed before its invocation, as the Lambda runtime parses the event
// before calling the handler. Figures go to BENCH_RESULT_FILE.
'use strict';
const fs = require('node:fs');
const { gunzipSync } = require('node:zlib');
const { performance } = require('node:perf_hooks');

const env = process.env;
const files = JSON.parse(env.BENCH_PAYLOAD_FILES);
const warmup = Number(env.BENCH_WARMUP || 0);
const spansPerPayload = Number(env.BENCH_SPANS_PER_PAYLOAD);
const cpuMs = (usage) => (usage.user + usage.system) / 1000;

let out = 1;
try {
  if (fs.fstatSync(1).isFIFO()) out = fs.openSync('/proc/self/fd/1', fs.constants.O_WRONLY);
} catch {
  out = 1;
}
const mark = (phase) => fs.writeSync(out, `\u001eBENCH-PHASE:${phase}\n`);

async function main() {
  const { handler } = require(env.BENCH_MODULE);
  const invocations = [];
  mark('warmup');
  for (let i = 0; i < files.length; i++) {
    if (i === warmup) mark('timed');
    const event = JSON.parse(fs.readFileSync(files[i], 'utf8'));
    const cpu0 = process.cpuUsage();
    const start = performance.now();
    const summary = await handler(event);
    const ms = performance.now() - start;
    const cpu = cpuMs(process.cpuUsage(cpu0));
    if (summary.forwarded !== spansPerPayload) throw new Error(`payload ${i}: forwarded ${summary.forwarded} of ${spansPerPayload} spans (${JSON.stringify(summary)})`);
    if (i >= warmup) invocations.push({ ms, cpuMs: cpu });
    await new Promise((resolve) => setImmediate(resolve));
  }
  mark('floor');
  const maxRssKiB = process.resourceUsage().maxRSS;
  const floor = [];
  for (let i = warmup; i < files.length; i++) {
    const data = JSON.parse(fs.readFileSync(files[i], 'utf8')).awslogs.data;
    const start = performance.now();
    const payload = JSON.parse(gunzipSync(Buffer.from(data, 'base64')).toString('utf8'));
    floor.push(performance.now() - start);
    if (payload.logEvents.length !== spansPerPayload) throw new Error('floor: wrong payload');
  }
  fs.writeFileSync(env.BENCH_RESULT_FILE, JSON.stringify({ invocations, floor, maxRssKiB }));
}

main().then(
  () => process.exit(0),
  (error) => {
    process.stderr.write(`${(error && error.stack) || String(error)}\n`);
    process.exit(1);
  },
);
