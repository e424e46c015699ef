// `npm run collector`: the embedded collector on COLLECTOR_PORT (default 8360), 127.0.0.1.
import { readPort } from '../common/env';
import { DEFAULT_COLLECTOR_PORT } from './port';
import { startCollector } from './server';

async function main(): Promise<void> {
  const port = readPort(process.env, 'COLLECTOR_PORT', DEFAULT_COLLECTOR_PORT, 'listen');
  let collector;
  try {
    collector = await startCollector({
      port,
      dbPath: process.env.COLLECTOR_DB,
      onReport: ({ component, spans, inserted, protocol }) =>
        console.log(`${protocol === 'otlp' ? 'OTLP export' : 'report'} from ${component || '(no component)'}: ${spans} spans, ${inserted} new`),
    });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new Error(`port ${port} on 127.0.0.1 is already in use; set COLLECTOR_PORT to another port`);
    }
    throw err;
  }
  console.log(`LightStep- and OTLP-compatible collector listening on ${collector.url}`);
  console.log(`  trace page:  ${collector.url}/`);
  console.log(`  reports:     POST ${collector.url}/api/v2/reports   (LightStep)`);
  console.log(`  OTLP/HTTP:   POST ${collector.url}/v1/traces        (OTEL_EXPORTER_OTLP_ENDPOINT=${collector.url})`);
  console.log(`  tracer opts: { collector_host: '127.0.0.1', collector_port: ${collector.port}, collector_encryption: 'none' }`);

  const stop = (signal: string) => {
    console.log(`${signal}: stopping collector`);
    collector.close().then(
      () => process.exit(0),
      (err) => {
        console.error(err);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

main().catch((err: Error) => {
  console.error(`collector: ${err.message}`);
  process.exit(1);
});
