import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import ts from 'typescript';
import { PROJECT_ROOT } from '../../scripts/build';
import { decodeSpanLine, type FinishedSpan } from '../../src/span-line';

// The function side as a package: `npm pack` (prepack compiles dist-pkg/), installed with
// production dependencies only in a fresh project, then used the way a user's function would.

const run = promisify(execFile);
const PACKAGE = (JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as { name: string }).name;
const ENTRY = `${PACKAGE}/function`;
/** What the function side must never load: direct reporting, the decoder's schema, the forwarder's SDKs. */
const HEAVY = /[\\/]node_modules[\\/](lightstep-tracer|ajv|google-protobuf|@aws-sdk[\\/][^\\/]+)[\\/]/;
const CALLER = { traceId: '7a3b9c1d2e4f5a6b', spanId: '4e1f0a9b8c7d6e5f' };

// A user's function: its own LogTracer (lines captured) and traced() with the default tracer (stdout).
const PROBE = `'use strict';
const fs = require('node:fs');
const fn = require(${JSON.stringify(ENTRY)});
const lines = [];
const tracer = new fn.LogTracer({ componentName: 'consumer-fn', emit: (line) => lines.push(line) });
const handler = fn.traced(async (event, context, span) => {
  const child = tracer.startSpan('load-order', { childOf: span });
  child.setTag('items', 3);
  child.finish();
  return { statusCode: 200, body: JSON.stringify({ ok: true }) };
}, { tracer });
const event = {
  version: '2.0', rawPath: '/orders', headers: {
    'ot-tracer-traceid': ${JSON.stringify(CALLER.traceId)}, 'ot-tracer-spanid': ${JSON.stringify(CALLER.spanId)}, 'ot-tracer-sampled': 'true',
  },
  requestContext: { http: { method: 'POST', path: '/orders' } },
};
const deadline = Date.now() + 3000;
const context = {
  functionName: 'orders', functionVersion: '$LATEST', awsRequestId: 'b0e1c2d3-0000-4000-8000-000000000001',
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:orders', memoryLimitInMB: '256',
  logGroupName: '/aws/lambda/orders', logStreamName: 'local', callbackWaitsForEmptyEventLoop: true,
  getRemainingTimeInMillis: () => deadline - Date.now(),
};
(async () => {
  const result = await handler(event, context);
  const viaStdout = await fn.traced(async () => ({ statusCode: 204 }))(event, context);
  fs.writeFileSync(process.argv[2], JSON.stringify({ exports: Object.keys(fn).sort(), result, viaStdout, lines, loaded: Object.keys(require.cache) }));
})();
`;

// A user's TypeScript, checked against the package's declarations with no skipLibCheck.
const CONSUMER_TS = `import { LogTracer, traced, type TracedHandler } from '${ENTRY}';

const tracer = new LogTracer({ componentName: 'orders' });
const work: TracedHandler<{ n: number }, { statusCode: number }> = async (event, context, span) => {
  span.setTag('n', event.n);
  tracer.startSpan('child', { childOf: span }).finish();
  return { statusCode: context.functionName === '' ? 500 : 200 };
};
export const handler = traced(work, { tracer, timeoutMarginMs: 100 });
// The declarations are real, not any: a wrong option and a wrong result type are errors.
// @ts-expect-error componentName is required
new LogTracer({});
// @ts-expect-error the wrapped handler answers { statusCode }, not a string
export const wrong: (e: { n: number }, c: Parameters<typeof handler>[1]) => Promise<string> = handler;
`;

let workDir: string;
let consumerDir: string;
let installedEntry: string;

beforeAll(async () => {
  workDir = mkdtempSync(path.join(os.tmpdir(), 'function-package-'));
  const npm = (args: string[], cwd: string) => run('npm', args, { cwd, maxBuffer: 16 * 1024 * 1024, env: { ...process.env, npm_config_update_notifier: 'false' } });
  const packed = await npm(['pack', '--json', '--pack-destination', workDir], PROJECT_ROOT);
  const [{ filename }] = JSON.parse(packed.stdout) as Array<{ filename: string }>;
  consumerDir = path.join(workDir, 'consumer');
  await run('mkdir', [consumerDir]);
  writeFileSync(path.join(consumerDir, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }));
  // Production dependencies only, from the warm npm cache when it can (the registry otherwise).
  await npm(['install', '--omit=dev', '--prefer-offline', '--no-audit', '--no-fund', path.join(workDir, filename)], consumerDir);
  installedEntry = require.resolve(ENTRY, { paths: [consumerDir] });
}, 240_000);

