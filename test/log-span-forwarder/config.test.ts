import { ConfigError, loadConfig, readConfig } from '../../src/log-span-forwarder/config';

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

describe('loadConfig', () => {
  const PARAMETER = '/lightstep/access-token';

  it('takes the token from the SSM parameter named by LIGHTSTEP_ACCESS_TOKEN_PARAMETER', async () => {
    const asked: string[] = [];
    const config = await loadConfig({ LIGHTSTEP_ACCESS_TOKEN_PARAMETER: PARAMETER, LIGHTSTEP_COLLECTOR_PORT: '8443' }, async (name) => {
      asked.push(name);
      return TOKEN;
    });
    expect(asked).toEqual([PARAMETER]);
    expect(config).toMatchObject({ accessToken: TOKEN, collectorPort: 8443 });
  });

  it('prefers LIGHTSTEP_ACCESS_TOKEN when both are set (local runs)', async () => {
    const fetch = jest.fn(async () => 'from-ssm');
    await expect(loadConfig({ LIGHTSTEP_ACCESS_TOKEN: TOKEN, LIGHTSTEP_ACCESS_TOKEN_PARAMETER: PARAMETER }, fetch)).resolves.toMatchObject({
      accessToken: TOKEN,
    });
    expect(fetch).not.toHaveBeenCalled();
  });

  it('names the variable and the parameter when SSM fails', async () => {
    const denied = Object.assign(new Error('User is not authorized to perform ssm:GetParameter'), { name: 'AccessDeniedException' });
    await expect(
      loadConfig({ LIGHTSTEP_ACCESS_TOKEN_PARAMETER: PARAMETER }, async () => {
        throw denied;
      }),
    ).rejects.toThrow(/LIGHTSTEP_ACCESS_TOKEN_PARAMETER: could not read SSM parameter \/lightstep\/access-token: AccessDeniedException/);
  });

  it('checks the other settings before calling SSM', async () => {
    const fetch = jest.fn(async () => TOKEN);
    await expect(loadConfig({ LIGHTSTEP_ACCESS_TOKEN_PARAMETER: PARAMETER, LIGHTSTEP_COLLECTOR_PORT: '0' }, fetch)).rejects.toThrow(
      'LIGHTSTEP_COLLECTOR_PORT',
    );
    expect(fetch).not.toHaveBeenCalled();
  });

  it('names both variables when neither is set', async () => {
    await expect(loadConfig({})).rejects.toThrow(/LIGHTSTEP_ACCESS_TOKEN .*LIGHTSTEP_ACCESS_TOKEN_PARAMETER/);
  });
});
