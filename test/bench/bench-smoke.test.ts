import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { BenchResults } from '../../bench/run';

// A smoke run of `npm run bench` at its smallest sizes, so the bench cannot rot: every scenario
// runs for real (bundles, workers, the sink in another process, the proxy, the peers), and the
// JSON it writes has every figure. Figures are checked for shape only, never for speed.

const ROOT = path.resolve(__dirname, '../..');
let outDir: string;
let stdout = '';
let stderr = '';
let code: number | null = null;
let results: BenchResults;

beforeAll(async () => {
  outDir = mkdtempSync(path.join(tmpdir(), 'bench-smoke-'));
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'bench/run.ts', '--invocations', '20', '--warmup', '5', '--quick', '--rtt', '2', '--cold-runs', '1', '--forwarder-sizes', '100,max', '--out-dir', outDir],
    { cwd: ROOT, env: { ...process.env, NODE_OPTIONS: '' }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  if (code === 0) results = JSON.parse(readFileSync(path.join(outDir, 'latest.json'), 'utf8')) as BenchResults;
}, 240_000);

afterAll(() => rmSync(outDir, { recursive: true, force: true }));

const positive = (value: unknown) => typeof value === 'number' && Number.isFinite(value) && value > 0;

function expectPositive(where: string, record: Record<string, unknown>, keys: string[]): void {
  for (const key of keys) {
    if (!positive(record[key])) throw new Error(`${where}.${key} is ${JSON.stringify(record[key])}, expected a finite positive number`);
  }
}

