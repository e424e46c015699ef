import { ConfigError, setting, type Env } from '../common/env';
import { lightStepConfigured, loadLightStepTarget } from '../lightstep/target';
import { loadOtlpTarget, otlpRequested } from '../otlp/target';
import { FanOutExporter, type SpanExporter } from './exporter';
import { LightStepExporter } from './lightstep-exporter';
import { OtlpExporter } from './otlp-exporter';

export const NO_DESTINATION_MESSAGE =
  'no span destination is configured: set the LightStep settings (LIGHTSTEP_ACCESS_TOKEN, or LIGHTSTEP_ACCESS_TOKEN_PARAMETER naming an SSM SecureString), ' +
  'or an OTLP endpoint (OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, or OTEL_EXPORTER_OTLP_ENDPOINT to which /v1/traces is appended), or both';

/**
 * The forwarder's exporters from its environment, read once per container: LightStep when its
 * settings are present (the token from SSM in the deployed stack), OTLP when an endpoint is set
 * (its headers from SSM too), both through a FanOutExporter when both are. Rejects with a
 * ConfigError naming the variable, never echoing a secret.
 */
export async function loadExporter(env: Env = process.env, fetchParameter?: (name: string) => Promise<string>): Promise<SpanExporter> {
  const wantsLightStep = lightStepConfigured(env);
  const wantsOtlp = otlpRequested(env);
  if (!wantsLightStep && !wantsOtlp) throw new ConfigError(NO_DESTINATION_MESSAGE);
  // Both read (and both SSM parameters fetched) before any exporter exists: one bad setting fails the start.
  const [lightStep, otlp] = await Promise.all([
    wantsLightStep ? loadLightStepTarget(env, {}, fetchParameter) : undefined,
    wantsOtlp ? loadOtlpTarget(env, fetchParameter) : undefined,
  ]);
  const exporters: SpanExporter[] = [];
  if (lightStep) exporters.push(new LightStepExporter(lightStep));
  if (otlp) exporters.push(new OtlpExporter(otlp, { region: setting(env, 'AWS_REGION') }));
  return exporters.length === 1 ? exporters[0] : new FanOutExporter(exporters);
}
