// `npm start`: the whole pipeline on 127.0.0.1 — embedded collector + trace page, the service,
// and the function behind a local API-Gateway-style endpoint whose logs feed the real forwarder.
import pino from 'pino';
import { DEFAULT_COLLECTOR_PORT, DEFAULT_FUNCTION_PORT, serviceConfigFromEnv } from '../service/config';
import { PortInUseError } from '../service/listen';
import { startLocalStack, type LocalStack } from './stack';

async function main(): Promise<void> {
  const logger = pino({ level: process.env.LOG_LEVEL || 'info' });
  // Same variables as the service alone; validated here so a typo fails before anything starts.
  const config = serviceConfigFromEnv(process.env);
  const ports = {
    service: config.port,
    function: envPort('FUNCTION_PORT', DEFAULT_FUNCTION_PORT),
    collector: envPort('COLLECTOR_PORT', DEFAULT_COLLECTOR_PORT),
  };
  const usesLightStep = config.tracer.collectorHost !== '127.0.0.1' || config.tracer.collectorPort !== ports.collector;
  let stack: LocalStack;
  try {
    stack = await startLocalStack({
      ports,
      maxCount: config.maxCount,
      logger,
      ...(usesLightStep ? { tracerTarget: config.tracer } : {}),
    });
  } catch (err) {
    if (err instanceof PortInUseError) {
      console.error(`npm start: ${err.message}`);
      process.exit(1);
    }
    throw err;
  }
  const banner = [
    '',
    'Local stack is up (Ctrl-C stops everything):',
    `  try it:       ${stack.urls.otGenExample}`,
    `  trace page:   ${stack.urls.collector}/   (each /ot-gen answer has its traceUrl)`,
    `  function:     ${stack.urls.function}   (LAMBDA_URL, API Gateway REST v1 events)`,
    `  spans go to:  ${usesLightStep ? config.tracer.description : `the embedded collector at ${stack.urls.collector}`}`,
    `  dead letters: ${stack.deadLetterPath}   (replay: npm run replay)`,
    '',
  ];
  process.stdout.write(banner.join('\n') + '\n');

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping: service, function containers, log shipping, collector');
    stack.close().then(
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

function envPort(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`${name} must be a port number (0-65535), got "${raw}"`);
  return port;
}

main().catch((err: unknown) => {
  console.error(`npm start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
