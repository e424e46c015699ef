import { ConfigError } from '../../src/common/env';
import {
  describeTarget,
  embeddedCollectorTarget,
  lightStepRequested,
  loadLightStepTarget,
  readLightStepTarget,
  REPORT_TIMEOUT_MILLIS,
} from '../../src/lightstep/target';

// The one reader of LIGHTSTEP_*: the direct-mode function, the forwarder, the service, the local
// stack and the CLIs all take their target from here.
const TOKEN = 'tok_secret_1234567890';
const PARAMETER = '/lightstep/access-token';

describe('readLightStepTarget', () => {
  it('defaults to LightStep SaaS over TLS, with a report timeout far below lightstep-tracer’s 30 s', () => {
    expect(readLightStepTarget({ LIGHTSTEP_ACCESS_TOKEN: TOKEN })).toEqual({
      accessToken: TOKEN,
      collectorHost: 'collector.lightstep.com',
      collectorPort: 443,
      collectorEncryption: 'tls',
      reportTimeoutMillis: REPORT_TIMEOUT_MILLIS.background,
    });
    // Inside an invocation (direct mode) the default is shorter: longer than the function's Timeout otherwise.
    const direct = readLightStepTarget({ LIGHTSTEP_ACCESS_TOKEN: TOKEN }, { defaultReportTimeoutMillis: REPORT_TIMEOUT_MILLIS.inInvocation });
    expect(direct.reportTimeoutMillis).toBe(2000);
  });

  it('reads a plain-HTTP collector; its default port is 80', () => {
    expect(
      readLightStepTarget({
        LIGHTSTEP_ACCESS_TOKEN: TOKEN,
        LIGHTSTEP_COLLECTOR_HOST: '127.0.0.1',
        LIGHTSTEP_COLLECTOR_PORT: '8360',
        LIGHTSTEP_COLLECTOR_ENCRYPTION: 'none',
        LIGHTSTEP_REPORT_TIMEOUT_MILLIS: '750',
      }),
    ).toEqual({ accessToken: TOKEN, collectorHost: '127.0.0.1', collectorPort: 8360, collectorEncryption: 'none', reportTimeoutMillis: 750 });
    expect(readLightStepTarget({ LIGHTSTEP_ACCESS_TOKEN: TOKEN, LIGHTSTEP_COLLECTOR_ENCRYPTION: 'none' }).collectorPort).toBe(80);
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
    // Not silently taken for tls (the service once did).
    [{ LIGHTSTEP_ACCESS_TOKEN: TOKEN, LIGHTSTEP_COLLECTOR_ENCRYPTION: 'ssl' }, 'LIGHTSTEP_COLLECTOR_ENCRYPTION'],
    [{ LIGHTSTEP_ACCESS_TOKEN: TOKEN, LIGHTSTEP_COLLECTOR_HOST: 'https://collector.lightstep.com' }, 'LIGHTSTEP_COLLECTOR_HOST'],
    [{ LIGHTSTEP_ACCESS_TOKEN: TOKEN, LIGHTSTEP_COLLECTOR_HOST: 'http://x/y' }, 'LIGHTSTEP_COLLECTOR_HOST'],
    [{ LIGHTSTEP_ACCESS_TOKEN: TOKEN, LIGHTSTEP_REPORT_TIMEOUT_MILLIS: '2s' }, 'LIGHTSTEP_REPORT_TIMEOUT_MILLIS'],
    [{ LIGHTSTEP_ACCESS_TOKEN: TOKEN, LIGHTSTEP_REPORT_TIMEOUT_MILLIS: '0' }, 'LIGHTSTEP_REPORT_TIMEOUT_MILLIS'],
    [{ LIGHTSTEP_ACCESS_TOKEN: TOKEN, LIGHTSTEP_REPORT_TIMEOUT_MILLIS: '-5' }, 'LIGHTSTEP_REPORT_TIMEOUT_MILLIS'],
    [{ LIGHTSTEP_ACCESS_TOKEN: TOKEN, LIGHTSTEP_REPORT_TIMEOUT_MILLIS: '1000000' }, 'LIGHTSTEP_REPORT_TIMEOUT_MILLIS'],
  ])('fails on %j naming %s, never echoing the token', (env, variable) => {
    let caught: unknown;
    try {
      readLightStepTarget(env);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    expect((caught as Error).message).toContain(variable);
    expect((caught as Error).message).not.toContain(TOKEN);
  });
});

describe('loadLightStepTarget', () => {
  it('takes the token from the SSM parameter named by LIGHTSTEP_ACCESS_TOKEN_PARAMETER', async () => {
    const asked: string[] = [];
    const target = await loadLightStepTarget({ LIGHTSTEP_ACCESS_TOKEN_PARAMETER: PARAMETER, LIGHTSTEP_COLLECTOR_PORT: '8443' }, {}, async (name) => {
      asked.push(name);
      return TOKEN;
    });
    expect(asked).toEqual([PARAMETER]);
    expect(target).toMatchObject({ accessToken: TOKEN, collectorPort: 8443 });
  });

  it('prefers LIGHTSTEP_ACCESS_TOKEN when both are set (local runs)', async () => {
    const fetch = jest.fn(async () => 'from-ssm');
    await expect(loadLightStepTarget({ LIGHTSTEP_ACCESS_TOKEN: TOKEN, LIGHTSTEP_ACCESS_TOKEN_PARAMETER: PARAMETER }, {}, fetch)).resolves.toMatchObject({
      accessToken: TOKEN,
    });
    expect(fetch).not.toHaveBeenCalled();
  });

  it('names the variable and the parameter when SSM fails, never a value', async () => {
    const denied = Object.assign(new Error('User is not authorized to perform ssm:GetParameter'), { name: 'AccessDeniedException' });
    await expect(
      loadLightStepTarget({ LIGHTSTEP_ACCESS_TOKEN_PARAMETER: PARAMETER }, {}, async () => {
        throw denied;
      }),
    ).rejects.toThrow(/LIGHTSTEP_ACCESS_TOKEN_PARAMETER: could not read SSM parameter \/lightstep\/access-token: AccessDeniedException/);
    // A stored value with whitespace is rejected without being shown.
    const error = await loadLightStepTarget({ LIGHTSTEP_ACCESS_TOKEN_PARAMETER: '/p' }, {}, async () => 'secret value').catch((e: Error) => e);
    expect(String(error)).toContain('LIGHTSTEP_ACCESS_TOKEN');
    expect(String(error)).not.toContain('secret value');
  });

  it('checks the other settings before calling SSM', async () => {
    const fetch = jest.fn(async () => TOKEN);
    await expect(loadLightStepTarget({ LIGHTSTEP_ACCESS_TOKEN_PARAMETER: PARAMETER, LIGHTSTEP_COLLECTOR_PORT: '0' }, {}, fetch)).rejects.toThrow(
      'LIGHTSTEP_COLLECTOR_PORT',
    );
    expect(fetch).not.toHaveBeenCalled();
  });

  it('names both variables when neither is set', async () => {
    await expect(loadLightStepTarget({})).rejects.toThrow(/LIGHTSTEP_ACCESS_TOKEN .*LIGHTSTEP_ACCESS_TOKEN_PARAMETER/);
  });
});

describe('choosing LightStep or the embedded collector', () => {
  it('tools that default to the embedded collector switch only when a token and a host are both given', () => {
    expect(lightStepRequested({ LIGHTSTEP_ACCESS_TOKEN: TOKEN, LIGHTSTEP_COLLECTOR_HOST: 'ingest.lightstep.com' })).toBe(true);
    expect(lightStepRequested({ LIGHTSTEP_ACCESS_TOKEN: TOKEN })).toBe(false);
    expect(lightStepRequested({ LIGHTSTEP_COLLECTOR_HOST: 'ingest.lightstep.com', LIGHTSTEP_ACCESS_TOKEN: '' })).toBe(false);
  });

  it('describes a target without its token', () => {
    expect(describeTarget(readLightStepTarget({ LIGHTSTEP_ACCESS_TOKEN: TOKEN, LIGHTSTEP_COLLECTOR_HOST: 'ingest.lightstep.com' }))).toBe(
      'LightStep at ingest.lightstep.com:443',
    );
    expect(describeTarget(embeddedCollectorTarget(8360))).toBe('the embedded collector at http://127.0.0.1:8360');
  });
});
