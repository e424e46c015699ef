import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { buildBundle, PROJECT_ROOT, readBundleTargets, type BuiltBundle } from '../../scripts/build';
import { startCollector, type RunningCollector } from '../../src/collector/server';
import { encodeSubscriptionEvent } from '../../src/log-span-forwarder/subscription-event';
import { invokeBundle, type Outcome } from './invoke-bundle';

// The deployed stack gives the forwarder and the direct-reporting function only the NAME of the
// SSM SecureString (LIGHTSTEP_ACCESS_TOKEN_PARAMETER); they read the token at cold start with the
// AWS SDK the nodejs22.x runtime provides (kept external by the template's BuildProperties).
// Here the bundles run as Lambda runs them: only @aws-sdk is resolvable besides the bundle (the
// runtime's /var/runtime/node_modules, which Lambda's Node 18+ runtimes expose to require() via
// NODE_PATH and to import() as well), credentials come from the environment, and SSM is a local
// stand-in speaking the real GetParameter protocol (AWS itself is the one accepted fake).

const TOKEN = 'token-from-ssm-7f3a';
const PARAMETER = '/lightstep/access-token';

type GetParameterCall = { target: string | undefined; body: { Name?: string; WithDecryption?: boolean }; signed: boolean };

let workDir: string;
let ssm: Server;
let ssmUrl: string;
const ssmCalls: GetParameterCall[] = [];
let collector: RunningCollector;
const bundles: Record<string, BuiltBundle> = {};

async function readBody(request: IncomingMessage): Promise<string> {
  let body = '';
  for await (const chunk of request) body += String(chunk);
  return body;
}

beforeAll(async () => {
  workDir = mkdtempSync(path.join(os.tmpdir(), 'lambda-ssm-'));
  // ESM import() ignores NODE_PATH in plain Node, so the SDK sits where both require() and
  // import() find it from the bundles: a node_modules above them holding @aws-sdk and nothing else.
  mkdirSync(path.join(workDir, 'node_modules'));
  symlinkSync(path.join(PROJECT_ROOT, 'node_modules', '@aws-sdk'), path.join(workDir, 'node_modules', '@aws-sdk'));

  ssm = createServer((request, response) => {
    void readBody(request).then((text) => {
      const body = JSON.parse(text || '{}') as GetParameterCall['body'];
      ssmCalls.push({
        target: request.headers['x-amz-target'] as string | undefined,
        body,
        signed: String(request.headers.authorization ?? '').startsWith('AWS4-HMAC-SHA256'),
      });
      response.setHeader('content-type', 'application/x-amz-json-1.1');
      if (body.Name !== PARAMETER) {
        response.statusCode = 400;
        response.end(JSON.stringify({ __type: 'ParameterNotFound', message: 'not found' }));
        return;
      }
      response.end(JSON.stringify({ Parameter: { Name: PARAMETER, Type: 'SecureString', Value: TOKEN, Version: 1 } }));
    });
  });
  await new Promise<void>((resolve) => ssm.listen(0, '127.0.0.1', resolve));
  ssmUrl = `http://127.0.0.1:${(ssm.address() as AddressInfo).port}`;

  // A collector that accepts only the token stored in SSM: arriving spans prove it was used.
  collector = await startCollector({ dbPath: ':memory:', accessToken: TOKEN });
  for (const target of readBundleTargets().filter((t) => t.logicalId !== 'TracedFunction')) {
    bundles[target.logicalId] = await buildBundle(target, path.join(workDir, target.logicalId));
  }
});

