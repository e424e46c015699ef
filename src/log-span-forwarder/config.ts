import { fetchAccessTokenParameter } from './access-token-parameter';

/** The forwarder's settings, named like lightstep-tracer's options. Read once per container. */
export interface ForwarderConfig {
  accessToken: string;
  collectorHost: string;
  collectorPort: number;
  collectorEncryption: 'tls' | 'none';
}

export const DEFAULT_COLLECTOR_HOST = 'collector.lightstep.com';
export const DEFAULT_COLLECTOR_PORT = 443;

/** A missing or bad setting. The message names the variable and never echoes the access token. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/**
 * The configuration, with the token taken from LIGHTSTEP_ACCESS_TOKEN or, when only
 * LIGHTSTEP_ACCESS_TOKEN_PARAMETER is set (the deployed stack), from that SSM SecureString.
 */
export async function loadConfig(
  env: NodeJS.ProcessEnv = process.env,
  fetchParameter: (name: string) => Promise<string> = fetchAccessTokenParameter,
): Promise<ForwarderConfig> {
  const parameter = env.LIGHTSTEP_ACCESS_TOKEN_PARAMETER;
  if (!env.LIGHTSTEP_ACCESS_TOKEN && parameter) {
    readConfig({ ...env, LIGHTSTEP_ACCESS_TOKEN: 'checked-below' }); // the other settings fail first, and fast
    let token: string;
    try {
      token = await fetchParameter(parameter);
    } catch (error) {
      // SDK errors name the parameter and the reason (AccessDenied, ParameterNotFound), never a value.
      throw new ConfigError(
        `LIGHTSTEP_ACCESS_TOKEN_PARAMETER: could not read SSM parameter ${parameter}: ${(error as Error).name}: ${(error as Error).message}`,
      );
    }
    return readConfig({ ...env, LIGHTSTEP_ACCESS_TOKEN: token });
  }
  return readConfig(env);
}

/** The configuration from the environment alone (LIGHTSTEP_ACCESS_TOKEN must be set). */
export function readConfig(env: NodeJS.ProcessEnv = process.env): ForwarderConfig {
  const accessToken = env.LIGHTSTEP_ACCESS_TOKEN;
  if (accessToken === undefined || accessToken.trim() === '') {
    throw new ConfigError(
      'LIGHTSTEP_ACCESS_TOKEN is not set (the LightStep project access token; or set LIGHTSTEP_ACCESS_TOKEN_PARAMETER to an SSM SecureString name)',
    );
  }
  if (accessToken !== accessToken.trim() || /\s/.test(accessToken)) {
    // An HTTP header cannot carry it; say so without showing it.
    throw new ConfigError('LIGHTSTEP_ACCESS_TOKEN contains whitespace');
  }
  return {
    accessToken,
    collectorHost: readHost(env.LIGHTSTEP_COLLECTOR_HOST),
    collectorPort: readPort(env.LIGHTSTEP_COLLECTOR_PORT),
    collectorEncryption: readEncryption(env.LIGHTSTEP_COLLECTOR_ENCRYPTION),
  };
}

function readHost(raw: string | undefined): string {
  if (raw === undefined || raw === '') return DEFAULT_COLLECTOR_HOST;
  if (!/^[A-Za-z0-9.-]+$/.test(raw) && !/^\[[0-9A-Fa-f:.]+\]$/.test(raw)) {
    throw new ConfigError(
      `LIGHTSTEP_COLLECTOR_HOST must be a host name without scheme, port or path, got ${JSON.stringify(raw)}`,
    );
  }
  return raw;
}

function readPort(raw: string | undefined): number {
  if (raw === undefined || raw === '') return DEFAULT_COLLECTOR_PORT;
  const port = /^\d+$/.test(raw) ? Number(raw) : NaN;
  if (!(port >= 1 && port <= 65535)) {
    throw new ConfigError(`LIGHTSTEP_COLLECTOR_PORT must be an integer 1..65535, got ${JSON.stringify(raw)}`);
  }
  return port;
}

function readEncryption(raw: string | undefined): 'tls' | 'none' {
  if (raw === undefined || raw === '') return 'tls';
  if (raw === 'tls' || raw === 'none') return raw;
  throw new ConfigError(`LIGHTSTEP_COLLECTOR_ENCRYPTION must be "tls" or "none", got ${JSON.stringify(raw)}`);
}
