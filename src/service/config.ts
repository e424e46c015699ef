import { ConfigError, readInteger, readPort, setting, type Env } from '../common/env';
import { DEFAULT_COLLECTOR_PORT } from '../collector/port';
import { embeddedCollectorTarget, lightStepRequested, readLightStepTarget, type LightStepTarget } from '../lightstep/target';

export interface ServiceConfig {
  host: string;
  port: number;
  /** The function's URL (a deployed API, or the local stack's function endpoint). */
  lambdaUrl: string;
  /** Largest `count` /ot-gen accepts. */
  maxCount: number;
  /** Where the service's tracer reports: LightStep, or the embedded collector. */
  tracer: LightStepTarget;
  /** Base URL of the trace page (`<base>/traces/<traceId>`); absent when none is known. */
  tracePageBaseUrl?: string;
}

export const DEFAULT_SERVICE_PORT = 3000;
export const DEFAULT_MAX_COUNT = 50;

export interface ServiceDefaults {
  /** LAMBDA_URL when unset: the local stack passes its own function endpoint. */
  lambdaUrl?: string;
}

/** Reads the service's configuration from the environment. Throws a ConfigError naming a bad variable. */
export function serviceConfigFromEnv(env: Env = process.env, defaults: ServiceDefaults = {}): ServiceConfig {
  const collectorPort = readPort(env, 'COLLECTOR_PORT', DEFAULT_COLLECTOR_PORT, 'listen');
  // LightStep when a token and a collector host are both given; the embedded collector otherwise.
  const usesLightStep = lightStepRequested(env);
  const tracer = usesLightStep ? readLightStepTarget(env) : embeddedCollectorTarget(collectorPort);
  const tracePageBaseUrl = setting(env, 'TRACE_PAGE_BASE_URL') ?? (usesLightStep ? undefined : `http://127.0.0.1:${collectorPort}`);
  const lambdaUrl = setting(env, 'LAMBDA_URL') ?? defaults.lambdaUrl;
  if (lambdaUrl === undefined) {
    throw new ConfigError('LAMBDA_URL is required: the URL of the deployed function (or run `npm start`, which starts the function locally)');
  }
  return {
    host: setting(env, 'HOST') ?? '127.0.0.1',
    port: readPort(env, 'PORT', DEFAULT_SERVICE_PORT, 'listen'),
    lambdaUrl,
    maxCount: readInteger(env, 'OT_GEN_MAX_COUNT', DEFAULT_MAX_COUNT, 1, 1_000_000),
    tracer,
    ...(tracePageBaseUrl ? { tracePageBaseUrl } : {}),
  };
}
