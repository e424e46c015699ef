/** Where the service's tracer reports: the embedded local collector, or LightStep. */
export interface TracerTarget {
  collectorHost: string;
  collectorPort: number;
  encryption: 'tls' | 'none';
  /** Never logged. The embedded collector accepts any value. */
  accessToken: string;
  /** A name safe to print (no token). */
  description: string;
}

export interface ServiceConfig {
  host: string;
  port: number;
  /** The function's URL (API Gateway locally: the local stack's function endpoint). */
  lambdaUrl: string;
  /** Largest `count` /ot-gen accepts. */
  maxCount: number;
  tracer: TracerTarget;
  /** Base URL of the trace page (`<base>/traces/<traceId>`); absent when none is known. */
  tracePageBaseUrl?: string;
}

export const DEFAULT_SERVICE_PORT = 3000;
export const DEFAULT_FUNCTION_PORT = 3001;
export const DEFAULT_COLLECTOR_PORT = 8360;
export const DEFAULT_MAX_COUNT = 50;
/** The embedded collector ignores the token; lightstep-tracer insists on one. */
export const LOCAL_DUMMY_TOKEN = 'local-dev-token';

type Env = Record<string, string | undefined>;

/** Reads the service's configuration from the environment. Throws on a malformed value. */
export function serviceConfigFromEnv(env: Env = process.env): ServiceConfig {
  const collectorPort = portFrom(env, 'COLLECTOR_PORT', DEFAULT_COLLECTOR_PORT);
  const tracer = tracerTargetFromEnv(env, collectorPort);
  const localCollector = tracer.collectorHost === '127.0.0.1' && tracer.collectorPort === collectorPort;
  const tracePageBaseUrl = env.TRACE_PAGE_BASE_URL || (localCollector ? `http://127.0.0.1:${collectorPort}` : undefined);
  return {
    host: env.HOST || '127.0.0.1',
    port: portFrom(env, 'PORT', DEFAULT_SERVICE_PORT),
    lambdaUrl: env.LAMBDA_URL || `http://127.0.0.1:${portFrom(env, 'FUNCTION_PORT', DEFAULT_FUNCTION_PORT)}/`,
    maxCount: positiveIntFrom(env, 'OT_GEN_MAX_COUNT', DEFAULT_MAX_COUNT),
    tracer,
    ...(tracePageBaseUrl ? { tracePageBaseUrl } : {}),
  };
}

/** LightStep when a token and a collector host are both given; the embedded collector otherwise. */
export function tracerTargetFromEnv(env: Env, localCollectorPort: number): TracerTarget {
  const token = env.LIGHTSTEP_ACCESS_TOKEN;
  const host = env.LIGHTSTEP_COLLECTOR_HOST;
  if (token && host) {
    const encryption = env.LIGHTSTEP_COLLECTOR_ENCRYPTION === 'none' ? 'none' : 'tls';
    const port = portFrom(env, 'LIGHTSTEP_COLLECTOR_PORT', encryption === 'tls' ? 443 : 80);
    return { collectorHost: host, collectorPort: port, encryption, accessToken: token, description: `LightStep at ${host}:${port}` };
  }
  return localCollectorTarget(localCollectorPort);
}

export function localCollectorTarget(port: number): TracerTarget {
  return {
    collectorHost: '127.0.0.1',
    collectorPort: port,
    encryption: 'none',
    accessToken: LOCAL_DUMMY_TOKEN,
    description: `embedded collector at http://127.0.0.1:${port}`,
  };
}

function portFrom(env: Env, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`${name} must be a port number (0-65535), got "${raw}"`);
  return port;
}

function positiveIntFrom(env: Env, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer, got "${raw}"`);
  return value;
}
