// The one reader of the OTEL_EXPORTER_OTLP_* settings (the forwarder's OTLP sink, the service's
// OpenTelemetry SDK, the local stack): the names and meanings of the OpenTelemetry specification,
// plus OTEL_EXPORTER_OTLP_HEADERS_PARAMETER, an SSM SecureString holding the headers.
import { ConfigError, readInteger, setting, type Env } from '../common/env';
import { describeFetchFailure, fetchSecureString } from '../common/ssm-parameter';
import { parseOtlpHeaders } from './headers';

export type OtlpProtocol = 'http/protobuf' | 'http/json';
export type OtlpCompression = 'gzip' | 'none';

/** Where OTLP/HTTP trace exports go. */
export interface OtlpTarget {
  /** The full traces URL (…/v1/traces). Printed only through describeOtlpTarget. */
  url: string;
  /** Lower-case names. The values are secrets: never printed. */
  headers: Record<string, string>;
  protocol: OtlpProtocol;
  compression: OtlpCompression;
  /** How long one export (with its retries) may take. */
  timeoutMillis: number;
}

export const TRACES_PATH = '/v1/traces';
/** The specification's default export timeout. */
export const DEFAULT_OTLP_TIMEOUT_MILLIS = 10_000;
const MAX_TIMEOUT_MILLIS = 900_000; // Lambda's longest Timeout

/** Whether an OTLP endpoint is configured (the forwarder's OTLP sink is on). */
export function otlpRequested(env: Env): boolean {
  return setting(env, 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT') !== undefined || setting(env, 'OTEL_EXPORTER_OTLP_ENDPOINT') !== undefined;
}

/**
 * The target from the environment alone: the traces endpoint as given, or the base endpoint with
 * /v1/traces appended; signal-specific settings before the general ones. Throws a ConfigError
 * naming the variable; header values are never echoed.
 */
export function readOtlpTarget(env: Env, extraHeaders: Record<string, string> = {}): OtlpTarget {
  const headers = {
    ...readHeaders(env, 'OTEL_EXPORTER_OTLP_HEADERS'),
    ...readHeaders(env, 'OTEL_EXPORTER_OTLP_TRACES_HEADERS'),
    ...extraHeaders,
  };
  return {
    url: readUrl(env),
    headers,
    protocol: readProtocol(env),
    compression: readCompression(env),
    timeoutMillis: readTimeout(env),
  };
}

/**
 * The target with, when OTEL_EXPORTER_OTLP_HEADERS_PARAMETER is set (the deployed stack), the
 * headers of that SSM SecureString (same `key=value,…` format) added over the environment's.
 * Every other setting is checked before the SSM call, so a typo fails fast.
 */
export async function loadOtlpTarget(env: Env, fetchParameter: (name: string) => Promise<string> = fetchSecureString): Promise<OtlpTarget> {
  const parameter = setting(env, 'OTEL_EXPORTER_OTLP_HEADERS_PARAMETER');
  const fromEnvironment = readOtlpTarget(env);
  if (parameter === undefined) return fromEnvironment;
  let raw: string;
  try {
    raw = await fetchParameter(parameter);
  } catch (error) {
    throw new ConfigError(describeFetchFailure('OTEL_EXPORTER_OTLP_HEADERS_PARAMETER', parameter, error));
  }
  const fromParameter = parseOtlpHeaders(raw, `OTEL_EXPORTER_OTLP_HEADERS_PARAMETER (${parameter})`);
  return { ...fromEnvironment, headers: { ...fromEnvironment.headers, ...fromParameter } };
}

/** Whether the headers are read from SSM (the first invocation then awaits them). */
export function otlpHeadersComeFromSsm(env: Env): boolean {
  return setting(env, 'OTEL_EXPORTER_OTLP_HEADERS_PARAMETER') !== undefined;
}

/** The embedded collector's OTLP endpoint on loopback. */
export function embeddedCollectorOtlpTarget(port: number): OtlpTarget {
  return {
    url: `http://127.0.0.1:${port}${TRACES_PATH}`,
    headers: {},
    protocol: 'http/protobuf',
    compression: 'gzip',
    timeoutMillis: DEFAULT_OTLP_TIMEOUT_MILLIS,
  };
}

/** The endpoint without its query string (which may carry a key): safe to print. */
export function describeOtlpUrl(url: string): string {
  const parsed = new URL(url);
  return `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
}

/** A name for the target that is safe to print (no header value, no query string). */
export function describeOtlpTarget(target: OtlpTarget): string {
  const where = describeOtlpUrl(target.url);
  if (/^http:\/\/127\.0\.0\.1:\d+\/v1\/traces$/.test(where) && Object.keys(target.headers).length === 0) {
    return `the embedded collector's OTLP endpoint ${where}`;
  }
  return `OTLP at ${where}`;
}

