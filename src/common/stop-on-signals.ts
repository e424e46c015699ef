import type { Logger } from 'pino';

/**
 * On the first SIGINT or SIGTERM: log `message`, run `close` (stop accepting, flush spans, stop
 * children), then exit 0, or 1 when closing failed. Later signals are ignored while it runs.
 */
export function stopOnSignals(logger: Logger, message: string, close: () => Promise<void>): void {
  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, message);
    close().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
