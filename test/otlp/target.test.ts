import { ConfigError } from '../../src/common/env';
import { parseOtlpHeaders } from '../../src/otlp/headers';
import { describeOtlpTarget, embeddedCollectorOtlpTarget, loadOtlpTarget, otlpRequested, readOtlpTarget } from '../../src/otlp/target';

const SECRET = 'ls-token-0123456789abcdef';

function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('OTLP target from OTEL_EXPORTER_OTLP_*', () => {
  it('is requested by either endpoint variable, not by headers alone', () => {
    expect(otlpRequested({})).toBe(false);
    expect(otlpRequested({ OTEL_EXPORTER_OTLP_HEADERS: `a=${SECRET}` })).toBe(false);
    expect(otlpRequested({ OTEL_EXPORTER_OTLP_ENDPOINT: '' })).toBe(false);
    expect(otlpRequested({ OTEL_EXPORTER_OTLP_ENDPOINT: 'https://otlp.example' })).toBe(true);
    expect(otlpRequested({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://otlp.example/v1/traces' })).toBe(true);
  });

  it('appends /v1/traces to the base endpoint, uses the traces endpoint as given, and prefers it', () => {
    expect(readOtlpTarget({ OTEL_EXPORTER_OTLP_ENDPOINT: 'https://otlp.example' }).url).toBe('https://otlp.example/v1/traces');
    expect(readOtlpTarget({ OTEL_EXPORTER_OTLP_ENDPOINT: 'https://otlp.example/base/' }).url).toBe('https://otlp.example/base/v1/traces');
    expect(readOtlpTarget({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://ingest.example/traces/otlp/v0.9' }).url).toBe('https://ingest.example/traces/otlp/v0.9');
    expect(
      readOtlpTarget({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://base.example', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://traces.example:4318/x' }).url,
    ).toBe('http://traces.example:4318/x');
  });

  it('defaults: protobuf, gzip, 10 s, no headers', () => {
    expect(readOtlpTarget({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' })).toEqual({
      url: 'http://127.0.0.1:4318/v1/traces',
      headers: {},
      protocol: 'http/protobuf',
      compression: 'gzip',
      timeoutMillis: 10_000,
    });
  });

  it('reads protocol, compression and timeout, the traces-specific variable first', () => {
    const target = readOtlpTarget({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
      OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/json',
      OTEL_EXPORTER_OTLP_COMPRESSION: 'none',
      OTEL_EXPORTER_OTLP_TRACES_TIMEOUT: '2500',
    });
    expect(target).toMatchObject({ protocol: 'http/json', compression: 'none', timeoutMillis: 2500 });
  });

  it('merges the headers: general, then traces-specific, by lower-case name; values percent-decoded', () => {
    const target = readOtlpTarget({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318',
      OTEL_EXPORTER_OTLP_HEADERS: `Lightstep-Access-Token=${SECRET}, x-team = a%20b`,
      OTEL_EXPORTER_OTLP_TRACES_HEADERS: 'x-team=c',
    });
    expect(target.headers).toEqual({ 'lightstep-access-token': SECRET, 'x-team': 'c' });
    expect(parseOtlpHeaders('a=1,,b=x%3Dy', 'V')).toEqual({ a: '1', b: 'x=y' });
  });

  it('names the variable in every error, and never echoes a header value', () => {
    const base = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' };
    const bad: Array<[Record<string, string>, RegExp]> = [
      [{ OTEL_EXPORTER_OTLP_HEADERS: `novalue${SECRET}` }, /OTEL_EXPORTER_OTLP_HEADERS: entry 1 of 1 is not key=value/],
      [{ OTEL_EXPORTER_OTLP_HEADERS: `ok=1,bad name=${SECRET}` }, /entry 2 of 2: the name is not an HTTP header name/],
      [{ OTEL_EXPORTER_OTLP_HEADERS: `a=%E0%A4%A${SECRET}` }, /entry 1 of 1 \(a\): the value is not valid percent-encoding/],
      [{ OTEL_EXPORTER_OTLP_HEADERS: `a=${SECRET}%0d%0aInjected: 1` }, /line break or NUL/],
      [{ OTEL_EXPORTER_OTLP_TRACES_HEADERS: `content-type=${SECRET}` }, /OTEL_EXPORTER_OTLP_TRACES_HEADERS: .*content-type is set by the exporter itself/],
      [{ OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' }, /OTEL_EXPORTER_OTLP_PROTOCOL must be "http\/protobuf" or "http\/json", got "grpc" \(gRPC is not supported/],
      [{ OTEL_EXPORTER_OTLP_TRACES_COMPRESSION: 'zstd' }, /OTEL_EXPORTER_OTLP_TRACES_COMPRESSION must be "gzip" or "none"/],
      [{ OTEL_EXPORTER_OTLP_TIMEOUT: '0' }, /OTEL_EXPORTER_OTLP_TIMEOUT must be a whole number/],
    ];
    for (const [env, message] of bad) {
      const error = configError(() => readOtlpTarget({ ...base, ...env }));
      expect(error.message).toMatch(message);
      expect(error.message).not.toContain(SECRET);
    }
  });

  it('refuses endpoints that are not http(s) URLs or carry credentials', () => {
    expect(configError(() => readOtlpTarget({ OTEL_EXPORTER_OTLP_ENDPOINT: 'otlp.example:4318' })).message).toMatch(/OTEL_EXPORTER_OTLP_ENDPOINT must be an http/);
    expect(configError(() => readOtlpTarget({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'grpc://x' })).message).toMatch(/OTEL_EXPORTER_OTLP_TRACES_ENDPOINT must be an http/);
    const withCredentials = configError(() => readOtlpTarget({ OTEL_EXPORTER_OTLP_ENDPOINT: `https://user:${SECRET}@otlp.example` }));
    expect(withCredentials.message).toMatch(/must not contain credentials: put them in OTEL_EXPORTER_OTLP_HEADERS/);
    expect(withCredentials.message).not.toContain(SECRET);
    expect(configError(() => readOtlpTarget({})).message).toMatch(/OTEL_EXPORTER_OTLP_TRACES_ENDPOINT is not set/);
  });

  it('describes the target without header values or query string', () => {
    const target = readOtlpTarget({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `https://otlp.example/v1/traces?key=${SECRET}`, OTEL_EXPORTER_OTLP_HEADERS: `k=${SECRET}` });
    expect(describeOtlpTarget(target)).toBe('OTLP at https://otlp.example/v1/traces');
    expect(describeOtlpTarget(embeddedCollectorOtlpTarget(8360))).toBe("the embedded collector's OTLP endpoint http://127.0.0.1:8360/v1/traces");
  });
});

describe('OTLP headers from SSM (OTEL_EXPORTER_OTLP_HEADERS_PARAMETER)', () => {
  const env = { OTEL_EXPORTER_OTLP_ENDPOINT: 'https://otlp.example', OTEL_EXPORTER_OTLP_HEADERS: 'x-team=a', OTEL_EXPORTER_OTLP_HEADERS_PARAMETER: '/otlp/headers' };

  it('adds the SecureString’s headers over the environment’s', async () => {
    const asked: string[] = [];
    const target = await loadOtlpTarget(env, async (name) => {
      asked.push(name);
      return `lightstep-access-token=${SECRET},x-team=b`;
    });
    expect(asked).toEqual(['/otlp/headers']);
    expect(target.headers).toEqual({ 'x-team': 'b', 'lightstep-access-token': SECRET });
  });

  it('checks every other setting before fetching', async () => {
    let fetched = false;
    await expect(
      loadOtlpTarget({ ...env, OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' }, async () => {
        fetched = true;
        return 'a=b';
      }),
    ).rejects.toThrow(/OTEL_EXPORTER_OTLP_PROTOCOL/);
    expect(fetched).toBe(false);
  });

  it('names the parameter and the reason when the fetch fails, and a malformed value without echoing it', async () => {
    await expect(loadOtlpTarget(env, async () => Promise.reject(Object.assign(new Error('not allowed'), { name: 'AccessDeniedException' })))).rejects.toThrow(
      'OTEL_EXPORTER_OTLP_HEADERS_PARAMETER: could not read SSM parameter /otlp/headers: AccessDeniedException: not allowed',
    );
    const malformed = await loadOtlpTarget(env, async () => SECRET).catch((e: Error) => e);
    expect(malformed).toBeInstanceOf(ConfigError);
    expect((malformed as Error).message).toMatch(/OTEL_EXPORTER_OTLP_HEADERS_PARAMETER \(\/otlp\/headers\): entry 1 of 1 is not key=value/);
    expect((malformed as Error).message).not.toContain(SECRET);
  });
});
