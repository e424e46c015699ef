import type { Env } from '../common/env';
import { loadLightStepTarget } from '../lightstep/target';
import type { SpanExporter } from './exporter';
import { LightStepExporter } from './lightstep-exporter';

/**
 * The forwarder's exporters from its environment, read once per container: LightStep from the
 * LIGHTSTEP_* settings (the token from SSM in the deployed stack). Rejects with a ConfigError
 * naming the variable, never echoing a secret.
 */
export async function loadExporter(env: Env = process.env, fetchParameter?: (name: string) => Promise<string>): Promise<SpanExporter> {
  const target = await loadLightStepTarget(env, {}, fetchParameter);
  return new LightStepExporter(target);
}
