// The page shell and its stylesheet: system fonts, no external assets (the page works offline).
import { html, trusted, type SafeHtml } from './html';

const CSS = trusted(`
:root {
  --fg: #1d2430; --muted: #667085; --line: #e4e7ec; --bg: #f7f8fa; --card: #fff;
  --accent: #2f5bd3; --error: #d92d20; --error-bg: #fef3f2; --label-width: 36%;
}
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  color: var(--fg); background: var(--bg); }
a { color: var(--accent); text-decoration: none; }
a:hover { text-decoration: underline; }
code, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace; font-size: 12.5px; }
header.top { background: #141a26; color: #fff; padding: 10px 24px; display: flex; align-items: baseline; gap: 16px; }
header.top a { color: #fff; font-weight: 600; }
header.top .sub { color: #a9b3c6; font-size: 13px; }
main { max-width: 1280px; margin: 0 auto; padding: 20px 24px 48px; }
h1 { font-size: 20px; margin: 0 0 4px; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 8px; overflow: hidden; }
.meta { color: var(--muted); margin: 0 0 16px; display: flex; flex-wrap: wrap; gap: 6px 18px; }
.meta b { color: var(--fg); font-weight: 600; }
.empty { padding: 32px; text-align: center; color: var(--muted); }
.empty pre { display: inline-block; text-align: left; background: var(--bg); padding: 10px 14px; border-radius: 6px; color: var(--fg); }

/* trace list */
table.traces { width: 100%; border-collapse: collapse; }
table.traces th { text-align: left; font-weight: 600; color: var(--muted); font-size: 12px; text-transform: uppercase;
  letter-spacing: .04em; padding: 10px 14px; border-bottom: 1px solid var(--line); background: #fbfcfd; }
table.traces td { padding: 10px 14px; border-bottom: 1px solid var(--line); vertical-align: middle; }
table.traces tr:last-child td { border-bottom: 0; }
table.traces tr:hover td { background: #f5f8ff; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
th.num { text-align: right !important; }
.op { font-weight: 600; }
.dot { display: inline-block; width: 10px; height: 10px; border-radius: 3px; margin-right: 6px; vertical-align: -1px; }
.badge { display: inline-block; padding: 0 7px; border-radius: 10px; font-size: 12px; font-weight: 600; line-height: 18px; }
.badge.error { background: var(--error-bg); color: var(--error); border: 1px solid #fecdca; }
.badge.ok { color: var(--muted); }

/* legend */
.legend { display: flex; flex-wrap: wrap; gap: 6px 16px; margin: 0 0 12px; color: var(--muted); }
.legend span.item { display: inline-flex; align-items: center; }
.legend .swatch { width: 12px; height: 12px; border-radius: 3px; margin-right: 6px; }

/* waterfall */
.axis, .span-summary { display: grid; grid-template-columns: var(--label-width) 1fr; }
.axis { border-bottom: 1px solid var(--line); background: #fbfcfd; font-size: 12px; color: var(--muted); }
.axis .label { padding: 8px 14px; font-weight: 600; text-transform: uppercase; letter-spacing: .04em; }
.axis .ticks, .span-summary .track { position: relative; }
.axis .tick { position: absolute; top: 8px; transform: translateX(-50%); white-space: nowrap; }
.axis .tick.first { transform: none; }
.axis .tick.last { transform: translateX(-100%); }
.gridlines { position: absolute; inset: 0; pointer-events: none; }
.gridlines i { position: absolute; top: 0; bottom: 0; border-left: 1px dashed #edf0f4; }
details.span-row { border-bottom: 1px solid var(--line); }
details.span-row:last-child { border-bottom: 0; }
.span-summary { cursor: pointer; list-style: none; min-height: 34px; }
.span-summary::-webkit-details-marker { display: none; }
.span-summary:hover { background: #f5f8ff; }
details[open] > .span-summary { background: #eef3ff; }
.span-label { display: flex; align-items: center; gap: 6px; padding: 6px 10px 6px 14px; min-width: 0; border-right: 1px solid var(--line); }
.span-label .caret { color: var(--muted); width: 10px; font-size: 10px; transition: transform .1s; flex: none; }
details[open] .span-label .caret { transform: rotate(90deg); }
.span-label .name { font-weight: 600; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.span-label .component { color: var(--muted); font-size: 12px; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.guide { flex: none; align-self: stretch; border-left: 1px solid #d0d5dd; margin-left: 4px; }
.track { margin: 0 14px; }
.bar { position: absolute; top: 9px; height: 16px; border-radius: 3px; min-width: 2px; }
.bar-label { position: absolute; top: 8px; font-size: 12px; color: var(--muted); white-space: nowrap; padding: 0 6px; font-variant-numeric: tabular-nums; }
.bar-label.inside { color: #fff; font-weight: 600; top: 9px; line-height: 16px; }
.is-error .bar { box-shadow: 0 0 0 2px var(--error); background-image: repeating-linear-gradient(135deg, transparent 0 6px, rgba(255,255,255,.35) 6px 9px); }
.is-error .span-label { box-shadow: inset 3px 0 0 var(--error); }
.is-error .name { color: var(--error); }
.span-details { padding: 10px 14px 14px calc(14px + var(--indent, 0px)); background: #fbfcfd; border-top: 1px dashed var(--line);
  display: grid; grid-template-columns: minmax(260px, 1fr) minmax(260px, 1.4fr); gap: 16px; }
.span-details h3 { font-size: 12px; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); margin: 0 0 6px; }
table.kv { border-collapse: collapse; width: 100%; }
table.kv td { padding: 3px 8px 3px 0; vertical-align: top; border-bottom: 1px solid #f0f2f5; word-break: break-word; }
table.kv td.k { color: var(--muted); white-space: nowrap; width: 1%; padding-right: 14px; }
.v-number, .v-boolean { color: #7a2e9d; }
.none { color: var(--muted); font-style: italic; }
.log { margin: 0 0 8px; }
.log .when { color: var(--muted); font-size: 12px; font-variant-numeric: tabular-nums; }
`);

export function page(title: string, body: SafeHtml, subtitle?: string): SafeHtml {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<style>${CSS}</style>
</head>
<body>
<header class="top"><a href="/">Local traces</a><span class="sub">${subtitle ?? 'embedded LightStep- and OTLP-compatible collector'}</span></header>
<main>
${body}
</main>
</body>
</html>
`;
}
