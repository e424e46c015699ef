/** The two charts the README shows, from a run's figures. */
import type { DollarFigures } from '../scenarios/dollars';
import type { InvocationFigures } from '../scenarios/invocation';
import { formatDollars, formatMs } from './format';
import { barChartSvg, lineChartSvg } from './svg';

export function overheadChart(figures: InvocationFigures[], spans: 1 | 11, subtitle: string): string | null {
  const rows = figures.filter((f) => f.spans === spans && f.added !== null);
  if (rows.length === 0) return null;
  return barChartSvg({
    title: `What tracing adds to a warm invocation (${spans === 1 ? 'the demo handler, 1 span' : '11 spans'})`,
    subtitle,
    categories: rows.map((f) => f.label),
    series: [
      { name: 'added p50', values: rows.map((f) => f.added!.p50) },
      { name: 'added p99', values: rows.map((f) => f.added!.p99) },
      { name: 'CPU per invocation', values: rows.map((f) => f.added!.cpu) },
    ],
    formatValue: formatMs,
  });
}

export function dollarsChart(dollars: DollarFigures, spans: 1 | 11, subtitle: string): string | null {
  const rows = dollars.rows.filter((r) => r.spans === spans);
  if (rows.length === 0) return null;
  return lineChartSvg({
    title: `Added $ per million invocations by memory size (arm64, ${spans === 1 ? '1 span' : '11 spans'} per invocation)`,
    subtitle,
    xLabel: 'function memory (MB)',
    xTicks: [128, 512, 1024, 1769, 2048, 3008],
    series: rows.map((r) => ({
      name: r.label + (r.mode === 'log' ? ' + forwarder' : ''),
      points: r.curve,
      dashed: r.mode === 'otel' || r.mode === 'dd-trace',
    })),
    formatValue: formatDollars,
  });
}