function readHeaders(env: Env, name: string): Record<string, string> {
  const raw = setting(env, name);
  return raw === undefined ? {} : parseOtlpHeaders(raw, name);
}

function readUrl(env: Env): string {
  const traces = setting(env, 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT');
  const base = setting(env, 'OTEL_EXPORTER_OTLP_ENDPOINT');
  const [name, raw] = traces !== undefined ? ['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', traces] : ['OTEL_EXPORTER_OTLP_ENDPOINT', base];
  if (raw === undefined) {
    throw new ConfigError('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT is not set (the OTLP/HTTP traces URL; or set OTEL_EXPORTER_OTLP_ENDPOINT, to which /v1/traces is appended)');
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`${name} must be an http:// or https:// URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ConfigError(`${name} must be an http:// or https:// URL, got ${url.protocol}`);
  // Credentials in the URL would be printed with it in every error: they belong in the headers.
  if (url.username !== '' || url.password !== '') throw new ConfigError(`${name} must not contain credentials: put them in OTEL_EXPORTER_OTLP_HEADERS`);
  if (traces !== undefined) return url.toString();
  // The specification: the signal's path is appended to the base endpoint, whatever its path.
  url.pathname = `${url.pathname.replace(/\/$/, '')}${TRACES_PATH}`;
  return url.toString();
}

function readProtocol(env: Env): OtlpProtocol {
  const name = setting(env, 'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL') !== undefined ? 'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL' : 'OTEL_EXPORTER_OTLP_PROTOCOL';
  const raw = setting(env, name);
  if (raw === undefined || raw === 'http/protobuf') return 'http/protobuf';
  if (raw === 'http/json') return 'http/json';
  const hint = raw === 'grpc' ? ' (gRPC is not supported here: use OTLP/HTTP)' : '';
  throw new ConfigError(`${name} must be "http/protobuf" or "http/json", got ${JSON.stringify(raw.slice(0, 40))}${hint}`);
}

function readCompression(env: Env): OtlpCompression {
  const name = setting(env, 'OTEL_EXPORTER_OTLP_TRACES_COMPRESSION') !== undefined ? 'OTEL_EXPORTER_OTLP_TRACES_COMPRESSION' : 'OTEL_EXPORTER_OTLP_COMPRESSION';
  const raw = setting(env, name);
  // gzip unless told otherwise: a forwarder's batch is thousands of spans, and every OTLP/HTTP
  // receiver accepts it (the specification's default is none).
  if (raw === undefined || raw === 'gzip') return 'gzip';
  if (raw === 'none') return 'none';
  throw new ConfigError(`${name} must be "gzip" or "none", got ${JSON.stringify(raw.slice(0, 40))}`);
}

function readTimeout(env: Env): number {
  const name = setting(env, 'OTEL_EXPORTER_OTLP_TRACES_TIMEOUT') !== undefined ? 'OTEL_EXPORTER_OTLP_TRACES_TIMEOUT' : 'OTEL_EXPORTER_OTLP_TIMEOUT';
  return readInteger(env, name, DEFAULT_OTLP_TIMEOUT_MILLIS, 1, MAX_TIMEOUT_MILLIS);
}
