// One forwarder Lambda container for the bench: requires the BUNDLED LogSpanForwarder (it
// reports with lightstep-tracer to LIGHTSTEP_COLLECTOR_HOST:PORT, another process), invokes it
// on the subscription events in BENCH_PAYLOAD_FILES (the first BENCH_WARMUP untimed), and after
// each timed invocation times the floors on the same event: base64 + gunzip + JSON.parse of the
// envelope, the least any forwarder must do, and the decode floor, that plus JSON.parse of every
// span line in it. The warm-up invocations BENCH_EARLY_FROM to + BENCH_EARLY_COUNT get their
// decode floors too (the container before its per-event code has tiered up).
// BENCH_SPANS_PER_FILE and BENCH_LINES_PER_FILE say what each event holds (a version-2 line
// holds an invocation's spans): every invocation's summary must say as much.
// Each event is read and parsed before its invocation, as the Lambda runtime parses the event
// before calling the handler. Figures go to BENCH_RESULT_FILE.
'use strict';
const fs = require('node:fs');
const { gunzipSync } = require('node:zlib');
const { performance } = require('node:perf_hooks');

const env = process.env;
const files = JSON.parse(env.BENCH_PAYLOAD_FILES);
const warmup = Number(env.BENCH_WARMUP || 0);
// Warm-up invocations also paired with their decode floors: what the container reads early on.
const earlyFrom = Number(env.BENCH_EARLY_FROM || 0);
const earlyTo = earlyFrom + Number(env.BENCH_EARLY_COUNT || 0);
const spansPerFile = JSON.parse(env.BENCH_SPANS_PER_FILE);
const linesPerFile = JSON.parse(env.BENCH_LINES_PER_FILE);
// gunzip's output chunk per event, the forwarder's own (unzipChunkBytes): the floors get the same.
const unzipChunkPerFile = JSON.parse(env.BENCH_UNZIP_CHUNK_PER_FILE);
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
  const floor = [];
  const decodeFloor = [];
  const early = [];
  mark('warmup');
  for (let i = 0; i < files.length; i++) {
    if (i === warmup) mark('timed');
    const event = JSON.parse(fs.readFileSync(files[i], 'utf8'));
    const cpu0 = process.cpuUsage();
    const start = performance.now();
    const summary = await handler(event);
    const ms = performance.now() - start;
    const cpu = cpuMs(process.cpuUsage(cpu0));
    if (summary.forwarded !== spansPerFile[i] || summary.lines !== linesPerFile[i]) {
      throw new Error(`payload ${i}: forwarded ${summary.forwarded} of ${spansPerFile[i]} spans, ${summary.lines} of ${linesPerFile[i]} lines (${JSON.stringify(summary)})`);
    }
    if (i >= warmup) {
      invocations.push({ ms, cpuMs: cpu });
      // The floors of the same event right after its invocation: a pair measured on the same
      // machine state (this VM's speed drifts between seconds), not minutes apart.
      const [envelope, decode] = floorsOf(event.awslogs.data, linesPerFile[i], unzipChunkPerFile[i]);
      floor.push(envelope);
      decodeFloor.push(decode);
    } else if (i >= earlyFrom && i < earlyTo) {
      early.push({ ms, decodeFloor: floorsOf(event.awslogs.data, linesPerFile[i], unzipChunkPerFile[i])[1] });
    }
    await new Promise((resolve) => setImmediate(resolve));
  }
  const maxRssKiB = process.resourceUsage().maxRSS;
  const roundTripMs = await roundTrips(Number(env.BENCH_ROUND_TRIPS || 0));
  fs.writeFileSync(env.BENCH_RESULT_FILE, JSON.stringify({ invocations, floor, decodeFloor, early, maxRssKiB, roundTripMs }));
}

/**
 * ms of `count` HTTP round trips with no body to the same collector address (after as many
 * untimed), on a kept-alive socket: what any report costs before its bytes, on this machine.
 */
async function roundTrips(count) {
  if (count === 0) return [];
  const http = require('node:http');
  const agent = new http.Agent({ keepAlive: true });
  const once = () =>
    new Promise((resolve, reject) => {
      const request = http.get({ host: env.LIGHTSTEP_COLLECTOR_HOST, port: Number(env.LIGHTSTEP_COLLECTOR_PORT), path: '/round-trip', agent }, (response) => {
        response.resume();
        response.on('end', resolve);
      });
      request.on('error', reject);
    });
  const ms = [];
  for (let i = 0; i < count * 2; i++) {
    const start = performance.now();
    await once();
    if (i >= count) ms.push(performance.now() - start);
  }
  agent.destroy();
  return ms;
}

/** ms of base64 + gunzip + JSON.parse of the envelope, and of that plus JSON.parse of every line. */
function floorsOf(data, lines, chunkSize) {
  let start = performance.now();
  const payload = JSON.parse(gunzipSync(Buffer.from(data, 'base64'), { chunkSize }).toString('utf8'));
  const envelope = performance.now() - start;
  if (payload.logEvents.length !== lines) throw new Error('floor: wrong payload');
  start = performance.now();
  const again = JSON.parse(gunzipSync(Buffer.from(data, 'base64'), { chunkSize }).toString('utf8'));
  let parsed = 0;
  for (const logEvent of again.logEvents) if (JSON.parse(logEvent.message) !== null) parsed++;
  const decode = performance.now() - start;
  if (parsed !== lines) throw new Error('decode floor: wrong payload');
  return [envelope, decode];
}

main().then(
  () => process.exit(0),
  (error) => {
    process.stderr.write(`${(error && error.stack) || String(error)}\n`);
    process.exit(1);
  },
);
