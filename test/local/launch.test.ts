import pino from 'pino';
import { startCollector, type RunningCollector } from '../../src/collector/server';
import { launch, replayCommand, type Launched } from '../../src/local/launch';
import type { OtGenResponse } from '../../src/service/ot-gen';
import { startFunctionStub } from '../service/function-stub';
import { pollUntil } from './helpers';

const TOKEN = 'ls_launch_token_0123456789';
const quiet = pino({ level: 'silent' });

describe('npm start with LAMBDA_URL (a deployed function): the service alone, reporting to LightStep', () => {
  let lightstep: RunningCollector; // the embedded collector plays LightStep: it accepts only TOKEN
  let deployedFunction: Awaited<ReturnType<typeof startFunctionStub>>;
  let launched: Launched | undefined;
  beforeEach(async () => {
    lightstep = await startCollector({ port: 0, dbPath: ':memory:', accessToken: TOKEN });
    deployedFunction = await startFunctionStub();
  });
  afterEach(async () => {
    await launched?.close();
    launched = undefined;
    await deployedFunction.close();
    await lightstep.close();
  });

  it('calls LAMBDA_URL, reports the service spans to LightStep, and says the local pipeline is skipped', async () => {
    launched = await launch(
      {
        LAMBDA_URL: deployedFunction.url,
        PORT: '0',
        LIGHTSTEP_ACCESS_TOKEN: TOKEN,
        LIGHTSTEP_COLLECTOR_HOST: '127.0.0.1',
        LIGHTSTEP_COLLECTOR_PORT: String(lightstep.port),
        LIGHTSTEP_COLLECTOR_ENCRYPTION: 'none',
      },
      quiet,
    );
    expect(launched.banner).toContain(`function:     ${deployedFunction.url}   (LAMBDA_URL)`);
    expect(launched.banner).toContain('no local function endpoint, log shipping or forwarder');
    expect(launched.banner).toContain(`spans go to:  LightStep at 127.0.0.1:${lightstep.port}`);
    expect(launched.banner).not.toContain(TOKEN);
    expect(launched.banner).not.toMatch(/trace page|dead letters/);

    const tryIt = /try it: +(\S+)/.exec(launched.banner)![1]!;
    const response = await fetch(tryIt);
    expect(response.status).toBe(200);
    const result = (await response.json()) as OtGenResponse;
    expect(deployedFunction.calls).toHaveLength(3);
    for (const call of deployedFunction.calls) expect(call.headers['ot-tracer-traceid']).toBe(result.traceId);
    // The service's half of the trace is where the function's half goes: one trace, not split.
    const spans = await pollUntil(
      async () => lightstep.store.getTrace(result.traceId),
      (s) => s.length >= 4,
    );
    expect(spans.map((s) => s.operation).sort()).toEqual(['router', 'service-egress', 'service-egress', 'service-egress']);
  });

  it('refuses LAMBDA_URL without the LightStep variables (the trace would be split), naming them', async () => {
    await expect(launch({ LAMBDA_URL: deployedFunction.url, PORT: '0' }, quiet)).rejects.toThrow(
      /LAMBDA_URL is set.*LIGHTSTEP_ACCESS_TOKEN and LIGHTSTEP_COLLECTOR_HOST/,
    );
  });
});

describe('npm start settings', () => {
  it.each([
    [{ FUNCTION_PORT: 'abc' }, /FUNCTION_PORT must be a port number \(0-65535\)/],
    [{ COLLECTOR_PORT: '70000' }, /COLLECTOR_PORT must be a port number/],
    [{ LIGHTSTEP_ACCESS_TOKEN: TOKEN, LIGHTSTEP_COLLECTOR_HOST: 'h', LIGHTSTEP_COLLECTOR_ENCRYPTION: 'ssl' }, /LIGHTSTEP_COLLECTOR_ENCRYPTION/],
  ])('fails on %j before anything starts, naming the variable', async (env, message) => {
    await expect(launch(env, quiet)).rejects.toThrow(message);
  });
});

describe("the banner's replay hint", () => {
  it('names COLLECTOR_PORT only when it is not the default, and a dead-letter file other than the default', () => {
    expect(replayCommand({ collectorPort: 8360, deadLetterPath: '.local/dead-letter.jsonl', usesLightStep: false })).toBe('npm run replay');
    expect(replayCommand({ collectorPort: 9360, deadLetterPath: '.local/dead-letter.jsonl', usesLightStep: false })).toBe(
      'COLLECTOR_PORT=9360 npm run replay',
    );
    expect(replayCommand({ collectorPort: 9360, deadLetterPath: '/tmp/dlq.jsonl', usesLightStep: false })).toBe(
      'COLLECTOR_PORT=9360 npm run replay -- --file /tmp/dlq.jsonl',
    );
  });

  it('with LightStep, names its variables (never their values) instead of the collector port', () => {
    expect(replayCommand({ collectorPort: 9360, deadLetterPath: '.local/dead-letter.jsonl', usesLightStep: true })).toBe(
      'LIGHTSTEP_ACCESS_TOKEN=… LIGHTSTEP_COLLECTOR_HOST=… npm run replay',
    );
  });
});
