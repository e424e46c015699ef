import { ConfigError, readInteger, readPort, setting, type Env } from '../common/env';
import { DEFAULT_COLLECTOR_PORT } from '../collector/port';
import { embeddedCollectorTarget, lightStepRequested, readLightStepTarget, type LightStepTarget } from '../lightstep/target';
import { embeddedCollectorOtlpTarget, otlpRequested, readOtlpTarget, type OtlpTarget } from '../otlp/target';

/** SERVICE_TRACER: lightstep-tracer (the article's service), or the OpenTelemetry SDK through the OpenTracing shim. */
export type ServiceTracerKind = 'lightstep' | 'otel';

export interface ServiceConfig {
  host: string;
  port: number;
  /** The function's URL (a deployed API, or the local stack's function endpoint). */
  lambdaUrl: string;
  /** Largest `count` /ot-gen accepts. */
  maxCount: number;
  /** Where the service's lightstep-tracer reports: LightStep, or the embedded collector (SERVICE_TRACER=lightstep). */
  tracer: LightStepTarget;
  /**
   * Set when SERVICE_TRACER=otel: the OpenTelemetry SDK exports here (the OTEL_EXPORTER_OTLP_*
   * endpoint, else the embedded collector's /v1/traces) and `tracer` is not used.
   */
  otel?: OtlpTarget;
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
  const kind = readTracerKind(env);
  // LightStep when a token and a collector host are both given; the embedded collector otherwise.
  const usesLightStep = lightStepRequested(env);
  const tracer = usesLightStep ? readLightStepTarget(env) : embeddedCollectorTarget(collectorPort);
  // OTLP: the configured endpoint, else the embedded collector's.
  const usesOtlpEndpoint = kind === 'otel' && otlpRequested(env);
  const otel = kind === 'otel' ? (usesOtlpEndpoint ? readOtlpTarget(env) : embeddedCollectorOtlpTarget(collectorPort)) : undefined;
  const remote = kind === 'otel' ? usesOtlpEndpoint : usesLightStep;
  const tracePageBaseUrl = setting(env, 'TRACE_PAGE_BASE_URL') ?? (remote ? undefined : `http://127.0.0.1:${collectorPort}`);
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
    ...(otel ? { otel } : {}),
    ...(tracePageBaseUrl ? { tracePageBaseUrl } : {}),
  };
}

function readTracerKind(env: Env): ServiceTracerKind {
  const raw = setting(env, 'SERVICE_TRACER');
  if (raw === undefined || raw === 'lightstep') return 'lightstep';
  if (raw === 'otel') return 'otel';
  throw new ConfigError(`SERVICE_TRACER must be "lightstep" or "otel", got ${JSON.stringify(raw.slice(0, 40))}`);
}
