// The one reader of the LIGHTSTEP_* settings: the direct-mode function, the forwarder, the
// service, the local stack and the CLIs all get their LightStep target here. Loading this file
// never loads lightstep-tracer (the function's log mode imports it).
import { ConfigError, readInteger, readPort, setting, type Env } from '../common/env';
import { describeFetchFailure, fetchSecureString } from '../common/ssm-parameter';

/** Where reports go, named like lightstep-tracer's options. */
export interface LightStepTarget {
  /** Never printed. */
  accessToken: string;
  collectorHost: string;
  collectorPort: number;
  collectorEncryption: 'tls' | 'none';
  /** How long one report may wait for the collector's answer. */
  reportTimeoutMillis: number;
}

export const DEFAULT_COLLECTOR_HOST = 'collector.lightstep.com';

/**
 * Report timeouts. lightstep-tracer's own default is 30 s, longer than a function's Timeout: a
 * collector that accepts and never answers would hold every invocation until Lambda kills it.
 * A healthy collector answers in tens of ms; inside an invocation (direct mode) 2 s bounds the
 * damage, while a forwarder or service report of thousands of spans gets 5 s.
 */
export const REPORT_TIMEOUT_MILLIS = { inInvocation: 2000, background: 5000 } as const;
const MAX_REPORT_TIMEOUT_MILLIS = 900_000; // Lambda's longest Timeout

/** The embedded collector ignores the token; lightstep-tracer insists on one. */
export const EMBEDDED_COLLECTOR_TOKEN = 'local-dev-token';

export interface TargetOptions {
  /** REPORT_TIMEOUT_MILLIS.inInvocation for the direct-mode function, else background. */
  defaultReportTimeoutMillis?: number;
}

/**
 * The target from the environment alone (LIGHTSTEP_ACCESS_TOKEN must be set). Throws a
 * ConfigError naming the variable; the token is never echoed.
 */
export function readLightStepTarget(env: Env, options: TargetOptions = {}): LightStepTarget {
  const accessToken = env.LIGHTSTEP_ACCESS_TOKEN;
  if (accessToken === undefined || accessToken.trim() === '') {
    throw new ConfigError(
      'LIGHTSTEP_ACCESS_TOKEN is not set (the LightStep project access token; or set LIGHTSTEP_ACCESS_TOKEN_PARAMETER to an SSM SecureString name)',
    );
  }
  // An HTTP header cannot carry it; say so without showing it.
  if (/\s/.test(accessToken)) throw new ConfigError('LIGHTSTEP_ACCESS_TOKEN contains whitespace');
  const collectorEncryption = readEncryption(env);
  return {
    accessToken,
    collectorHost: readHost(env),
    collectorPort: readPort(env, 'LIGHTSTEP_COLLECTOR_PORT', collectorEncryption === 'tls' ? 443 : 80, 'connect'),
    collectorEncryption,
    reportTimeoutMillis: readInteger(
      env,
      'LIGHTSTEP_REPORT_TIMEOUT_MILLIS',
      options.defaultReportTimeoutMillis ?? REPORT_TIMEOUT_MILLIS.background,
      1,
      MAX_REPORT_TIMEOUT_MILLIS,
    ),
  };
}

/**
 * The target with the token from LIGHTSTEP_ACCESS_TOKEN or, when only
 * LIGHTSTEP_ACCESS_TOKEN_PARAMETER is set (the deployed stack), from that SSM SecureString.
 * Every other setting is checked before the SSM call, so a typo fails fast.
 */
export async function loadLightStepTarget(
  env: Env,
  options: TargetOptions = {},
  fetchParameter: (name: string) => Promise<string> = fetchSecureString,
): Promise<LightStepTarget> {
  const parameter = setting(env, 'LIGHTSTEP_ACCESS_TOKEN_PARAMETER');
  if (setting(env, 'LIGHTSTEP_ACCESS_TOKEN') !== undefined || parameter === undefined) return readLightStepTarget(env, options);
  readLightStepTarget({ ...env, LIGHTSTEP_ACCESS_TOKEN: 'checked-after-the-fetch' }, options);
  let token: string;
  try {
    token = await fetchParameter(parameter);
  } catch (error) {
    // SDK errors name the parameter and the reason (AccessDenied, ParameterNotFound), never a value.
    throw new ConfigError(describeFetchFailure('LIGHTSTEP_ACCESS_TOKEN_PARAMETER', parameter, error));
  }
  return readLightStepTarget({ ...env, LIGHTSTEP_ACCESS_TOKEN: token }, options);
}

/** Whether the token is read from SSM (the first invocation then awaits it). */
export function tokenComesFromSsm(env: Env): boolean {
  return setting(env, 'LIGHTSTEP_ACCESS_TOKEN') === undefined && setting(env, 'LIGHTSTEP_ACCESS_TOKEN_PARAMETER') !== undefined;
}

/** Whether the LightStep settings are present (the forwarder's LightStep sink is on): a token or its SSM parameter. */
export function lightStepConfigured(env: Env): boolean {
  return setting(env, 'LIGHTSTEP_ACCESS_TOKEN') !== undefined || setting(env, 'LIGHTSTEP_ACCESS_TOKEN_PARAMETER') !== undefined;
}

/**
 * For the tools that default to the embedded collector (the service, `npm start`, `npm run
 * replay`): LightStep is meant when a token and a collector host are both given.
 */
export function lightStepRequested(env: Env): boolean {
  return setting(env, 'LIGHTSTEP_ACCESS_TOKEN') !== undefined && setting(env, 'LIGHTSTEP_COLLECTOR_HOST') !== undefined;
}

/** The embedded collector on loopback: plain HTTP, any token. */
export function embeddedCollectorTarget(port: number): LightStepTarget {
  return {
    accessToken: EMBEDDED_COLLECTOR_TOKEN,
    collectorHost: '127.0.0.1',
    collectorPort: port,
    collectorEncryption: 'none',
    reportTimeoutMillis: REPORT_TIMEOUT_MILLIS.background,
  };
}

/** A name for the target that is safe to print (no token). */
export function describeTarget(target: LightStepTarget): string {
  if (target.collectorHost === '127.0.0.1' && target.accessToken === EMBEDDED_COLLECTOR_TOKEN) {
    return `the embedded collector at http://127.0.0.1:${target.collectorPort}`;
  }
  return `LightStep at ${target.collectorHost}:${target.collectorPort}`;
}

function readHost(env: Env): string {
  const raw = setting(env, 'LIGHTSTEP_COLLECTOR_HOST');
  if (raw === undefined) return DEFAULT_COLLECTOR_HOST;
  if (!/^[A-Za-z0-9.-]+$/.test(raw) && !/^\[[0-9A-Fa-f:.]+\]$/.test(raw)) {
    throw new ConfigError(
      `LIGHTSTEP_COLLECTOR_HOST must be a host name without scheme, port or path, got ${JSON.stringify(raw.slice(0, 80))}`,
    );
  }
  return raw;
}

function readEncryption(env: Env): 'tls' | 'none' {
  const raw = setting(env, 'LIGHTSTEP_COLLECTOR_ENCRYPTION');
  if (raw === undefined) return 'tls';
  if (raw === 'tls' || raw === 'none') return raw;
  throw new ConfigError(`LIGHTSTEP_COLLECTOR_ENCRYPTION must be "tls" or "none", got ${JSON.stringify(raw.slice(0, 40))}`);
}
