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

export function readConfig(env: NodeJS.ProcessEnv = process.env): ForwarderConfig {
  const accessToken = env.LIGHTSTEP_ACCESS_TOKEN;
  if (accessToken === undefined || accessToken.trim() === '') {
    throw new ConfigError('LIGHTSTEP_ACCESS_TOKEN is not set (the LightStep project access token)');
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