test('the bench exits 0, tables on stdout, progress on stderr', () => {
  if (code !== 0) throw new Error(`bench exited ${code}:\n${stderr.slice(-3000)}`);
  expect(stdout).toMatch(/^# bench — \S+ — Node v\d+/);
  for (const heading of ['## Per warm invocation', '## Cold start', '## Bytes per span', '## The forwarder Lambda', '## Dollars', '## Emitting an invocation', '## The OTLP sink', 'load average at the end']) {
    expect(stdout).toContain(heading);
  }
  expect(stderr).toContain('[bench ');
  expect(stdout).not.toContain('[bench ');
});

test('latest.json records the machine and every scenario', () => {
  expect(results.schema).toBe(1);
  expect(results.machine.node).toBe(process.version);
  expect(Number.isNaN(Date.parse(results.machine.date))).toBe(false);
  expect(results.machine.cpus).toBeGreaterThan(0);
  expect(results.machine.loadAtEnd).toHaveLength(3);
  expect(results.scenarios).toEqual(['invocation', 'cold', 'bytes', 'forwarder', 'dollars', 'emit', 'otlp']);
});

test('per invocation: every mode and peer at 1 and 11 spans, with finite positive figures', () => {
  const keys = ['none', 'log', 'direct-loopback', 'direct-rtt2', 'otel', 'dd-trace'];
  for (const spans of [1, 11]) {
    for (const key of keys) {
      const f = results.invocation!.find((x) => x.key === key && x.spans === spans);
      if (f === undefined) throw new Error(`no invocation figures for ${key} at ${spans} span(s)`);
      expect(f.invocations).toBe(20);
      expectPositive(`${key}/${spans}.latency`, f.latency as unknown as Record<string, unknown>, ['mean', 'p50', 'p99', 'p999']);
      expectPositive(`${key}/${spans}`, f as unknown as Record<string, unknown>, ['cpuMsPerInvocation', 'firstInvocationMs', 'maxRssKiB']);
      expect(Number.isFinite(f.heapGrowthBytes)).toBe(true);
      // Direct mode's reports run clean (the keep-alive transport: no MaxListenersExceededWarning), and so do the others.
      expect({ key, spans, warnings: f.warningText }).toEqual({ key, spans, warnings: [] });
      if (key === 'none') {
        expect(f.added).toBeNull();
        expect(f.stdoutBytesPerInvocation).toBe(0);
      } else {
        expect(f.added).not.toBeNull();
      }
      if (key.startsWith('direct')) {
        expect(f.stdoutBytesPerInvocation).toBe(0);
        expectPositive(`${key}/${spans}`, f as unknown as Record<string, unknown>, ['networkBytesPerInvocation']);
        expect(f.spansReceived).toBe(spans * 20);
      } else if (key !== 'none') {
        expectPositive(`${key}/${spans}`, f as unknown as Record<string, unknown>, ['stdoutBytesPerInvocation']);
      }
    }
  }
});

test('log mode writes one span line per invocation; the peers write their own formats', () => {
  const log11 = results.invocation!.find((x) => x.key === 'log' && x.spans === 11)!;
  expect(log11.stdoutLinesPerInvocation).toBe(1);
  const sample = results.bytes!.find((b) => b.mode === 'log' && b.spans === 1)!.sampleLine!;
  expect(sample.startsWith('{"otspan":2,')).toBe(true);
  expect(JSON.parse(sample)).toMatchObject({ op: 'lambda-execution' });
  expect(results.bytes!.find((b) => b.mode === 'otel')!.sampleLine).toContain('"__otel_otlp_stdout"');
  expect(results.bytes!.find((b) => b.mode === 'dd-trace')!.sampleLine).toMatch(/^\{"traces":\[\[/);
});

test('cold start, bytes, forwarder, dollars and emit figures are all there', () => {
  for (const c of results.cold!) expectPositive(`cold ${c.mode}`, c as unknown as Record<string, unknown>, ['bundleBytes', 'initMs', 'firstInvocationMs', 'coldMs', 'loadedBytes']);
  expect(results.cold!.map((c) => c.mode)).toEqual(['none', 'log', 'direct', 'otel', 'dd-trace']);
  for (const b of results.bytes!) {
    expectPositive(`bytes ${b.mode}/${b.spans}`, b as unknown as Record<string, unknown>, b.mode === 'direct' ? ['networkBytesPerInvocation', 'reportBodyBytesPerInvocation'] : ['stdoutBytesPerSpan']);
  }
  expect(results.forwarder!.map((f) => f.events).slice(0, 2)).toEqual([100, 100]);
  for (const f of results.forwarder!) {
    expect(f.spansDelivered).toBe(f.spansSent);
    expectPositive(`forwarder ${f.target}/${f.events}`, f as unknown as Record<string, unknown>, ['spansPerSecond', 'floorSpansPerSecond', 'timesDecodeFloor', 'invocationMs', 'peakRssKiB', 'payloadBytes']);
    // --quick warms the sink's container up by 3 events at least, the collector's by its spans alone (1 span: one event).
    if (f.target === 'sink') {
      expect(f.warmupEvents).toBe(3);
      expectPositive(`forwarder early ${f.events}`, f as unknown as Record<string, unknown>, ['earlyTimesDecodeFloor']);
      expect(f.earlyAfterEvents).toBe(1); // right after the span warm-up
    } else {
      expect(f.warmupEvents).toBe(1);
      expect(f.earlyTimesDecodeFloor).toBeUndefined();
    }
  }
  const largest = results.forwarder!.filter((f) => f.largest);
  expect(largest).toHaveLength(2);
  expect(largest[0].events).toBeGreaterThan(1000);
  for (const row of results.dollars!.rows) {
    for (const [key, cost] of Object.entries(row.cost)) expectPositive(`dollars ${row.key} ${key}`, cost as unknown as Record<string, unknown>, ['total']);
  }
  expect(results.dollars!.breakEven.length).toBeGreaterThan(0);
  for (const r of results.emit!.results) expectPositive(`emit ${r.name}`, r as unknown as Record<string, unknown>, ['nsPerOp']);
  expect(results.emit!.linesRead).toBe(results.emit!.linesWritten);
  for (const r of results.otlp!.rows) expectPositive(`otlp ${r.name}`, r as unknown as Record<string, unknown>, ['msPerBatch', 'bytes', 'gzipBytes']);
  expect(positive(results.otlp!.endToEndSpansPerSecond)).toBe(true);
});

test('the charts are written as SVG', () => {
  for (const name of ['overhead-by-mode.svg', 'overhead-by-mode-11-spans.svg', 'dollars-by-memory.svg', 'dollars-by-memory-11-spans.svg']) {
    const file = path.join(outDir, name);
    expect(existsSync(file)).toBe(true);
    expect(readFileSync(file, 'utf8')).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"[^]*<\/svg>\n$/);
  }
});
