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
}

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
    throw new Error('LIGHTSTEP_ACCESS_TOKEN is required when TRACE_REPORTING=direct');
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
  return { accessToken, collectorHost, collectorPort, collectorEncryption: encryption };
}
