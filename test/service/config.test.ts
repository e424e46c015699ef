import { describeTarget } from '../../src/lightstep/target';
import { serviceConfigFromEnv } from '../../src/service/config';

const LOCAL = { lambdaUrl: 'http://127.0.0.1:3001/' };

describe('serviceConfigFromEnv', () => {
  it('defaults to the embedded collector on loopback, plain HTTP, and its trace page', () => {
    const config = serviceConfigFromEnv({}, LOCAL);
    expect(config).toMatchObject({
      host: '127.0.0.1',
      port: 3000,
      lambdaUrl: 'http://127.0.0.1:3001/',
      maxCount: 50,
      tracePageBaseUrl: 'http://127.0.0.1:8360',
      tracer: { collectorHost: '127.0.0.1', collectorPort: 8360, collectorEncryption: 'none' },
    });
  });

  it('follows PORT, COLLECTOR_PORT, LAMBDA_URL and OT_GEN_MAX_COUNT', () => {
    const config = serviceConfigFromEnv({ PORT: '4000', COLLECTOR_PORT: '4002', OT_GEN_MAX_COUNT: '7' }, LOCAL);
    expect(config).toMatchObject({ port: 4000, lambdaUrl: 'http://127.0.0.1:3001/', maxCount: 7, tracePageBaseUrl: 'http://127.0.0.1:4002' });
    expect(serviceConfigFromEnv({ LAMBDA_URL: 'https://abc.execute-api.us-east-1.amazonaws.com/Prod/' }).lambdaUrl).toBe(
      'https://abc.execute-api.us-east-1.amazonaws.com/Prod/',
    );
  });

  it('reports to LightStep when a token AND a collector host are given; the description never holds the token', () => {
    const config = serviceConfigFromEnv({ LIGHTSTEP_ACCESS_TOKEN: 'tok-123', LIGHTSTEP_COLLECTOR_HOST: 'ingest.lightstep.com' }, LOCAL);
    expect(config.tracer).toMatchObject({ collectorHost: 'ingest.lightstep.com', collectorPort: 443, collectorEncryption: 'tls', accessToken: 'tok-123' });
    expect(describeTarget(config.tracer)).not.toContain('tok-123');
    expect(config.tracePageBaseUrl).toBeUndefined(); // no local page for spans that went to LightStep
    // A token alone keeps the embedded collector.
    expect(serviceConfigFromEnv({ LIGHTSTEP_ACCESS_TOKEN: 'tok-123' }, LOCAL).tracer.collectorHost).toBe('127.0.0.1');
  });

  it.each([
    [{ PORT: 'abc' }, /PORT must be a port number/],
    [{ COLLECTOR_PORT: '70000' }, /COLLECTOR_PORT must be a port number/],
    [{ OT_GEN_MAX_COUNT: '0' }, /OT_GEN_MAX_COUNT must be a whole number \(1-/],
    [{ LIGHTSTEP_ACCESS_TOKEN: 'tok-123', LIGHTSTEP_COLLECTOR_HOST: 'h', LIGHTSTEP_COLLECTOR_ENCRYPTION: 'ssl' }, /LIGHTSTEP_COLLECTOR_ENCRYPTION/],
  ])('rejects %p naming the variable', (env, message) => {
    expect(() => serviceConfigFromEnv(env, LOCAL)).toThrow(message);
  });

  it('run alone (no local stack to default to), it needs LAMBDA_URL', () => {
    expect(() => serviceConfigFromEnv({})).toThrow(/LAMBDA_URL is required/);
  });
});
