// `npm run drill [-- --size small] [-- --only outage,load]`: every drill at full size (issue 13's
// figures), then the secrets check; prints the tables and writes drills/results/latest.json.
// Exits 1 when an invariant did not hold. Figures are measurements, never pass/fail thresholds.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DRILLS } from './catalogue';
import { runDrills, type DrillReport } from './orchestrate';
import type { DrillSize } from './support/drill';

function render(report: DrillReport): string {
  const m = report.machine;
  const lines = [
    `# drills — ${report.date} — Node ${report.node} — ${m.cpus} × ${m.cpu} — ${m.platform} ${m.arch} — load ${m.loadAverage.join(' ')} — size ${report.size}`,
  ];
  for (const result of report.results) {
    const what = DRILLS.find((d) => d.name === result.drill)?.what ?? 'the access token and the OTLP header value in everything the drills left';
    lines.push('', `## ${result.drill}: ${what} (${(result.durationMs / 1000).toFixed(1)} s)`, '| figure | value |', '|---|---:|');
    for (const [figure, value] of Object.entries(result.figures)) {
      lines.push(`| ${figure} | ${typeof value === 'number' ? value.toLocaleString('en-US') : String(value).replace(/\|/g, '\\|')} |`);
    }
    const problems = report.problems[result.drill] ?? [];
    lines.push(problems.length === 0 ? 'invariants: all held' : `invariants NOT held:\n${problems.map((p) => `- ${p}`).join('\n')}`);
  }
  lines.push('', `total ${(report.totalMs / 1000).toFixed(1)} s`);
  return lines.join('\n');
}

/** The report as kept in the repository: each drill's distinct errors (counted), no temporary paths. */
function forTheRecord(report: DrillReport) {
  const { artifactDir: _artifacts, ...rest } = report;
  return {
    ...rest,
    results: report.results.map((r) => {
      const counts = new Map<string, number>();
      for (const e of r.errors) if (e.trim()) counts.set(e.trim().replace(/:\d{4,5}\b/g, ':PORT').replace(/\(\d+ failed reports in a row\)/, '(n failed reports in a row)'), (counts.get(e.trim()) ?? 0) + 1);
      return { ...r, errors: [...counts].slice(0, 20).map(([message, count]) => ({ message: message.slice(0, 600), count })) };
    }),
  };
}

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { size: { type: 'string', default: 'full' }, only: { type: 'string' } } });
  if (values.size !== 'small' && values.size !== 'full') throw new Error('--size must be small or full');
  const report = await runDrills({ size: values.size as DrillSize, only: values.only?.split(','), echo: true });
  const text = render(report);
  process.stdout.write(text + '\n');
  const dir = path.join(__dirname, 'results');
  mkdirSync(dir, { recursive: true });
  const name = values.size === 'full' && !values.only ? 'latest' : `latest-${values.size}${values.only ? '-partial' : ''}`;
  writeFileSync(path.join(dir, `${name}.json`), JSON.stringify(forTheRecord(report), null, 1) + '\n');
  writeFileSync(path.join(dir, `${name}.md`), text + '\n');
  process.stderr.write(`written: drills/results/${name}.json and .md (artifacts of the run: ${report.artifactDir})\n`);
  return Object.values(report.problems).some((p) => p.length > 0) ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`drill: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(2);
  },
);
