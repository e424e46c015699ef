import pino from 'pino';
import { stopOnSignals } from '../common/stop-on-signals';
import { describeTarget } from '../lightstep/target';
import { describeOtlpTarget } from '../otlp/target';
import { serviceConfigFromEnv } from './config';
import { PortInUseError, startService } from './server';

/** `tsx src/service/main.ts`: the service alone, configured from the environment. */
async function main(): Promise<void> {
  const logger = pino();
  const config = serviceConfigFromEnv();
  let service;
  try {
    service = await startService({ ...config, logger });
  } catch (err) {
    if (err instanceof PortInUseError) {
      logger.error(err.message);
      process.exit(1);
    }
    throw err;
  }
  logger.info({ url: service.url, lambdaUrl: config.lambdaUrl, tracer: config.otel ? `OpenTelemetry SDK → ${describeOtlpTarget(config.otel)}` : describeTarget(config.tracer) }, 'service listening');
  stopOnSignals(logger, 'shutting down: no new requests, flushing spans', () => service.close());
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
