// `npm start`: the whole pipeline on 127.0.0.1 — embedded collector + trace page, the service,
// and the function behind a local API-Gateway-style endpoint whose logs feed the real forwarder.
// With LAMBDA_URL set (a deployed function), only the service, reporting to LightStep.
import { stopOnSignals } from '../common/stop-on-signals';
import { PortInUseError } from '../common/listen';
import { launch, type Launched } from './launch';
import { createStartLogger } from './start-logger';

async function main(): Promise<void> {
  const logger = createStartLogger(process.env);
  let launched: Launched;
  try {
    launched = await launch(process.env, logger);
  } catch (err) {
    if (err instanceof PortInUseError) {
      console.error(`npm start: ${err.message}`);
      process.exit(1);
    }
    throw err;
  }
  process.stdout.write(launched.banner + '\n');

  stopOnSignals(logger, 'stopping everything npm start started', () => launched.close());
}

main().catch((err: unknown) => {
  console.error(`npm start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
