// Runs the drills in this process (spawned by drills/orchestrate.ts, which captures everything
// this process and its children write): `--size small|full`, `--artifacts DIR`, `--only a,b`.
// The token comes in DRILL_ACCESS_TOKEN, the OTLP header value in DRILL_OTLP_HEADER; the results go to DIR/results.json.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DRILLS } from './catalogue';
import type { DrillResult, DrillSize } from './support/drill';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { size: { type: 'string' }, artifacts: { type: 'string' }, only: { type: 'string' } } });
  const size = values.size as DrillSize;
  const artifactDir = values.artifacts!;
  const token = process.env.DRILL_ACCESS_TOKEN!;
  const otlpHeader = process.env.DRILL_OTLP_HEADER!;
  const only = values.only ? new Set(values.only.split(',')) : undefined;
  const results: DrillResult[] = [];
  for (const drill of DRILLS) {
    if (only && !only.has(drill.name)) continue;
    process.stdout.write(`drill ${drill.name} (${size}) …\n`);
    const started = performance.now();
    try {
      results.push(await drill.run(size, { token, otlpHeader, artifactDir }));
    } catch (error) {
      const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
      results.push({ drill: drill.name, size, figures: { crashed: message.split('\n')[0] }, errors: [message], durationMs: Math.round(performance.now() - started) });
    }
    process.stdout.write(`drill ${drill.name}: ${Math.round(performance.now() - started)} ms\n`);
    writeFileSync(path.join(artifactDir, 'results.json'), JSON.stringify(results, null, 1));
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
