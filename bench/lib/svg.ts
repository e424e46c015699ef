/**
 * The bench's charts, written as plain SVG text (no browser, no chart library): horizontal bars
 * and lines, both on a logarithmic value axis, because the figures span four orders of magnitude
 * (tens of µs for a log line, tens of ms for a network round trip).
 */

const FONT = 'font-family="system-ui, -apple-system, Segoe UI, Helvetica, Arial, sans-serif"';
export const PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#17becf', '#7f7f7f'];

const esc = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const round = (n: number) => Math.round(n * 10) / 10;

/** Decades covering [min, max], for a log axis. */
function decades(min: number, max: number): number[] {
  const lo = Math.floor(Math.log10(min));
  const hi = Math.ceil(Math.log10(max));
  const ticks: number[] = [];
  for (let e = lo; e <= hi; e++) ticks.push(10 ** e);
  return ticks;
}

export interface BarChart {
  title: string;
  subtitle: string;
  /** One row per category; one bar per series in each row. */
  categories: string[];
  series: Array<{ name: string; values: number[] }>;
  formatValue: (v: number) => string;
}

export function barChartSvg(chart: BarChart): string {
  const labelWidth = 230;
  const plotWidth = 440;
  const barHeight = 12;
  const rowGap = 10;
  const top = 72;
  const rowHeight = chart.series.length * barHeight + rowGap;
  const height = top + chart.categories.length * rowHeight + 40;
  const width = labelWidth + plotWidth + 90;
  const positive = chart.series.flatMap((s) => s.values).filter((v) => v > 0);
  const ticks = decades(Math.min(...positive), Math.max(...positive));
  const [lo, hi] = [Math.log10(ticks[0]), Math.log10(ticks[ticks.length - 1])];
  const x = (v: number) => labelWidth + ((Math.log10(Math.max(v, ticks[0])) - lo) / (hi - lo)) * plotWidth;
  const parts: string[] = [];
  parts.push(`<text x="12" y="22" font-size="15" font-weight="600">${esc(chart.title)}</text>`);
  parts.push(`<text x="12" y="40" font-size="11" fill="#555">${esc(chart.subtitle)}</text>`);
  for (const t of ticks) {
    parts.push(`<line x1="${round(x(t))}" y1="${top - 6}" x2="${round(x(t))}" y2="${height - 34}" stroke="#ddd"/>`);
    parts.push(`<text x="${round(x(t))}" y="${height - 20}" font-size="10" fill="#555" text-anchor="middle">${esc(chart.formatValue(t))}</text>`);
  }
  chart.categories.forEach((category, row) => {
    const y0 = top + row * rowHeight;
    parts.push(`<text x="${labelWidth - 8}" y="${round(y0 + (chart.series.length * barHeight) / 2 + 4)}" font-size="11" text-anchor="end">${esc(category)}</text>`);
    chart.series.forEach((series, i) => {
      const v = series.values[row];
      if (!(v > 0)) return;
      const y = y0 + i * barHeight;
      parts.push(`<rect x="${labelWidth}" y="${y}" width="${round(x(v) - labelWidth)}" height="${barHeight - 2}" fill="${PALETTE[i]}"/>`);
      parts.push(`<text x="${round(x(v) + 4)}" y="${y + barHeight - 3}" font-size="10" fill="#333">${esc(chart.formatValue(v))}</text>`);
    });
  });
  chart.series.forEach((series, i) => {
    const lx = labelWidth + i * 140;
    parts.push(`<rect x="${lx}" y="${top - 14}" width="10" height="10" fill="${PALETTE[i]}"/><text x="${lx + 14}" y="${top - 5}" font-size="11">${esc(series.name)}</text>`);
  });
  return svg(width, height, parts);
}

export interface LineChart {
  title: string;
  subtitle: string;
  xLabel: string;
  xTicks: number[];
  series: Array<{ name: string; points: Array<[number, number]>; dashed?: boolean }>;
  formatValue: (v: number) => string;
}

export function lineChartSvg(chart: LineChart): string {
  const left = 70;
  const plotWidth = 470;
  const plotHeight = 260;
  const top = 50;
  const legendWidth = 320;
  const width = left + plotWidth + legendWidth;
  const height = top + plotHeight + 50;
  const values = chart.series.flatMap((s) => s.points.map(([, v]) => v)).filter((v) => v > 0);
  const ticks = decades(Math.min(...values), Math.max(...values));
  const [lo, hi] = [Math.log10(ticks[0]), Math.log10(ticks[ticks.length - 1])];
  const xs = chart.series.flatMap((s) => s.points.map(([m]) => m));
  const [x0, x1] = [Math.min(...xs), Math.max(...xs)];
  const x = (m: number) => left + ((m - x0) / (x1 - x0)) * plotWidth;
  const y = (v: number) => top + plotHeight - ((Math.log10(Math.max(v, ticks[0])) - lo) / (hi - lo)) * plotHeight;
  const parts: string[] = [];
  parts.push(`<text x="12" y="22" font-size="15" font-weight="600">${esc(chart.title)}</text>`);
  parts.push(`<text x="12" y="40" font-size="11" fill="#555">${esc(chart.subtitle)}</text>`);
  for (const t of ticks) {
    parts.push(`<line x1="${left}" y1="${round(y(t))}" x2="${left + plotWidth}" y2="${round(y(t))}" stroke="#ddd"/>`);
    parts.push(`<text x="${left - 6}" y="${round(y(t) + 3)}" font-size="10" fill="#555" text-anchor="end">${esc(chart.formatValue(t))}</text>`);
  }
  for (const m of chart.xTicks) {
    parts.push(`<line x1="${round(x(m))}" y1="${top}" x2="${round(x(m))}" y2="${top + plotHeight}" stroke="#eee"/>`);
    parts.push(`<text x="${round(x(m))}" y="${top + plotHeight + 14}" font-size="10" fill="#555" text-anchor="middle">${m}</text>`);
  }
  parts.push(`<text x="${left + plotWidth / 2}" y="${top + plotHeight + 32}" font-size="11" text-anchor="middle">${esc(chart.xLabel)}</text>`);
  chart.series.forEach((series, i) => {
    const d = series.points.map(([m, v], k) => `${k === 0 ? 'M' : 'L'}${round(x(m))},${round(y(v))}`).join(' ');
    parts.push(`<path d="${d}" fill="none" stroke="${PALETTE[i % PALETTE.length]}" stroke-width="2"${series.dashed ? ' stroke-dasharray="5 3"' : ''}/>`);
    const ly = top + 6 + i * 18;
    parts.push(`<line x1="${left + plotWidth + 16}" y1="${ly}" x2="${left + plotWidth + 36}" y2="${ly}" stroke="${PALETTE[i % PALETTE.length]}" stroke-width="2"${series.dashed ? ' stroke-dasharray="5 3"' : ''}/>`);
    parts.push(`<text x="${left + plotWidth + 42}" y="${ly + 4}" font-size="11">${esc(series.name)}</text>`);
  });
  return svg(width, height, parts);
}

function svg(width: number, height: number, parts: string[]): string {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" ${FONT} fill="#111">`,
    `<rect width="${width}" height="${height}" fill="#fff"/>`,
    ...parts,
    '</svg>',
    '',
  ].join('\n');
}
