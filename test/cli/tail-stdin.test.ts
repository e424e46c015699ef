import { UsageError } from '../../src/cli/command-line';
import { runTail } from '../../src/cli/tail-command';
import { ANSI, eventually, testIo } from './cli-io';
import { samEvent, spanLine } from './span-lines';
import { encodeSpanLines, lineSourceOf } from '../../src/span-line';

const STREAM = '2026/11/25/[$LATEST]f897b8fa94329363';
const SERVICE_SPAN = 'a2fb4a1d1a96d312'; // the caller's egress span: reported by the service, not in these logs
const LAMBDA = '00f067aa0ba902b7';

/** What a traced invocation writes: two child spans, then the lambda-execution span, between platform lines. */
function invocationLines(): string[] {
  return [
    spanLine({ spanId: '00000000000000c1', parentSpanId: LAMBDA, operation: 'compute', startMicros: 1764045116123556, durationMicros: 1200, tags: { error: true } }),
    spanLine({ spanId: '00000000000000c2', parentSpanId: LAMBDA, operation: 'db.query', startMicros: 1764045116124956, durationMicros: 300, tags: { sql: 'select ' + 'x'.repeat(300) } }),
    spanLine({ spanId: LAMBDA, parentSpanId: SERVICE_SPAN, operation: 'lambda-execution', durationMicros: 2500, tags: { 'span.kind': 'server' } }),
  ];
}

function samOutput(): string {
  const [a, b, c] = invocationLines();
  return [
    `${STREAM} 2026-11-25T04:31:56.100000 START RequestId: 8f5a Version: $LATEST`,
    ...samEvent(STREAM, '2026-11-25T04:31:56.124000', a),
    ...samEvent(STREAM, '2026-11-25T04:31:56.125000', b),
    ...samEvent(STREAM, '2026-11-25T04:31:56.126000', c),
    `${STREAM} 2026-11-25T04:31:56.130000 END RequestId: 8f5a`,
    `${STREAM} 2026-11-25T04:31:56.130000 REPORT RequestId: 8f5a\tDuration: 6.21 ms\tBilled Duration: 7 ms`,
  ].join('\n') + '\n';
}

const EXPECTED_TREE = [
  /^trace 4bf92f3577b34da6 · 2025-11-25T04:31:56\.123Z · 3 spans · 2\.50 ms · 1 error$/,
  /^ {2}lambda-execution +lambda_function +2\.50 ms +\[█+\] +↑ parent a2fb4a1d1a96d312 not in these logs$/,
  /^ {2}├─ compute +lambda_function +1\.20 ms +\[·*█+·*\] +ERROR$/,
  /^ {2}└─ db\.query +lambda_function +300 µs +\[·+█+·+\] +truncated$/,
];

function expectTree(output: string): void {
  const lines = output.split('\n');
  EXPECTED_TREE.forEach((pattern, i) => expect(lines[i]).toMatch(pattern));
}