afterAll(async () => {
  await collector?.close();
  await new Promise<void>((resolve) => (ssm ? ssm.close(() => resolve()) : resolve()));
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

/** What the deployed stack sets (template.yaml), pointed at the local stand-ins. */
function deployedEnv(extra: Record<string, string> = {}): Record<string, string> {
  return {
    AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
    AWS_SESSION_TOKEN: 'session-token',
    AWS_ENDPOINT_URL_SSM: ssmUrl,
    LIGHTSTEP_ACCESS_TOKEN_PARAMETER: PARAMETER,
    LIGHTSTEP_COLLECTOR_HOST: '127.0.0.1',
    LIGHTSTEP_COLLECTOR_PORT: String(collector.port),
    LIGHTSTEP_COLLECTOR_ENCRYPTION: 'none',
    ...extra,
  };
}

function expectTokenNowhere(outcome: Outcome): void {
  expect(`${outcome.error ?? ''}${JSON.stringify(outcome.result ?? null)}${outcome.stdout}${outcome.stderr}`).not.toContain(TOKEN);
}

describe('the LightStep token from SSM, as deployed', () => {
  test('the forwarder bundle reads the SecureString (decrypted) and reports with it', async () => {
    ssmCalls.length = 0;
    const traceId = '55aa55aa55aa0001';
    const event = encodeSubscriptionEvent({
      messageType: 'DATA_MESSAGE',
      owner: '123456789012',
      logGroup: '/aws/lambda/lambda-log-tracing-traced',
      logStream: '2026/11/25/[$LATEST]0123456789abcdef',
      subscriptionFilters: ['TracedFunctionSpanLineSubscription'],
      logEvents: [
        {
          id: '1',
          timestamp: Date.now(),
          message: `{"level":"FATAL","otspan":1,"op":"lambda-execution","dur":12,"comp":"lambda_function","trace":"${traceId}","span":"00000000000000c1","start":1715681730123456}`,
        },
      ],
    });
    const outcome = await invokeBundle(workDir, bundles.LogSpanForwarder!.file, event, deployedEnv(), 'lambda-log-tracing-log-span-forwarder');
    if (outcome.error) throw new Error(`${outcome.phase}: ${outcome.error}\n${outcome.stderr.slice(0, 1500)}`);
    expect(outcome.result).toMatchObject({ forwarded: 1 });
    expect(ssmCalls).toEqual([{ target: 'AmazonSSM.GetParameter', body: { Name: PARAMETER, WithDecryption: true }, signed: true }]);
    expect(collector.store.getTrace(traceId)).toHaveLength(1);
    expectTokenNowhere(outcome);
  });

  test('a missing or unreadable parameter fails the forwarder invocation, naming the parameter, not a token', async () => {
    const event = encodeSubscriptionEvent({
      messageType: 'DATA_MESSAGE',
      owner: '123456789012',
      logGroup: '/aws/lambda/x',
      logStream: 's',
      subscriptionFilters: ['f'],
      logEvents: [{ id: '1', timestamp: Date.now(), message: 'START RequestId: 1 Version: $LATEST' }],
    });
    const outcome = await invokeBundle(
      workDir,
      bundles.LogSpanForwarder!.file,
      event,
      deployedEnv({ LIGHTSTEP_ACCESS_TOKEN_PARAMETER: '/other/parameter' }),
      'lambda-log-tracing-log-span-forwarder',
    );
    expect(outcome.error).toMatch(/\/other\/parameter/);
    expectTokenNowhere(outcome);
  });

  test('the direct-reporting function bundle reads the SecureString and reports lambda-execution with it', async () => {
    ssmCalls.length = 0;
    const traceId = '55aa55aa55aa0002';
    const event = {
      version: '2.0',
      routeKey: 'ANY /function-direct',
      rawPath: '/function-direct',
      rawQueryString: '',
      headers: { 'content-type': 'application/json', 'ot-tracer-traceid': traceId, 'ot-tracer-spanid': '00000000000000d1', 'ot-tracer-sampled': 'true' },
      requestContext: { http: { method: 'POST', path: '/function-direct', protocol: 'HTTP/1.1', sourceIp: '203.0.113.7', userAgent: 'test' }, requestId: 'r', routeKey: 'ANY /function-direct', stage: '$default' },
      body: '{}',
      isBase64Encoded: false,
    };
    const outcome = await invokeBundle(
      workDir,
      bundles.DirectTracedFunction!.file,
      event,
      deployedEnv({ TRACE_REPORTING: 'direct', COMPONENT_NAME: 'lambda_function' }),
      'lambda-log-tracing-traced-direct',
    );
    if (outcome.error) throw new Error(`${outcome.phase}: ${outcome.error}\n${outcome.stderr.slice(0, 1500)}`);
    expect(outcome.result).toMatchObject({ statusCode: 200 });
    expect(ssmCalls).toEqual([{ target: 'AmazonSSM.GetParameter', body: { Name: PARAMETER, WithDecryption: true }, signed: true }]);
    expect(collector.store.getTrace(traceId).map((s) => s.operation)).toContain('lambda-execution');
    expectTokenNowhere(outcome);
  });
});
