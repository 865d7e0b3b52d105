// The HTML report's stylesheet, inlined: system fonts only, readable on screen, printable on A4, and the
// page every offline HTML document of desa is written in (the report, the credential sheet).
import { esc } from './html-charts.ts';

export const CSS = `
:root { --ink: #1d2329; --muted: #5b6670; --line: #d8dde2; --accent: #0b5394; --ok: #2e7d32; --bad: #c62828; --warn: #8a5a00; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; color: var(--ink); background: #fff; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "DejaVu Sans", Arial, sans-serif; }
main { max-width: 1040px; margin: 0 auto; padding: 24px 28px 40px; }
header { border-bottom: 3px solid var(--accent); padding-bottom: 10px; margin-bottom: 8px; }
h1 { font-size: 26px; line-height: 1.2; margin: 0 0 4px; color: var(--accent); }
h2 { font-size: 19px; margin: 28px 0 10px; padding-bottom: 4px; border-bottom: 1px solid var(--line); }
h3 { font-size: 16px; margin: 0 0 4px; }
p { margin: 6px 0; }
.meta, .note { color: var(--muted); font-size: 13px; }
.cards { display: grid; grid-template-columns: repeat(4, 1fr); gap: 10px; }
.card { border: 1px solid var(--line); border-radius: 8px; padding: 10px 12px; }
.card .n { display: block; font-size: 26px; font-weight: 700; font-variant-numeric: tabular-nums; }
.card .l { color: var(--muted); font-size: 13px; }
.card.connected { border-top: 4px solid #2e7d32; } .card.in-progress { border-top: 4px solid #f2a900; }
.card.not-connected { border-top: 4px solid #c62828; } .card.unknown { border-top: 4px solid #b0b7bf; }
.share { margin-top: 12px; }
.bar { height: 14px; background: #eef0f2; border-radius: 7px; overflow: hidden; }
.bar span { display: block; height: 100%; background: var(--ok); }
.target { border: 1px solid var(--line); border-left: 6px solid var(--bad); border-radius: 6px; padding: 10px 14px; margin: 10px 0; }
.target.met { border-left-color: var(--ok); } .target.undetermined { border-left-color: var(--warn); }
.outcome { font-weight: 700; }
.target.met .outcome { color: var(--ok); } .target.not-met .outcome { color: var(--bad); } .target.undetermined .outcome { color: var(--warn); }
.caveat { color: var(--warn); }
.caveat::before { content: "⚠ "; }
table { width: 100%; border-collapse: collapse; font-size: 14px; margin: 8px 0; }
th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { background: #f3f5f7; font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
tfoot td { font-weight: 700; border-top: 2px solid var(--ink); }
table.units { font-size: 12px; }
table.units td { padding: 3px 6px; }
table.units .note, table.units .host { font-size: 0.9em; }
.host { color: var(--muted); }
table.narrow { width: auto; min-width: 45%; }
.pilot-mark { color: #b8860b; }
.chart { display: block; width: 100%; height: auto; margin: 8px 0; font: 12px system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "DejaVu Sans", Arial, sans-serif; fill: var(--ink); }
.chart .grid { stroke: #e3e7eb; } .chart .axis { stroke: #8a949e; }
.chart .actual { fill: none; stroke: var(--ok); stroke-width: 2.5; }
.chart .target line { stroke: var(--bad); stroke-dasharray: 6 4; stroke-width: 1.5; }
.chart .target line.drop { stroke-dasharray: 1 3; stroke-width: 1; }
.chart .target circle { fill: var(--bad); } .chart .target .mark { fill: #fff; font-weight: 700; font-size: 11px; }
.chart .target.revised { opacity: 0.45; }
.target-legend { margin: 4px 0 8px; padding-left: 0; list-style: none; counter-reset: t; font-size: 13px; }
.target-legend li { counter-increment: t; margin: 3px 0; }
.target-legend li::before { content: counter(t); display: inline-block; width: 18px; height: 18px; margin-right: 8px; border-radius: 50%; background: var(--bad); color: #fff; font-size: 11px; font-weight: 700; line-height: 18px; text-align: center; }
.target-legend li.revised { opacity: 0.6; }
.chart .projection { stroke: var(--accent); stroke-dasharray: 2 4; stroke-width: 2; }
.chart .asof { stroke: var(--accent); stroke-width: 1; } .chart .asof-label { fill: var(--accent); }
.chart .empty { fill: var(--muted); font-size: 14px; }
.chart .empty-box { fill: #fff; fill-opacity: 0.92; stroke: var(--line); }
.legend { list-style: none; padding: 0; margin: 4px 0; display: flex; gap: 16px; flex-wrap: wrap; font-size: 13px; }
.swatch { display: inline-block; width: 12px; height: 12px; border-radius: 2px; margin-right: 6px; vertical-align: -1px; }
.status-connected { color: var(--ok); } .status-not-connected { color: var(--bad); } .status-unknown { color: var(--muted); }
.flag { color: var(--bad); font-weight: 600; }
.signature { width: 48%; margin: 28px 0 8px auto; break-inside: avoid; break-before: avoid; }
.signature p { margin: 2px 0; } .signature .sign-space { height: 72px; } .signature .signer { font-weight: 700; text-decoration: underline; }
footer { margin-top: 32px; color: var(--muted); font-size: 12px; border-top: 1px solid var(--line); padding-top: 8px; }
@media (max-width: 700px) { .cards { grid-template-columns: repeat(2, 1fr); } main { padding: 16px; } }
@page { size: A4; margin: 14mm 12mm; }
@media print {
  body { font-size: 10.5pt; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  main { max-width: none; padding: 0; }
  h1 { font-size: 18pt; } h2 { font-size: 13pt; margin-top: 16pt; break-after: avoid; }
  .card .n { font-size: 16pt; }
  section, .target, .card, tr, svg { break-inside: avoid; }
  section.long { break-inside: auto; break-before: page; }
  table { font-size: 9pt; } table.units { font-size: 7.5pt; }
  thead { display: table-header-group; }
}
`;

/**
 * A complete, self-contained HTML page: styles inline, and a Content-Security-Policy that forbids
 * fetching anything, so the file opens the same offline, printed or mailed.
 */
export function htmlPage(o: { lang: string; title: string; css: string; body: string; noindex?: boolean }): string {
  return `<!doctype html>
<html lang="${esc(o.lang)}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="referrer" content="no-referrer">
${o.noindex ? '<meta name="robots" content="noindex, nofollow">\n' : ''}<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(o.title)}</title>
<style>${o.css}</style>
</head>
<body>
<main>
${o.body}
</main>
</body>
</html>
`;
}
