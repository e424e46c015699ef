import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT, TEMPLATE_PATH } from '../../scripts/build';

// `npm run lint:template` (scripts/lint_template.py): cfn-lint on template.yaml, the AWS SAM
// translator's real output, and cfn-lint on that. The tools are Python packages from the machine
// image (.ci/run checks for them first); when they are missing this file FAILS with the script's
// message, it never skips.

const PYTHON = process.env.PYTHON ?? 'python3';
const SCRIPT = path.join(PROJECT_ROOT, 'scripts', 'lint_template.py');
const scratch = mkdtempSync(path.join(tmpdir(), 'lint-template-test-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

type Run = { status: number | null; output: string };
function lint(args: string[], pythonArgs: string[] = []): Run {
  const result = spawnSync(PYTHON, [...pythonArgs, SCRIPT, ...args], { cwd: PROJECT_ROOT, encoding: 'utf8', timeout: 120_000 });
  if (result.error) throw new Error(`cannot run ${PYTHON}: ${result.error.message}`);
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

type Resource = { Type: string; Properties?: Record<string, unknown>; DependsOn?: string | string[]; Condition?: string; DeletionPolicy?: string };

describe('npm run lint:template', () => {
  const translatedPath = path.join(scratch, 'translated.json');
  let run: Run;
  let translated: Record<string, Resource>;
  beforeAll(() => {
    run = lint(['--translated-out', translatedPath]);
    if (run.status === 0) translated = (JSON.parse(readFileSync(translatedPath, 'utf8')) as { Resources: Record<string, Resource> }).Resources;
  }, 120_000);

  test('cfn-lint passes the SAM template, and the template SAM translates it to', () => {
    expect({ status: run.status, output: run.output }).toEqual({ status: 0, output: expect.stringContaining('both templates are clean') });
    expect(run.output).toMatch(/cfn-lint 1\.\d+\.\d+, aws-sam-translator 1\.\d+\.\d+/);
  });

  test("SAM's translation keeps the orderings, names and retention the template relies on", () => {
    const lambdas = Object.entries(translated).filter(([, r]) => r.Type === 'AWS::Lambda::Function');
    expect(lambdas.map(([id]) => id).sort()).toEqual(['DirectTracedFunction', 'LogSpanForwarder', 'TracedFunction']);
    for (const [id, lambda] of lambdas) {
      // Generated name (fits 64 characters for any stack name); logs to the stack's own group.
      expect({ id, name: lambda.Properties?.FunctionName }).toEqual({ id, name: undefined });
      expect(lambda.Properties?.LoggingConfig).toEqual({ LogGroup: { Ref: expect.stringMatching(new RegExp(`^${id}LogGroup$`)) } });
    }
    // The subscription waits for the EventInvokeConfig, which exists under that logical id.
    const subscription = translated.TracedFunctionSpanLineSubscription!;
    for (const dependency of [subscription.DependsOn].flat()) expect(translated[dependency!]).toBeDefined();
    expect(translated.LogSpanForwarderInvokeConfig!.Type).toBe('AWS::Lambda::EventInvokeConfig');
    expect([subscription.DependsOn].flat()).toContain('LogSpanForwarderInvokeConfig');
    expect(translated.LogSpanForwarderFailureQueue).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    expect(translated.SpanLineAccountSubscriptionPolicy).toMatchObject({ Type: 'AWS::Logs::AccountPolicy', Condition: 'CreateAccountSubscriptionPolicy' });
  });

  test('is not a rubber stamp: a DependsOn on the EventInvokeConfig id SAM would generate (LogSpanForwarderEventInvokeConfig) fails both lints', () => {
    // This template declares its EventInvokeConfig itself; SAM's EventInvokeConfig property would
    // generate <Function>EventInvokeConfig instead, and depending on that name here is an error.
    const broken = readFileSync(TEMPLATE_PATH, 'utf8').replace(
      'DependsOn: [LogSpanForwarderInvokePermission, LogSpanForwarderInvokeConfig]',
      'DependsOn: [LogSpanForwarderInvokePermission, LogSpanForwarderEventInvokeConfig]',
    );
    const brokenPath = path.join(scratch, 'broken.yaml');
    writeFileSync(brokenPath, broken);
    const result = lint(['--template', brokenPath]);
    expect(result.status).toBe(1);
    expect(result.output).toMatch(/E3005 'LogSpanForwarderEventInvokeConfig'/);
    expect(result.output).toMatch(/FAILED: cfn-lint on the SAM template, cfn-lint on the translated template/);
  }, 120_000);

  test('without the Python tools it fails with exit code 3 and says what to install (never a silent pass)', () => {
    // -S: no site-packages, so neither cfnlint nor samtranslator can be imported.
    const result = lint([], ['-S']);
    expect(result.status).toBe(3);
    expect(result.output).toMatch(/cfn-lint, aws-sam-translator not importable by .*python/);
  });
});
