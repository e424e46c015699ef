import { ConfigError } from '../../src/common/env';
import { loadExporter, NO_DESTINATION_MESSAGE } from '../../src/log-span-forwarder/config';
import { FanOutExporter } from '../../src/log-span-forwarder/exporter';
import { LightStepExporter } from '../../src/log-span-forwarder/lightstep-exporter';
import { OtlpExporter } from '../../src/log-span-forwarder/otlp-exporter';

const TOKEN = 'ls-token-config-0123456789';
const HEADER_SECRET = 'otlp-secret-config-0123456789';

describe('loadExporter: which sinks are on', () => {
  it('neither configured: a start error that names both sets of settings', async () => {
    const error = await loadExporter({}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toBe(NO_DESTINATION_MESSAGE);
    expect(NO_DESTINATION_MESSAGE).toMatch(/LIGHTSTEP_ACCESS_TOKEN.*LIGHTSTEP_ACCESS_TOKEN_PARAMETER.*OTEL_EXPORTER_OTLP_TRACES_ENDPOINT.*OTEL_EXPORTER_OTLP_ENDPOINT/);
    // Headers or a collector host alone turn nothing on.
    await expect(loadExporter({ OTEL_EXPORTER_OTLP_HEADERS: 'a=b', LIGHTSTEP_COLLECTOR_HOST: 'h' })).rejects.toThrow(NO_DESTINATION_MESSAGE);
  });

  it('LightStep settings only: the LightStep exporter', async () => {
    const exporter = await loadExporter({ LIGHTSTEP_ACCESS_TOKEN: TOKEN });
    expect(exporter).toBeInstanceOf(LightStepExporter);
    await exporter.shutdown();
  });

  it('an OTLP endpoint only: the OTLP exporter, named without header values', async () => {
    const exporter = await loadExporter({ OTEL_EXPORTER_OTLP_ENDPOINT: 'https://otlp.example', OTEL_EXPORTER_OTLP_HEADERS: `lightstep-access-token=${HEADER_SECRET}` });
    expect(exporter).toBeInstanceOf(OtlpExporter);
    expect(exporter.name).toBe('OTLP https://otlp.example/v1/traces');
    await exporter.shutdown();
  });

  it('both: a fan-out to both, with both SSM parameters read', async () => {
    const asked: string[] = [];
    const exporter = await loadExporter(
      { LIGHTSTEP_ACCESS_TOKEN_PARAMETER: '/ls/token', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://otlp.example/v1/traces', OTEL_EXPORTER_OTLP_HEADERS_PARAMETER: '/otlp/headers' },
      async (name) => {
        asked.push(name);
        return name === '/ls/token' ? TOKEN : `lightstep-access-token=${HEADER_SECRET}`;
      },
    );
    expect(exporter).toBeInstanceOf(FanOutExporter);
    expect(exporter.name).toBe('LightStep collector.lightstep.com:443 + OTLP https://otlp.example/v1/traces');
    expect(asked.sort()).toEqual(['/ls/token', '/otlp/headers']);
    await exporter.shutdown();
  });

  it('a bad setting of either sink fails the start, naming it', async () => {
    await expect(loadExporter({ LIGHTSTEP_ACCESS_TOKEN: TOKEN, OTEL_EXPORTER_OTLP_ENDPOINT: 'https://otlp.example', OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' })).rejects.toThrow(
      /OTEL_EXPORTER_OTLP_PROTOCOL/,
    );
    await expect(loadExporter({ LIGHTSTEP_ACCESS_TOKEN: TOKEN, LIGHTSTEP_COLLECTOR_PORT: '0', OTEL_EXPORTER_OTLP_ENDPOINT: 'https://otlp.example' })).rejects.toThrow(
      /LIGHTSTEP_COLLECTOR_PORT/,
    );
  });
});
