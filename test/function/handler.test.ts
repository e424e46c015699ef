import { readFunctionConfig } from '../../src/function/config';
import { decodeAll, loadEvent } from './helpers/lambda';
import { LOG_MODE_ENV, runTs } from './helpers/run-node';

// The real exported handler, in fresh processes (a cold container each), stdout captured as
// Lambda captures it.
describe('handler (log mode) in a child process', () => {
  test('three event shapes in one warm container: span lines on stdout, joined to each caller', async () => {
    const input = ['apigw-rest-v1.json', 'http-api-v2.json', 'function-url.json']
      .map((file) => JSON.stringify(loadEvent(file)))
      .join('\n');
    const run = await runTs('src/function/local-invoke.ts', [], { ...LOG_MODE_ENV, COMPONENT_NAME: 'checkout_fn' }, input + '\n');
    expect(run.code).toBe(0);
    const results = run.stderr.trim().split('\n').map((line) => JSON.parse(line) as { response: { statusCode: number; body: string } });
    expect(results.map((result) => result.response.statusCode)).toEqual([200, 200, 500]);

    const lines = run.stdout.trim().split('\n');
    const spans = decodeAll(lines); // every stdout line is a valid span line
    expect(spans.map((span) => span.operation)).toEqual(['compute', 'lambda-execution', 'compute', 'lambda-execution', 'compute', 'lambda-execution']);
    const executions = spans.filter((span) => span.operation === 'lambda-execution');
    expect(executions.map((span) => span.parentSpanId)).toEqual(['9d2c5f1b3a4e6f70', '4e1f0a9b8c7d6e5f', '0f1e2d3c4b5a6978']);
    expect(executions.map((span) => span.tags['faas.coldstart'])).toEqual([true, false, false]);
    expect(executions.map((span) => span.tags.error)).toEqual([undefined, undefined, true]);
    expect(new Set(spans.map((span) => span.component))).toEqual(new Set(['checkout_fn']));
    expect(JSON.parse(results[0].response.body)).toEqual({ ok: true, traceId: '5b8aa5a2d2c872e8', spanId: executions[0].spanId });
  });

  test('log mode never loads lightstep-tracer (direct mode, the control, does)', async () => {
    const lastLine = (text: string): unknown => JSON.parse(text.trim().split('\n').pop()!);
    const logMode = await runTs('test/function/fixtures/log-mode-load.ts', [], LOG_MODE_ENV);
    // Neither lightstep-tracer nor ajv (the forwarder-side decoder's schema) is a cold-start cost here.
    expect(lastLine(logMode.stderr)).toEqual({ statusCode: 200, lightstepModules: 0, ajvModules: 0 });
    expect(decodeAll(logMode.stdout.trim().split('\n')).map((span) => span.operation)).toEqual(['lambda-execution']); // no n: no compute span

    const directMode = await runTs('test/function/fixtures/log-mode-load.ts', [], {
      TRACE_REPORTING: 'direct',
      LIGHTSTEP_ACCESS_TOKEN: 'control-token',
      LIGHTSTEP_COLLECTOR_HOST: '127.0.0.1',
      LIGHTSTEP_COLLECTOR_PORT: '9', // nothing listens: the flush fails fast, reported on stderr
      LIGHTSTEP_COLLECTOR_ENCRYPTION: 'none',
    });
    expect(lastLine(directMode.stderr)).toEqual({ statusCode: 200, lightstepModules: expect.any(Number), ajvModules: 0 });
    expect((lastLine(directMode.stderr) as { lightstepModules: number }).lightstepModules).toBeGreaterThan(0);
    expect(directMode.stderr).toContain('traced: telemetry error: LightStep report failed');
    expect(directMode.stdout).toBe(''); // direct mode writes no span lines
  });

  test('the span line is on stdout before the handler resolves (a SIGKILL right after loses nothing)', async () => {
    const run = await runTs('test/function/fixtures/resolve-then-die.ts', ['events/http-api-v2.json'], LOG_MODE_ENV);
    expect(run.signal).toBe('SIGKILL');
    const lines = run.stdout.trim().split('\n');
    expect(lines[lines.length - 1]).toBe('RESOLVED-MARKER');
    const spans = decodeAll(lines.slice(0, -1));
    expect(spans.map((span) => span.operation)).toEqual(['compute', 'lambda-execution']);
  });

  test('a bad TRACE_REPORTING fails the cold start with a message naming it', async () => {
    const run = await runTs('src/function/local-invoke.ts', ['events/http-api-v2.json'], { ...LOG_MODE_ENV, TRACE_REPORTING: 'stdout' });
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain('TRACE_REPORTING must be "log" or "direct", got "stdout"');
    expect(run.stdout).toBe('');
  });

  test('direct mode with a bad port fails naming the variable, never printing the token', async () => {
    const run = await runTs('src/function/local-invoke.ts', ['events/http-api-v2.json'], {
      TRACE_REPORTING: 'direct',
      LIGHTSTEP_ACCESS_TOKEN: 'sekret-token-4242',
      LIGHTSTEP_COLLECTOR_PORT: 'http',
    });
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain('LIGHTSTEP_COLLECTOR_PORT');
    expect(run.stderr + run.stdout).not.toContain('sekret-token-4242');
  });
});

describe('configuration', () => {
  test('defaults: log mode, component lambda_function', () => {
    expect(readFunctionConfig({})).toEqual({ mode: 'log', componentName: 'lambda_function' });
    expect(readFunctionConfig({ TRACE_REPORTING: 'direct', COMPONENT_NAME: 'svc' })).toEqual({ mode: 'direct', componentName: 'svc' });
  });
});
