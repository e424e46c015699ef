import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { startCollector, type RunningCollector } from '../../src/collector/server';
import { lambdaContext, loadEvent } from './helpers/lambda';

// Direct mode with the token in SSM (the deployed stack): a failed read fails that invocation
// only, and the next one reads the parameter again instead of pinning the container to failing.
const TOKEN = 'ls_token_direct_ssm_0123456789';
const ENV = ['TRACE_REPORTING', 'LIGHTSTEP_ACCESS_TOKEN', 'LIGHTSTEP_ACCESS_TOKEN_PARAMETER', 'LIGHTSTEP_COLLECTOR_HOST', 'LIGHTSTEP_COLLECTOR_PORT', 'LIGHTSTEP_COLLECTOR_ENCRYPTION', 'AWS_REGION'];
const saved = Object.fromEntries(ENV.map((key) => [key, process.env[key]]));

let collector: RunningCollector;
beforeAll(async () => {
  collector = await startCollector({ port: 0, dbPath: ':memory:', accessToken: TOKEN });
});
afterAll(async () => {
  for (const key of ENV) {
    if (saved[key] === undefined) delete process.env[key];
    else process.env[key] = saved[key];
  }
  await collector.close();
});

test('a throttled SSM read fails the first invocation; the second reads again and reports', async () => {
  const ssm = mockClient(SSMClient);
  ssm
    .on(GetParameterCommand)
    .rejectsOnce(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }))
    .resolves({ Parameter: { Value: TOKEN } });
  Object.assign(process.env, {
    TRACE_REPORTING: 'direct',
    LIGHTSTEP_ACCESS_TOKEN_PARAMETER: '/lightstep/access-token',
    LIGHTSTEP_COLLECTOR_HOST: '127.0.0.1',
    LIGHTSTEP_COLLECTOR_PORT: String(collector.port),
    LIGHTSTEP_COLLECTOR_ENCRYPTION: 'none',
    AWS_REGION: 'eu-west-1',
  });
  delete process.env.LIGHTSTEP_ACCESS_TOKEN;
  let handler!: typeof import('../../src/function/handler').handler;
  jest.isolateModules(() => {
    handler = (require('../../src/function/handler') as typeof import('../../src/function/handler')).handler;
  });
  try {
    const event = loadEvent('http-api-v2.json');
    await expect(handler(event as never, lambdaContext())).rejects.toThrow(/could not read SSM parameter \/lightstep\/access-token: ThrottlingException/);
    const response = await handler(event as never, lambdaContext());
    expect(response.statusCode).toBe(200);
    expect(ssm.calls()).toHaveLength(2);
    // The collector accepts only TOKEN: the spans prove the second read's value was used.
    expect(collector.store.countSpans()).toBeGreaterThan(0);
  } finally {
    ssm.restore();
  }
});