describe('npm run tail, piped input (no flag needed)', () => {
  it('shows `sam logs` output as a trace tree, the rest counted on stderr', async () => {
    const t = testIo({ stdin: samOutput() });
    await expect(runTail([], t.io)).resolves.toBe(0);
    expectTree(t.out());
    expect(t.err()).toBe('tail: 3 spans in 1 trace; skipped 3 other lines (not_json 3)\n');
  });

  it('shows raw span lines (the issue: they printed nothing) and accepts --stdin as before', async () => {
    for (const argv of [[], ['--stdin']]) {
      const t = testIo({ stdin: invocationLines().join('\n') + '\n' });
      await runTail(argv, t.io);
      expectTree(t.out());
      expect(t.err()).toContain('3 spans in 1 trace');
    }
  });

  it('says when nothing in the input was a span line', async () => {
    const t = testIo({ stdin: 'hello\n{"level":30,"msg":"app log"}\n' });
    await runTail([], t.io);
    expect(t.out()).toBe('');
    expect(t.err()).toContain('0 spans in 0 traces; skipped 2 other lines (not_json 1, not_span 1)');
    expect(t.err()).toContain('no span lines in the input: a span line starts with {"otspan":');
  });

  it('streams: a trace with its root at once, a rootless one after --wait, both before the input ends', async () => {
    const t = testIo({});
    const done = runTail(['--wait', '100ms'], t.io);
    const [a, b, c] = invocationLines();
    t.stdin.write(`${a}\n${b}\n${c}\n`);
    const root = spanLine({ spanId: '0000000000000001', operation: 'router', component: 'node-service', traceId: '5b8aa5a2d2c872e8' });
    t.stdin.write(`${root}\n`);
    await eventually(() => t.out().includes('trace 5b8aa5a2d2c872e8'));
    expect(t.out()).not.toContain('trace 4bf92f3577b34da6'); // still within its quiet period
    await eventually(() => t.out().includes('trace 4bf92f3577b34da6'));
    expect(t.out().indexOf('5b8aa5a2d2c872e8')).toBeLessThan(t.out().indexOf('4bf92f3577b34da6'));
    t.stdin.end();
    await done;
  });

  it('colours on a terminal only: none on a pipe, none with NO_COLOR, always with FORCE_COLOR', async () => {
    const run = async (options: Parameters<typeof testIo>[0], argv: string[] = []): Promise<string> => {
      const t = testIo({ ...options, stdin: invocationLines().join('\n') });
      await runTail(argv, t.io);
      return t.out();
    };
    const terminal = await run({ stdoutTTY: true, env: { TERM: 'xterm-256color' } });
    expect(terminal).toMatch(ANSI);
    expect(terminal).toContain('\x1b[31mERROR\x1b[39m');
    expectTree(terminal.replace(/\x1b\[\d+m/g, ''));
    expect(await run({ stdoutTTY: false })).not.toMatch(ANSI);
    expect(await run({ stdoutTTY: true, env: { NO_COLOR: '1' } })).not.toMatch(ANSI);
    expect(await run({ stdoutTTY: true, env: { TERM: 'dumb' } })).not.toMatch(ANSI);
    expect(await run({ stdoutTTY: false, env: { FORCE_COLOR: '1' } })).toMatch(ANSI);
    expect(await run({ stdoutTTY: true }, ['--json'])).not.toMatch(ANSI);
  });

  it('--json: one object per trace per line', async () => {
    const t = testIo({ stdin: samOutput() });
    await runTail(['--json'], t.io);
    const lines = t.out().trim().split('\n');
    expect(lines).toHaveLength(1);
    const trace = JSON.parse(lines[0]);
    expect(trace.traceId).toBe('4bf92f3577b34da6');
    expect(trace.spans.map((s: { operation: string; depth: number }) => `${s.depth}:${s.operation}`)).toEqual(['0:lambda-execution', '1:compute', '1:db.query']);
    expect(trace.spans[0]).toMatchObject({ parentSpanId: SERVICE_SPAN, parentMissing: true, root: false });
    expect(trace.spans[2]).toMatchObject({ truncated: true });
  });

  it('--help prints the usage; a bad command line is a usage error', async () => {
    const t = testIo({ stdinTTY: true });
    await expect(runTail(['--help'], t.io)).resolves.toBe(0);
    expect(t.out()).toContain('Usage: npm run tail -- [options] [log-group | function ...]');
    await expect(runTail(['--bogus'], testIo({}).io)).rejects.toThrow(/unknown option --bogus; tail knows --log-group, --since/);
    await expect(runTail([], testIo({ stdinTTY: true }).io)).rejects.toThrow(/nothing to read: name a log group or function/);
    await expect(runTail(['--follow'], testIo({ stdin: '' }).io)).rejects.toThrow(/--follow needs a log group or function name/);
    await expect(runTail(['my-fn', '--stdin'], testIo({}).io)).rejects.toThrow(UsageError);
    await expect(runTail(['my-fn', '--follow', '--until', '1h'], testIo({}).io)).rejects.toThrow(/--until and --follow/);
  });

  it('--source names the function piped lines come from: their invocation spans get back the faas.name they left out', async () => {
    const invocation = {
      traceId: '4bf92f3577b34da6',
      spanId: LAMBDA,
      parentSpanId: SERVICE_SPAN,
      operation: 'lambda-execution',
      component: 'lambda_function',
      startMicros: 1764045116123456,
      durationMicros: 2500,
      tags: { 'aws.request_id': '8f5a', 'span.kind': 'server', 'faas.coldstart': false, 'faas.name': 'orders', 'faas.version': '$LATEST' },
      logs: [],
      baggage: {},
    };
    // Written as the function writes it in /aws/lambda/orders: name and version left out.
    const [line] = encodeSpanLines([invocation], { source: lineSourceOf('/aws/lambda/orders', STREAM) });
    expect(line).not.toContain('orders');
    const piped = samEvent(STREAM, '2026-11-25T04:31:56.126000', line).join('\n') + '\n';

    const named = testIo({ stdin: piped });
    await runTail(['--json', '--source', 'orders'], named.io);
    expect(JSON.parse(named.out()).spans[0].tags).toMatchObject({ 'faas.name': 'orders', 'aws.request_id': '8f5a' });

    const unnamed = testIo({ stdin: piped });
    await runTail(['--json'], unnamed.io);
    expect(JSON.parse(unnamed.out()).spans[0].tags['faas.name']).toBeUndefined();

    await expect(runTail(['orders', '--source', 'orders'], testIo({ stdin: '' }).io)).rejects.toThrow(UsageError);
  });
});
