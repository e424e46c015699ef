// Runs the drills in a child process with a fresh, distinctive access token, captures everything
// that process tree writes (the function containers' stderr and the CLIs' output included), then
// runs the secrets check over that output, the drills' error messages and their artifacts.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { DRILLS } from './catalogue';
import { checkSecrets, evidenceIn, problems as secretProblems, type Evidence } from './secrets';
import type { DrillResult, DrillSize } from './support/drill';

export interface DrillReport {
  size: DrillSize;
  date: string;
  node: string;
  machine: { cpus: number; cpu: string; platform: string; arch: string; memoryGiB: number; loadAverage: number[] };
  results: DrillResult[];
  /** Per drill (and 'secrets'): the invariants that did not hold. */
  problems: Record<string, string[]>;
  artifactDir: string;
  workerExitCode: number | null;
  totalMs: number;
}

export async function runDrills(options: { size: DrillSize; only?: string[]; echo?: boolean }): Promise<DrillReport> {
  const started = performance.now();
  const artifactDir = mkdtempSync(path.join(os.tmpdir(), 'drills-'));
  const token = `drill-token-${randomBytes(12).toString('hex')}`;
  const otlpHeader = `drill-otlp-header-${randomBytes(12).toString('hex')}`;
  const date = new Date().toISOString();
  const loadAverage = os.loadavg().map((n) => Math.round(n * 100) / 100);
  const args = ['--import', pathToFileURL(require.resolve('tsx')).href, path.join(__dirname, 'worker.ts'), '--size', options.size, '--artifacts', artifactDir];
  if (options.only) args.push('--only', options.only.join(','));
  const { code, stdout, stderr } = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    // The token is in the environment of every process of the run, as in a real deployment's.
    const child = spawn(process.execPath, args, { env: { ...process.env, DRILL_ACCESS_TOKEN: token, DRILL_OTLP_HEADER: otlpHeader, LIGHTSTEP_ACCESS_TOKEN: token }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      if (options.echo) process.stderr.write(chunk);
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
    child.on('error', reject);
    child.on('close', (exitCode) => resolve({ code: exitCode, stdout: out, stderr: err }));
  });
  const resultsFile = path.join(artifactDir, 'results.json');
  const results: DrillResult[] = existsSync(resultsFile) ? (JSON.parse(readFileSync(resultsFile, 'utf8')) as DrillResult[]) : [];

  const evidence: Evidence[] = [
    { where: 'stdout of the drill process and its children', content: stdout },
    { where: 'stderr of the drill process and its children', content: stderr },
    ...results.map((r) => ({ where: `errors of ${r.drill}`, content: r.errors.join('\n') })),
    ...evidenceIn(artifactDir),
  ];
  const secrets = checkSecrets(options.size, { 'the access token': token, 'the OTLP header value': otlpHeader }, evidence);
  results.push(secrets);
  const problems: Record<string, string[]> = {};
  for (const drill of DRILLS) {
    if (options.only && !options.only.includes(drill.name)) continue;
    const result = results.find((r) => r.drill === drill.name);
    problems[drill.name] = result ? drill.problems(result) : [`did not run (worker exit ${code}): ${stderr.slice(-2000)}`];
  }
  problems.secrets = secretProblems(secrets);
  const cpus = os.cpus();
  return {
    size: options.size,
    date,
    node: process.version,
    machine: { cpus: cpus.length, cpu: cpus[0]?.model ?? 'unknown', platform: os.platform(), arch: os.arch(), memoryGiB: Math.round(os.totalmem() / 2 ** 30), loadAverage },
    results,
    problems,
    artifactDir,
    workerExitCode: code,
    totalMs: Math.round(performance.now() - started),
  };
}