afterAll(() => {
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

describe(`require('${ENTRY}') in a fresh project (npm pack, npm install --omit=dev)`, () => {
  let report: { exports: string[]; result: unknown; viaStdout: unknown; lines: string[]; loaded: string[] };
  let stdout: string;

  beforeAll(async () => {
    writeFileSync(path.join(consumerDir, 'probe.cjs'), PROBE);
    const reportFile = path.join(workDir, 'report.json');
    ({ stdout } = await run(process.execPath, ['probe.cjs', reportFile], { cwd: consumerDir }));
    report = JSON.parse(readFileSync(reportFile, 'utf8'));
  }, 30_000);

  test('resolves to the compiled entry inside the installed package, with LogTracer and traced()', () => {
    expect(path.relative(consumerDir, installedEntry)).toBe(path.join('node_modules', PACKAGE, 'dist-pkg', 'function', 'index.js'));
    expect(report.exports).toEqual(expect.arrayContaining(['LogTracer', 'LogSpan', 'LogSpanContext', 'traced', 'extractContext', 'injectContext', 'writeStdoutLine']));
    expect(report.result).toEqual({ statusCode: 200, body: '{"ok":true}' });
  });

  test('loads neither lightstep-tracer, ajv, google-protobuf nor the AWS SDK (all installed, none required)', () => {
    const fromNodeModules = report.loaded.filter((file) => file.includes(`${path.sep}node_modules${path.sep}`));
    // The check sees the consumer's node_modules: the package itself and its light dependencies are there.
    expect(fromNodeModules.some((file) => file.includes(`${path.sep}opentracing${path.sep}`))).toBe(true);
    expect(fromNodeModules.some((file) => file.includes(`${path.sep}sonic-boom${path.sep}`))).toBe(true); // the synchronous writer
    expect(report.loaded.filter((file) => HEAVY.test(file))).toEqual([]);
    for (const name of ['lightstep-tracer', 'ajv', 'google-protobuf', '@aws-sdk/client-ssm']) {
      expect(() => require.resolve(name, { paths: [consumerDir] })).not.toThrow(); // installed: a production dependency
    }
  });

  test('the span lines decode: the invocation span joins the caller, the child is its child, the default tracer writes to stdout', () => {
    const spans = report.lines.map((line) => decodeSpanLine(line)).flatMap((d): Array<FinishedSpan | string> => (d.ok ? d.spans : [d.reason]));
    const [child, invocation] = spans as FinishedSpan[];
    expect(invocation).toMatchObject({ operation: 'lambda-execution', component: 'consumer-fn', traceId: CALLER.traceId, parentSpanId: CALLER.spanId });
    expect(invocation!.tags).toMatchObject({ 'span.kind': 'server', 'http.status_code': 200 });
    expect(child).toMatchObject({ operation: 'load-order', traceId: CALLER.traceId, parentSpanId: invocation!.spanId, tags: { items: 3 } });

    expect(report.viaStdout).toEqual({ statusCode: 204 });
    const fromStdout = stdout.split('\n').filter(Boolean).map((line) => decodeSpanLine(line));
    expect(fromStdout).toEqual([expect.objectContaining({ ok: true, spans: [expect.objectContaining({ component: 'lambda_function', traceId: CALLER.traceId })] })]);
  });

  test('an ES module can import the named exports too', async () => {
    const { stdout: names } = await run(
      process.execPath,
      ['--input-type=module', '-e', `import { LogTracer, traced } from '${ENTRY}'; console.log(typeof LogTracer, typeof traced);`],
      { cwd: consumerDir },
    );
    expect(names.trim()).toBe('function function');
  });
});

describe('types for TypeScript users', () => {
  test('a handler type-checks against the declarations (node16 resolution: package.json exports), strict, without skipLibCheck', async () => {
    writeFileSync(path.join(consumerDir, 'handler.ts'), CONSUMER_TS);
    // @types/aws-lambda itself needs @types/node, which a Lambda project has: this project's copy.
    const typeRoots = [path.join(PROJECT_ROOT, 'node_modules', '@types')];
    const compilerOptions = { strict: true, noEmit: true, skipLibCheck: false, target: 'es2022', module: 'node16', moduleResolution: 'node16', typeRoots, types: ['node'] };
    writeFileSync(path.join(consumerDir, 'tsconfig.json'), JSON.stringify({ compilerOptions, files: ['handler.ts'] }));
    const tsc = path.join(PROJECT_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
    const errors = await run(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: consumerDir }).then(
      () => '',
      (error: { stdout: string }) => error.stdout,
    );
    expect(errors).toBe('');
  }, 90_000);

  test('the older node resolution (which ignores exports) finds the same declarations through typesVersions', () => {
    const resolved = ts.resolveModuleName(ENTRY, path.join(consumerDir, 'handler.ts'), { moduleResolution: ts.ModuleResolutionKind.Node10 }, ts.sys);
    expect(resolved.resolvedModule?.resolvedFileName).toBe(installedEntry.replace(/\.js$/, '.d.ts'));
  });
});

describe('size budget', () => {
  test('the entry bundled with its dependencies, minified, stays within 100 KiB', async () => {
    const result = await build({
      entryPoints: [installedEntry],
      bundle: true,
      minify: true,
      platform: 'node',
      target: 'node22',
      format: 'cjs',
      write: false,
      metafile: true,
      logLevel: 'silent',
    });
    const bytes = result.outputFiles[0]!.contents.byteLength;
    // Not even a lazily required copy: a bundler would carry it whether it is loaded or not.
    expect(Object.keys(result.metafile.inputs).filter((input) => HEAVY.test(`/${input}`))).toEqual([]);
    // 50,066 bytes (48.9 KiB) when written: sonic-boom (the synchronous writer), opentracing, the rest ours.
    expect(bytes).toBeLessThanOrEqual(100 * 1024);
  });
});
