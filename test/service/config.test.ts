import { serviceConfigFromEnv } from '../../src/service/config';

describe('serviceConfigFromEnv', () => {
  it('defaults to the embedded collector on loopback, plain HTTP, and its trace page', () => {
    const config = serviceConfigFromEnv({});
    expect(config).toMatchObject({
      host: '127.0.0.1',
      port: 3000,
      lambdaUrl: 'http://127.0.0.1:3001/',
      maxCount: 50,
      tracePageBaseUrl: 'http://127.0.0.1:8360',
      tracer: { collectorHost: '127.0.0.1', collectorPort: 8360, encryption: 'none' },
    });
  });

  it('follows PORT, FUNCTION_PORT, COLLECTOR_PORT, LAMBDA_URL and OT_GEN_MAX_COUNT', () => {
    const config = serviceConfigFromEnv({ PORT: '4000', FUNCTION_PORT: '4001', COLLECTOR_PORT: '4002', OT_GEN_MAX_COUNT: '7' });
    expect(config).toMatchObject({ port: 4000, lambdaUrl: 'http://127.0.0.1:4001/', maxCount: 7, tracePageBaseUrl: 'http://127.0.0.1:4002' });
    expect(serviceConfigFromEnv({ LAMBDA_URL: 'https://abc.execute-api.us-east-1.amazonaws.com/Prod/' }).lambdaUrl).toBe(
      'https://abc.execute-api.us-east-1.amazonaws.com/Prod/',
    );
  });

  it('reports to LightStep when a token AND a collector host are given; the description never holds the token', () => {
    const config = serviceConfigFromEnv({ LIGHTSTEP_ACCESS_TOKEN: 'tok-123', LIGHTSTEP_COLLECTOR_HOST: 'ingest.lightstep.com' });
    expect(config.tracer).toMatchObject({ collectorHost: 'ingest.lightstep.com', collectorPort: 443, encryption: 'tls', accessToken: 'tok-123' });
    expect(config.tracer.description).not.toContain('tok-123');
    expect(config.tracePageBaseUrl).toBeUndefined(); // no local page for spans that went to LightStep
    // A token alone keeps the embedded collector.
    expect(serviceConfigFromEnv({ LIGHTSTEP_ACCESS_TOKEN: 'tok-123' }).tracer.collectorHost).toBe('127.0.0.1');
  });

  it.each([
    [{ PORT: 'abc' }, /PORT must be a port number/],
    [{ COLLECTOR_PORT: '70000' }, /COLLECTOR_PORT must be a port number/],
    [{ OT_GEN_MAX_COUNT: '0' }, /OT_GEN_MAX_COUNT must be a positive integer/],
  ])('rejects %p naming the variable', (env, message) => {
    expect(() => serviceConfigFromEnv(env)).toThrow(message);
  });
});
