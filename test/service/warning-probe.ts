// Run as a child process by service.test.ts: jest's sandbox never sees process 'warning' events,
// so the check for MaxListenersExceededWarning runs in a plain Node process.
import pino from 'pino';
import { startCollector } from '../../src/collector/server';
import { embeddedCollectorTarget } from '../../src/lightstep/target';
import { startService } from '../../src/service/server';
import { startFunctionStub } from './function-stub';

async function main(): Promise<void> {
  const warnings: string[] = [];
  process.on('warning', (w) => warnings.push(`${w.name}: ${w.message}`));
  const requests = Number(process.argv[2] ?? 30);
  const collector = await startCollector({ port: 0, dbPath: ':memory:' });
  const stub = await startFunctionStub();
  const service = await startService({
    port: 0,
    lambdaUrl: stub.url,
    tracer: embeddedCollectorTarget(collector.port),
    logger: pino({ level: 'silent' }),
    tracerVerbosity: 0,
  });
  let ok = 0;
  for (let i = 0; i < requests; i++) {
    const response = await fetch(`${service.url}/ot-gen?count=1`);
    const body = (await response.json()) as { reported?: boolean };
    if (response.status === 200 && body.reported === true) ok++;
  }
  const spans = collector.store.countSpans();
  await service.close();
  await stub.close();
  await collector.close();
  // Warnings are emitted on a later tick.
  await new Promise((resolve) => setTimeout(resolve, 50));
  process.stdout.write(JSON.stringify({ requests, ok, spans, warnings }) + '\n');
}

main().catch((err: unknown) => {
  process.stderr.write(String(err instanceof Error ? err.stack : err) + '\n');
  process.exit(1);
});
