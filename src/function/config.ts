/** How the function reports spans: `log` (span lines on stdout, default) or `direct` (lightstep-tracer over the network). */
export type ReportingMode = 'log' | 'direct';

export interface FunctionConfig {
  mode: ReportingMode;
  /** LightStep component the function's spans belong to. */
  componentName: string;
}

export interface DirectReportingConfig {
  accessToken: string;
  collectorHost: string;
  collectorPort: number;
  collectorEncryption: 'tls' | 'none';
  /**
   * How long one report may wait for the collector's answer. lightstep-tracer's own default is
   * 30 s, three times the function's Timeout: a collector that accepts and never answers would
   * hold every invocation until Lambda kills it.
   */
  reportTimeoutMillis: number;
}

/** Default of LIGHTSTEP_REPORT_TIMEOUT_MILLIS: a healthy collector answers in tens of ms. */
export const DEFAULT_REPORT_TIMEOUT_MILLIS = 2000;
const MAX_REPORT_TIMEOUT_MILLIS = 900_000; // Lambda's longest Timeout

type Env = Record<string, string | undefined>;

/** TRACE_REPORTING and COMPONENT_NAME. Throws a message naming the variable when one is bad. */
export function readFunctionConfig(env: Env = process.env): FunctionConfig {
  const mode = env.TRACE_REPORTING === undefined || env.TRACE_REPORTING === '' ? 'log' : env.TRACE_REPORTING;
  if (mode !== 'log' && mode !== 'direct') {
    throw new Error(`TRACE_REPORTING must be "log" or "direct", got ${JSON.stringify(mode.slice(0, 40))}`);
  }
  const componentName = env.COMPONENT_NAME === undefined || env.COMPONENT_NAME === '' ? 'lambda_function' : env.COMPONENT_NAME;
  return { mode, componentName };
}

/**
 * The LIGHTSTEP_* settings direct mode needs, named like lightstep-tracer's options. Errors name
 * the variable and never echo the access token.
 */
export function readDirectReportingConfig(env: Env = process.env): DirectReportingConfig {
  const accessToken = env.LIGHTSTEP_ACCESS_TOKEN;
  if (accessToken === undefined || accessToken.trim() === '') {
    throw new Error(
      'LIGHTSTEP_ACCESS_TOKEN is required when TRACE_REPORTING=direct (or LIGHTSTEP_ACCESS_TOKEN_PARAMETER, the name of an SSM SecureString holding it)',
    );
  }
  if (/\s/.test(accessToken)) throw new Error('LIGHTSTEP_ACCESS_TOKEN must not contain whitespace');

  const encryption = env.LIGHTSTEP_COLLECTOR_ENCRYPTION || 'tls';
  if (encryption !== 'tls' && encryption !== 'none') {
    throw new Error(`LIGHTSTEP_COLLECTOR_ENCRYPTION must be "tls" or "none", got ${JSON.stringify(encryption.slice(0, 40))}`);
  }

  const collectorHost = env.LIGHTSTEP_COLLECTOR_HOST || 'collector.lightstep.com';
  if (/[\s/]/.test(collectorHost)) {
    throw new Error(`LIGHTSTEP_COLLECTOR_HOST must be a host name, got ${JSON.stringify(collectorHost.slice(0, 80))}`);
  }

  const portText = env.LIGHTSTEP_COLLECTOR_PORT || (encryption === 'tls' ? '443' : '80');
  const collectorPort = Number(portText);
  if (!/^\d+$/.test(portText) || collectorPort < 1 || collectorPort > 65535) {
    throw new Error(`LIGHTSTEP_COLLECTOR_PORT must be a port number (1-65535), got ${JSON.stringify(portText.slice(0, 20))}`);
  }

  const timeoutText = env.LIGHTSTEP_REPORT_TIMEOUT_MILLIS || String(DEFAULT_REPORT_TIMEOUT_MILLIS);
  const reportTimeoutMillis = Number(timeoutText);
  if (!/^\d+$/.test(timeoutText) || reportTimeoutMillis < 1 || reportTimeoutMillis > MAX_REPORT_TIMEOUT_MILLIS) {
    throw new Error(
      `LIGHTSTEP_REPORT_TIMEOUT_MILLIS must be a whole number of milliseconds (1-${MAX_REPORT_TIMEOUT_MILLIS}), got ${JSON.stringify(timeoutText.slice(0, 20))}`,
    );
  }
  return { accessToken, collectorHost, collectorPort, collectorEncryption: encryption, reportTimeoutMillis };
}

/**
 * The direct settings with the token from LIGHTSTEP_ACCESS_TOKEN or, when only
 * LIGHTSTEP_ACCESS_TOKEN_PARAMETER is set (the deployed stack), from that SSM SecureString.
 * Every other setting is checked before the SSM call, so a typo fails fast.
 */
export async function loadDirectReportingConfig(
  env: Env,
  fetchParameter: (name: string) => Promise<string>,
): Promise<DirectReportingConfig> {
  const parameter = env.LIGHTSTEP_ACCESS_TOKEN_PARAMETER;
  if (env.LIGHTSTEP_ACCESS_TOKEN || !parameter) return readDirectReportingConfig(env);
  readDirectReportingConfig({ ...env, LIGHTSTEP_ACCESS_TOKEN: 'checked-after-the-fetch' });
  let token: string;
  try {
    token = await fetchParameter(parameter);
  } catch (error) {
    // SDK errors name the parameter and the reason (AccessDenied, ParameterNotFound), never a value.
    const { name, message } = error instanceof Error ? error : { name: 'Error', message: String(error) };
    throw new Error(`LIGHTSTEP_ACCESS_TOKEN_PARAMETER: could not read SSM parameter ${parameter}: ${name}: ${message}`);
  }
  return readDirectReportingConfig({ ...env, LIGHTSTEP_ACCESS_TOKEN: token });
}
