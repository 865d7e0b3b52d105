// Inline SVG charts for the HTML report: no scripts, no fonts, nothing fetched. Every text that comes
// from the inventory goes through `esc`.
import { addDays, daysBetween } from './calc.ts';
import type { Messages } from './i18n.ts';
import type { ReportData } from './schema.ts';

export function esc(s: string | number): string {
  return String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Colours by status, shared with the CSS legend. */
export const STATUS_COLOURS = { connected: '#2e7d32', inProgress: '#f2a900', notConnected: '#c62828', unknown: '#b0b7bf' } as const;
const STATUS_KEYS = ['connected', 'inProgress', 'notConnected', 'unknown'] as const;
const STATUS_LABEL = { connected: 'connected', inProgress: 'in-progress', notConnected: 'not-connected', unknown: 'unknown' } as const;

/** The targets drawn in the timeline, by their number there. */
export function targetLegend(data: ReportData, m: Messages): string {
  return `<ol class="target-legend">${data.targets.map((t) => `<li${t.revisedBy ? ' class="revised"' : ''}>${esc(m.t.targetLine(t.id, m.num(t.required), m.date(t.due)))}${t.revisedBy ? ` (${esc(m.t.revisedBy(t.revisedBy))})` : ''}</li>`).join('')}</ol>`;
}

export function legend(m: Messages): string {
  return `<ul class="legend">${STATUS_KEYS.map((k) => `<li><span class="swatch" style="background:${STATUS_COLOURS[k]}"></span>${esc(m.t.status[STATUS_LABEL[k]])}</li>`).join('')}</ul>`;
}

/** One stacked horizontal bar per kecamatan: the share of its units in each status. */
export function kecamatanChart(data: ReportData, m: Messages): string {
  const rowH = 22;
  const labelW = 150;
  const barW = 470;
  const valueW = 120;
  const width = labelW + barW + valueW;
  const height = data.kecamatan.length * rowH + 8;
  const rows = data.kecamatan.map((k, i) => {
    const y = 4 + i * rowH;
    let x = labelW;
    const segs = STATUS_KEYS.filter((s) => k[s] > 0).map((s) => {
      const w = k.units ? (barW * k[s]) / k.units : 0;
      const seg = `<rect x="${x.toFixed(1)}" y="${y + 3}" width="${w.toFixed(1)}" height="${rowH - 8}" fill="${STATUS_COLOURS[s]}"><title>${esc(`${k.name}: ${m.t.status[STATUS_LABEL[s]]} ${k[s]}`)}</title></rect>`;
      x += w;
      return seg;
    });
    return [
      `<text x="${labelW - 8}" y="${y + rowH / 2 + 4}" text-anchor="end">${esc(k.name)}</text>`,
      `<rect x="${labelW}" y="${y + 3}" width="${barW}" height="${rowH - 8}" fill="#eef0f2"/>`,
      ...segs,
      `<text x="${labelW + barW + 8}" y="${y + rowH / 2 + 4}">${esc(`${m.num(k.connected)}/${m.num(k.units)} · ${m.pct(k.sharePercent)}`)}</text>`,
    ].join('');
  });
  return svg('chart-kecamatan', width, height, `${m.t.perKecamatan}: ${m.t.shareShort}`, rows.join(''));
}

/**
 * Cumulative connected units over time (a step line), each target as a dashed level at its required
 * count with a mark at its due date, the report date, and the projection when there is one.
 */
export function timelineChart(data: ReportData, m: Messages): string {
  const W = 760;
  const H = 300;
  const pad = { l: 48, r: 24, t: 30, b: 36 };
  const pw = W - pad.l - pad.r;
  const ph = H - pad.t - pad.b;
  const pts = data.timeline.points;
  const proj = data.projection.possible && data.projection.remaining > 0 ? data.projection : null;
  const firstDue = data.targets.map((t) => t.due).sort()[0] ?? data.asOf;
  const starts = [pts[0]?.date, ...data.targets.map((t) => t.setOn), addDays(firstDue, -365)].filter((d): d is string => Boolean(d));
  const start = `${starts.sort()[0]!.slice(0, 4)}-01-01`;
  const projEnd = proj?.date && daysBetween(data.asOf, proj.date) <= 365 * 15 ? proj.date : null;
  const ends = [data.asOf, ...data.targets.map((t) => t.due), ...(projEnd ? [projEnd] : [])].sort();
  const end = `${Number(ends.at(-1)!.slice(0, 4)) + 1}-01-01`;
  const span = Math.max(1, daysBetween(start, end));
  const maxY = Math.max(1, data.overall.units);
  const x = (d: string) => pad.l + (pw * daysBetween(start, d)) / span;
  const y = (n: number) => pad.t + ph - (ph * n) / maxY;
  const f = (n: number) => n.toFixed(1);
  const parts: string[] = [];

  // Axes and grid: five levels, one tick per year (fewer when the span is long).
  for (let i = 0; i <= 4; i++) {
    const n = Math.round((maxY * i) / 4);
    parts.push(`<line x1="${pad.l}" x2="${W - pad.r}" y1="${f(y(n))}" y2="${f(y(n))}" class="grid"/><text x="${pad.l - 6}" y="${f(y(n) + 4)}" text-anchor="end">${m.num(n)}</text>`);
  }
  const y0 = Number(start.slice(0, 4));
  const y1 = Number(end.slice(0, 4));
  const step = Math.ceil((y1 - y0) / 10);
  for (let yr = y0; yr <= y1; yr += step) {
    const xx = f(x(`${yr}-01-01`));
    parts.push(`<line x1="${xx}" x2="${xx}" y1="${pad.t + ph}" y2="${pad.t + ph + 4}" class="axis"/><text x="${xx}" y="${H - pad.b + 18}" text-anchor="middle">${yr}</text>`);
  }
  parts.push(`<line x1="${pad.l}" x2="${W - pad.r}" y1="${pad.t + ph}" y2="${pad.t + ph}" class="axis"/>`);

  // Each target: a dashed level at its required count up to its due date, a numbered mark there
  // (the legend under the chart names it). A target revised by a later one is drawn faint.
  data.targets.forEach((t, i) => {
    const ty = f(y(t.required));
    const tx = f(x(t.due));
    parts.push(
      `<g class="target${t.revisedBy ? ' revised' : ''}"><line x1="${pad.l}" x2="${tx}" y1="${ty}" y2="${ty}"/><line class="drop" x1="${tx}" x2="${tx}" y1="${ty}" y2="${pad.t + ph}"/>` +
        `<circle cx="${tx}" cy="${ty}" r="9"/><text class="mark" x="${tx}" y="${f(y(t.required) + 4)}" text-anchor="middle">${i + 1}</text><title>${esc(m.t.targetLine(t.id, m.num(t.required), m.date(t.due)))}</title></g>`,
    );
  });

  // The cumulative line as steps, from zero at the start to the report date.
  let d = `M${f(x(start))},${f(y(0))}`;
  let last = 0;
  for (const p of pts) {
    d += ` H${f(x(p.date))} V${f(y(p.connected))}`;
    last = p.connected;
  }
  d += ` H${f(x(data.asOf))}`;
  parts.push(`<path class="actual" d="${d}"/>`);
  if (proj && projEnd) parts.push(`<line class="projection" x1="${f(x(data.asOf))}" y1="${f(y(last))}" x2="${f(x(projEnd))}" y2="${f(y(maxY))}"/>`);
  const ax = f(x(data.asOf));
  const right = x(data.asOf) > pad.l + pw * 0.75;
  parts.push(`<line class="asof" x1="${ax}" x2="${ax}" y1="${pad.t - 6}" y2="${pad.t + ph}"/><text class="asof-label" x="${f(x(data.asOf) + (right ? -4 : 4))}" y="${pad.t - 12}" text-anchor="${right ? 'end' : 'start'}">${esc(m.t.asOf(m.date(data.asOf)))}</text>`);
  if (pts.length === 0) {
    // A backing box keeps the message readable where it crosses the target lines.
    const msg = m.t.noTimeline;
    const bw = msg.length * 8 + 24;
    const cx = pad.l + pw / 2;
    const cy = pad.t + ph * 0.62;
    parts.push(`<rect class="empty-box" x="${f(cx - bw / 2)}" y="${f(cy - 17)}" width="${f(bw)}" height="26" rx="4"/><text class="empty" x="${f(cx)}" y="${f(cy)}" text-anchor="middle">${esc(msg)}</text>`);
  }
  return svg('chart-timeline', W, H, m.t.timeline, parts.join(''));
}

function svg(id: string, w: number, h: number, label: string, body: string): string {
  return `<svg id="${id}" class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${w} ${h}" width="${w}" height="${h}" role="img" aria-label="${esc(label)}"><title>${esc(label)}</title>${body}</svg>`;
}
