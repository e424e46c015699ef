import pino from 'pino';
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
  logger.info({ url: service.url, lambdaUrl: config.lambdaUrl, tracer: config.tracer.description }, 'service listening');
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: no new requests, flushing spans');
    service.close().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
