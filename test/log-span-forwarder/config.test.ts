import { ConfigError, readConfig } from '../../src/log-span-forwarder/config';

const TOKEN = 'tok_secret_1234567890';

describe('readConfig', () => {
  it('defaults to LightStep SaaS over TLS', () => {
    expect(readConfig({ LIGHTSTEP_ACCESS_TOKEN: TOKEN })).toEqual({
      accessToken: TOKEN,
      collectorHost: 'collector.lightstep.com',
      collectorPort: 443,
      collectorEncryption: 'tls',
    });
  });

  it('reads a local collector', () => {
    expect(
      readConfig({
        LIGHTSTEP_ACCESS_TOKEN: TOKEN,
        LIGHTSTEP_COLLECTOR_HOST: '127.0.0.1',
        LIGHTSTEP_COLLECTOR_PORT: '8360',
        LIGHTSTEP_COLLECTOR_ENCRYPTION: 'none',
      }),
    ).toEqual({ accessToken: TOKEN, collectorHost: '127.0.0.1', collectorPort: 8360, collectorEncryption: 'none' });
  });

  it.each([
    [{}, 'LIGHTSTEP_ACCESS_TOKEN'],
    [{ LIGHTSTEP_ACCESS_TOKEN: '  ' }, 'LIGHTSTEP_ACCESS_TOKEN'],
    [{ LIGHTSTEP_ACCESS_TOKEN: `${TOKEN} x` }, 'LIGHTSTEP_ACCESS_TOKEN'],
    [{ LIGHTSTEP_ACCESS_TOKEN: TOKEN, LIGHTSTEP_COLLECTOR_PORT: '0' }, 'LIGHTSTEP_COLLECTOR_PORT'],
    [{ LIGHTSTEP_ACCESS_TOKEN: TOKEN, LIGHTSTEP_COLLECTOR_PORT: '65536' }, 'LIGHTSTEP_COLLECTOR_PORT'],
    [{ LIGHTSTEP_ACCESS_TOKEN: TOKEN, LIGHTSTEP_COLLECTOR_PORT: '443.5' }, 'LIGHTSTEP_COLLECTOR_PORT'],
    [{ LIGHTSTEP_ACCESS_TOKEN: TOKEN, LIGHTSTEP_COLLECTOR_PORT: 'https' }, 'LIGHTSTEP_COLLECTOR_PORT'],
    [{ LIGHTSTEP_ACCESS_TOKEN: TOKEN, LIGHTSTEP_COLLECTOR_ENCRYPTION: 'TLS1.3' }, 'LIGHTSTEP_COLLECTOR_ENCRYPTION'],
    [{ LIGHTSTEP_ACCESS_TOKEN: TOKEN, LIGHTSTEP_COLLECTOR_HOST: 'https://collector.lightstep.com' }, 'LIGHTSTEP_COLLECTOR_HOST'],
  ])('fails on %j naming %s, never echoing the token', (env, variable) => {
    let caught: unknown;
    try {
      readConfig(env);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    expect((caught as Error).message).toContain(variable);
    expect((caught as Error).message).not.toContain(TOKEN);
  });
});
