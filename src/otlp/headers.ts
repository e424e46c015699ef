import { ConfigError } from '../common/env';

// Header names are HTTP tokens (RFC 9110); values must not break the header line.
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const FORBIDDEN_VALUE = /[\r\n\0]/;
/** Set by the exporter itself; a user's copy would make a request Node or the collector refuses. */
const RESERVED = new Set(['content-type', 'content-length', 'content-encoding', 'host', 'transfer-encoding', 'connection']);

/**
 * OTEL_EXPORTER_OTLP_HEADERS' format (the OpenTelemetry specification: W3C Baggage's
 * `key1=value1,key2=value2`, values percent-decoded). Errors name the variable and the entry's
 * position, never a value: header values are secrets (`lightstep-access-token=…`).
 */
export function parseOtlpHeaders(raw: string, variable: string): Record<string, string> {
  const headers: Record<string, string> = {};
  const entries = raw.split(',');
  entries.forEach((entry, index) => {
    if (entry.trim() === '') return;
    const where = `${variable}: entry ${index + 1} of ${entries.length}`;
    const equals = entry.indexOf('=');
    if (equals <= 0) throw new ConfigError(`${where} is not key=value`);
    const name = entry.slice(0, equals).trim();
    if (!HEADER_NAME.test(name)) throw new ConfigError(`${where}: the name is not an HTTP header name`);
    if (RESERVED.has(name.toLowerCase())) throw new ConfigError(`${where}: ${name} is set by the exporter itself`);
    let value: string;
    try {
      value = decodeURIComponent(entry.slice(equals + 1).trim());
    } catch {
      throw new ConfigError(`${where} (${name}): the value is not valid percent-encoding`);
    }
    if (FORBIDDEN_VALUE.test(value)) throw new ConfigError(`${where} (${name}): the value contains a line break or NUL`);
    headers[name.toLowerCase()] = value;
  });
  return headers;
}
