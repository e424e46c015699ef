import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildCli, cliBundles } from '../../scripts/build-cli';
import { ANSI } from './cli-io';
import { samEvent, spanLine } from './span-lines';

const ROOT = path.join(__dirname, '../..');
const TSX = pathToFileURL(require.resolve('tsx')).href;
const TAIL = path.join(ROOT, 'src/cli/tail.ts');
const STREAM = '2026/11/25/[$LATEST]f897b8fa94329363';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(file: string, args: string[], options: { input?: string; env?: NodeJS.ProcessEnv } = {}): Promise<Run> {
  return new Promise((resolve) => {
    const child = execFile(file, args, { env: { ...process.env, ...options.env }, timeout: 30_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? ((error as { code?: number }).code ?? null) : 0, stdout, stderr }),
    );
    child.stdin?.end(options.input ?? '');
  });
}

const tsxArgs = (script: string, args: string[] = []) => ['--import', TSX, script, ...args];
const lines = [
  spanLine({ spanId: '00000000000000c1', parentSpanId: '00f067aa0ba902b7', operation: 'compute', durationMicros: 1200, tags: { error: true } }),
  spanLine({ spanId: '00f067aa0ba902b7', parentSpanId: 'a2fb4a1d1a96d312', operation: 'lambda-execution' }),
];
const samText = lines.flatMap((l) => samEvent(STREAM, '2026-11-25T04:31:56.123000', l)).join('\n') + '\n';

describe('the CLIs as processes', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'llt-cli-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('tail on a pipe: sam output in, a tree out without colour codes, the summary on stderr', async () => {
    const result = await run(process.execPath, tsxArgs(TAIL), { input: samText, env: { NO_COLOR: '', FORCE_COLOR: undefined } });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^trace 4bf92f3577b34da6 · .* · 2 spans/);
    expect(result.stdout).toMatch(/\n {2}└─ compute +lambda_function +1\.20 ms .* ERROR\n/);
    expect(result.stdout).not.toMatch(ANSI);
    expect(result.stderr).toContain('tail: 2 spans in 1 trace');
  });

  it('tail on a terminal (a real pty, via script): colours, unless NO_COLOR', async () => {
    const input = path.join(dir, 'sam.txt');
    writeFileSync(input, samText);
    const command = `${process.execPath} ${tsxArgs(TAIL).join(' ')} < ${input}`;
    const coloured = await run('script', ['-qefc', command, '/dev/null'], { env: { NO_COLOR: undefined, FORCE_COLOR: undefined, TERM: 'xterm' } });
    expect(coloured.code).toBe(0);
    expect(coloured.stdout).toContain('\x1b[31mERROR\x1b[39m');
    const plain = await run('script', ['-qefc', command, '/dev/null'], { env: { NO_COLOR: '1', FORCE_COLOR: undefined, TERM: 'xterm' } });
    expect(plain.stdout).toMatch(/└─ compute .* ERROR/);
    expect(plain.stdout).not.toMatch(ANSI);
  });

  it('tail on Ctrl-C: shows the traces still waiting, the summary, and exits 0', async () => {
    const child = spawn(process.execPath, tsxArgs(TAIL, ['--wait', '1h']), { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const exit = new Promise<number | null>((resolve) => child.on('exit', resolve));
    // A trace with its root shows at once: then the process is reading.
    child.stdin.write(spanLine({ spanId: '0000000000000001', operation: 'router', traceId: '5b8aa5a2d2c872e8' }) + '\n');
    while (!stdout.includes('trace 5b8aa5a2d2c872e8')) await new Promise((resolve) => setTimeout(resolve, 20));
    child.stdin.write(lines.join('\n') + '\n'); // no root, an hour to wait: only Ctrl-C shows it
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(stdout).not.toContain('trace 4bf92f3577b34da6');
    child.kill('SIGINT');
    expect(await exit).toBe(0);
    expect(stdout).toMatch(/\ntrace 4bf92f3577b34da6 · .* · 2 spans/);
    expect(stderr).toContain('tail: 3 spans in 2 traces');
  });

  it('usage errors exit 2 and name the known flags; --help exits 0', async () => {
    const bad = await run(process.execPath, tsxArgs(TAIL, ['--nope']));
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^tail: unknown option --nope; tail knows --log-group, /);
    const help = await run(process.execPath, tsxArgs(path.join(ROOT, 'src/cli/replay-cloudwatch.ts'), ['--help']));
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: npm run replay:cloudwatch -- ');
  });

  it('package.json bins are runnable JavaScript bundles of the CLIs (no tsx needed)', async () => {
    const { bin, scripts } = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    expect(Object.keys(bin).sort()).toEqual(['llt-replay', 'llt-replay-cloudwatch', 'llt-tail']);
    expect(scripts.prepack).toContain('npm run build:cli');
    expect(scripts['build:cli']).toContain('scripts/build-cli.ts');
    expect(cliBundles().map((b) => path.relative(ROOT, b.entry)).sort()).toEqual(['src/cli/replay-cloudwatch.ts', 'src/cli/replay.ts', 'src/cli/tail.ts']);
    const built = await buildCli(dir);
    for (const b of built) {
      expect(readFileSync(b.file, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
      const help = await run(b.file, ['--help']);
      expect(help.code).toBe(0);
      expect(help.stdout).toContain(`   or: ${b.bin} `);
    }
    const tail = built.find((b) => b.bin === 'llt-tail')!;
    const piped = await run(tail.file, [], { input: lines.join('\n') });
    expect(piped.code).toBe(0);
    expect(piped.stdout).toMatch(/^trace 4bf92f3577b34da6 · .* · 2 spans/);
  }, 60_000);
});
