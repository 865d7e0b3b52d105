// The report as one self-contained HTML file: inline CSS and SVG, no scripts, fonts, images or links
// to fetch, so it reads the same offline and prints on A4. All inventory text is escaped.
import { esc, kecamatanChart, legend, targetLegend, timelineChart } from './html-charts.ts';
import { CSS, htmlPage } from './html-style.ts';
import type { Messages } from './i18n.ts';
import type { Approver } from './options.ts';
import { asOfNotes, byMonth, projectionText, readinessSummaryText, readinessText, servicesText, sitesText, storageUsageText, targetText, unknownFieldsText, usageBytesText } from './phrases.ts';
import type { ReportData, UnitRow, UnknownField } from './schema.ts';

type Align = 'l' | 'r';
const cell = (v: string, a: Align = 'l', tag = 'td') => `<${tag}${a === 'r' ? ' class="num"' : ''}>${v}</${tag}>`;
const row = (cells: string[], align: Align[] = [], tag = 'td') => `<tr>${cells.map((c, i) => cell(c, align[i] ?? 'l', tag)).join('')}</tr>`;

function table(head: string[], align: Align[], rows: string[][], opts: { id?: string; cls?: string; foot?: string[] } = {}): string {
  const attrs = `${opts.id ? ` id="${opts.id}"` : ''}${opts.cls ? ` class="${opts.cls}"` : ''}`;
  const foot = opts.foot ? `<tfoot>${row(opts.foot, align)}</tfoot>` : '';
  return `<table${attrs}><thead>${row(head.map(esc), align, 'th')}</thead><tbody>${rows.map((r) => row(r, align)).join('')}</tbody>${foot}</table>`;
}

const section = (id: string, title: string, body: string, cls = '') => `<section id="${id}"${cls ? ` class="${cls}"` : ''}><h2>${esc(title)}</h2>${body}</section>`;

export function renderHtml(data: ReportData, m: Messages, approver: Approver = {}): string {
  const { t } = m;
  const title = `${t.title} — ${data.kabupaten.name}`;
  const body = [
    `<header><h1>${esc(t.title)}</h1><p class="meta"><strong>${esc(data.kabupaten.name)}</strong> · ${esc(t.asOf(m.date(data.asOf)))} · ${esc(t.sourceFile)}: ${esc(data.file)}</p><p class="meta">${esc(data.kabupaten.operator)}</p></header>`,
    summary(data, m),
    targets(data, m),
    section('kecamatan', t.perKecamatan, kecamatan(data, m)),
    section('linimasa', t.timeline, timeline(data, m)),
    section('percontohan', t.pilots, pilots(data, m)),
    section('kualitas', t.quality, quality(data, m)),
    section('layanan', t.services, services(data, m)),
    section('ruang-berkas', t.storageUsage, storageUsage(data, m)),
    section('kesiapan', t.readiness, readiness(data, m)),
    section('data-belum-diketahui', t.unknownData, unknowns(data, m)),
    signature(data, m, approver),
    section('semua-unit', t.allUnitsTable, units(data, m), 'long'),
    `<footer>${esc(t.generatedBy)} · ${esc(t.asOf(m.date(data.asOf)))} · ${esc(data.kabupaten.officialSource)}</footer>`,
  ].join('\n');
  // Page numbers in the bottom margin of every printed page (Chromium's own header and footer are off).
  const pages = `@page { @bottom-center { content: ${t.pageOf}; font: 9pt system-ui, sans-serif; color: #5b6670; } }`;
  return htmlPage({ lang: m.lang, title, css: `${CSS}${pages}`, body });
}

/**
 * The approving official's signature block, at the end of the report proper (the list of every unit
 * follows as an attachment): place and date, title, room to sign and stamp, name, NIP. What the flags
 * do not give is a dotted line to fill by hand: desa never invents an official.
 */
function signature(data: ReportData, m: Messages, a: Approver): string {
  const { t } = m;
  const blank = '……………………………………';
  return `<section id="pengesahan" class="signature"><p>${esc(t.placeDate)}</p><p>${esc(t.acknowledged)}</p><p>${esc(a.title ?? blank)}</p>${a.title ? '' : `<p class="note">${esc(data.kabupaten.operator)}</p>`}
<div class="sign-space"></div><p class="signer">${esc(a.name ?? `(${blank})`)}</p><p>NIP ${esc(a.nip ?? '……………………………')}</p></section>`;
}

function summary(data: ReportData, m: Messages): string {
  const { t } = m;
  const o = data.overall;
  const card = (n: number, label: string, cls = '') => `<div class="card${cls ? ` ${cls}` : ''}"><span class="n">${m.num(n)}</span><span class="l">${esc(label)}</span></div>`;
  const share = o.sharePercent ?? 0;
  return section(
    'ringkasan',
    t.summary,
    `<div class="cards">${card(o.units, t.units)}${card(o.desa, t.desa)}${card(o.kelurahan, t.kelurahan)}${card(o.kecamatan, t.kecamatan)}</div>
<div class="cards" style="margin-top:10px">${card(o.connected, t.status.connected, 'connected')}${card(o.inProgress, t.status['in-progress'], 'in-progress')}${card(o.notConnected, t.status['not-connected'], 'not-connected')}${card(o.unknown, t.status.unknown, 'unknown')}</div>
<div class="share"><p><strong>${esc(t.share)}: ${esc(m.pct(o.sharePercent))}</strong></p><div class="bar" role="img" aria-label="${esc(`${t.share} ${m.pct(o.sharePercent)}`)}"><span style="width:${share}%"></span></div></div>` +
      (o.connectedDateUnknown > 0 ? `<p class="note">${esc(t.dateUnknown(m.num(o.connectedDateUnknown)))}</p>` : '') +
      asOfNotes(data, m).map((n) => `<p class="note as-of">${esc(n)}</p>`).join(''),
  );
}

function targets(data: ReportData, m: Messages): string {
  const items = data.targets.map((tr) => {
    const x = targetText(tr, m, data.asOf);
    return `<article class="target ${x.state}"><h3>${esc(x.head)}</h3><p class="note">${esc(tr.description)} (${esc(tr.source)})${x.history.length ? ` · ${esc(x.history.join('; '))}` : ''}</p>
<p class="outcome">${esc(x.outcome)}</p><p>${esc(x.progress)}</p>${x.caveat ? `<p class="caveat">${esc(x.caveat)}</p>` : ''}</article>`;
  });
  const p = projectionText(data.projection, m);
  return section('target', m.t.targets, items.join('')) + section('proyeksi', m.t.projection, `<p>${esc(p.text)}</p>${p.method ? `<p class="note">${esc(p.method)}</p>` : ''}`);
}

function kecamatan(data: ReportData, m: Messages): string {
  const { t } = m;
  const o = data.overall;
  const align: Align[] = ['l', 'r', 'r', 'r', 'r', 'r', 'r'];
  return (
    legend(m) +
    kecamatanChart(data, m) +
    table(
      [t.kecamatan, t.unit, t.status.connected, t.status['in-progress'], t.status['not-connected'], t.status.unknown, t.shareShort],
      align,
      data.kecamatan.map((k) => [esc(k.name), m.num(k.units), m.num(k.connected), m.num(k.inProgress), m.num(k.notConnected), m.num(k.unknown), esc(m.pct(k.sharePercent))]),
      { id: 'kecamatan-table', foot: [esc(t.total), m.num(o.units), m.num(o.connected), m.num(o.inProgress), m.num(o.notConnected), m.num(o.unknown), esc(m.pct(o.sharePercent))] },
    )
  );
}

function timeline(data: ReportData, m: Messages): string {
  const { t } = m;
  const months = byMonth(data.timeline.points);
  const tableHtml = months.length
    ? table([t.month, t.added, t.cumulative], ['l', 'r', 'r'], months.map((p) => [esc(m.month(p.month)), m.num(p.added), m.num(p.connected)]), { cls: 'narrow' })
    : ''; // the chart itself says there is nothing to plot
  const undated = data.timeline.connectedDateUnknown > 0 ? `<p class="note">${esc(t.dateUnknown(m.num(data.timeline.connectedDateUnknown)))}</p>` : '';
  return timelineChart(data, m) + targetLegend(data, m) + undated + tableHtml;
}

function pilots(data: ReportData, m: Messages): string {
  const { t } = m;
  return data.pilots
    .map((p) => `<h3>${esc(p.name)} (${p.year})</h3>` + (p.units.length === 0 ? `<p>${esc(t.noPilots)}</p>` : table([t.name, t.kecamatan, t.statusH], ['l', 'l', 'l'], p.units.map((u) => [`<span class="pilot-mark">★</span> ${esc(u.name)}`, esc(u.kecamatan), status(u.status, m)]), { id: `pilots-${p.id}` })))
    .join('');
}

/** A host name that may wrap after its dots and hyphens, not inside a word. */
function breakable(host: string): string {
  return esc(host).replace(/([.-])/g, '$1<wbr>');
}

function status(s: UnitRow['connectivity']['status'], m: Messages): string {
  return `<span class="status-${s}">${esc(m.t.status[s])}</span>`;
}

function quality(data: ReportData, m: Messages): string {
  const { t } = m;
  const q = data.quality;
  const rule = `<p class="note">${esc(t.qualityRule(m.num(q.minUptimePercent), m.num(q.maxOutages)))}</p>`;
  if (q.measured === 0) return `${rule}<p>${esc(t.noQuality)}</p>`;
  if (q.flagged.length === 0) return `${rule}<p>${esc(t.measured(m.num(q.measured)))} ${esc(t.noFlagged)}</p>`;
  return `${rule}<p>${esc(t.measured(m.num(q.measured)))}</p>` + table([t.name, t.kecamatan, t.uptime, t.outages, t.period, ''], ['l', 'l', 'r', 'r', 'l', 'l'],
    q.flagged.map((f) => [esc(f.name), esc(f.kecamatan), esc(m.pct(f.uptimePercent)), f.outages === null ? t.none : m.num(f.outages), esc(f.period ?? t.none), `<span class="flag">${esc(f.flags.map((x) => t.flag[x]).join(', '))}</span>`]), { id: 'quality-table' });
}

function services(data: ReportData, m: Messages): string {
  const { t } = m;
  const s = data.services;
  return table([t.service, t.unitsCount], ['l', 'l'], [
    [esc(t.email), `${m.num(s.email.units)} (${m.num(s.email.accounts)} ${esc(t.accounts)})`],
    [esc(t.storage), m.num(s.storage.units)],
    [esc(t.subdomain), m.num(s.subdomain.units)],
    [esc(t.site), esc(sitesText(data, m))],
  ], { cls: 'narrow' }) + `<p class="note">${esc(t.servicesSource[s.source])}</p>`;
}

function storageUsage(data: ReportData, m: Messages): string {
  const { t } = m;
  const u = storageUsageText(data, m);
  const lines = u.lines.map((l, i) => `<p${i === 0 || !data.storageUsage ? ' class="note"' : ''}>${esc(l)}</p>`).join('');
  const near = u.near ? `<p${u.nearAny ? ' class="caveat" id="near-quota"' : ''}>${esc(u.near)}</p>` : '';
  const list = u.rows.length
    ? `<h3>${esc(u.listTitle ?? '')}</h3>` +
      table([t.name, t.kecamatan, t.usedH, t.filesH], ['l', 'l', 'r', 'r'], u.rows.map((r) => [r.near ? `<span class="flag">${esc(r.name)}</span>` : esc(r.name), esc(r.kecamatan), esc(r.used), esc(r.files)]), { id: 'storage-usage', cls: 'narrow' }) +
      (u.more > 0 ? `<p class="note">${esc(t.usageMore(m.num(u.more)))}</p>` : '')
    : '';
  return lines + near + list;
}

/** A unit's readiness in the list: "siap"; "belum siap" and the failing checks; "kesiapan ?" when not checked (not known yet). */
function readinessCell(r: UnitRow, m: Messages): string {
  const { t } = m;
  if (r.readiness.state === 'not-checked') return `<span class="note">${esc(t.readinessH.toLowerCase())} ?</span>`;
  if (r.readiness.state === 'ready') return esc(t.readinessState.ready);
  return `<span class="flag">${esc(t.readinessState['not-ready'])}: ${esc(r.readiness.failing.map((c) => t.check[c]).join(', '))}</span>`;
}

function readiness(data: ReportData, m: Messages): string {
  const { t } = m;
  const r = readinessSummaryText(data, m);
  const notReady = data.units.filter((u) => u.readiness.state === 'not-ready');
  const list = notReady.length
    ? table([t.name, t.kecamatan, t.readinessH], ['l', 'l', 'l'], notReady.map((u) => [esc(u.name), esc(u.kecamatan), `<span class="flag">${esc(readinessText(u, m))}</span>`]), { id: 'not-ready', cls: 'narrow' })
    : '';
  return `<p>${esc(r.counts)}</p>${list}<p class="note">${esc(r.when)}</p>`;
}

function unknowns(data: ReportData, m: Messages): string {
  const { t } = m;
  const u = data.unknownData;
  const intro = `<p>${esc(t.unknownIntro(m.num(u.unitsWithUnknowns), m.num(data.overall.units)))}</p>`;
  if (u.unitsWithUnknowns === 0) return intro;
  // Every unit, grouped by the set of fields it lacks: the full list without a line per unit.
  const groups = new Map<string, UnitRow[]>();
  for (const r of data.units.filter((x) => x.unknownFields.length > 0)) {
    const key = unknownFieldsText(r, m);
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  return intro +
    table([t.field_, t.unitsCount], ['l', 'r'], Object.entries(u.fields).map(([f, n]) => [esc(t.field[f as keyof typeof u.fields]), m.num(n)]), { id: 'unknown-fields', cls: 'narrow' }) +
    table([t.unknownData, t.unitsCount, t.unit], ['l', 'r', 'l'], [...groups].map(([fields, rows]) => [esc(fields), m.num(rows.length), esc(rows.map((r) => r.name).join(', '))]), { id: 'unknown-units', cls: 'units' });
}

function units(data: ReportData, m: Messages): string {
  const { t } = m;
  // "?" marks a value that is unknown; the dash one that does not apply (or a service that is off).
  const rows = data.units.map((r) => {
    const c = r.connectivity;
    const svc = servicesText(r, m);
    const unknown = (f: UnknownField) => r.unknownFields.includes(f);
    const val = (f: UnknownField, v: string | null) => (v !== null ? v : unknown(f) ? '?' : null);
    const linkParts = [val('technology', c.technology && t.technology[c.technology]), val('bandwidth', c.bandwidthMbps !== null ? `${m.num(c.bandwidthMbps)} Mbps` : null), val('provider', c.provider)];
    const link = linkParts.every((x) => x === '?') ? '?' : linkParts.filter(Boolean).map((x) => esc(x!)).join('<br>') || t.none;
    const qual = c.uptimePercent === null && c.outages === null ? (unknown('quality') ? '?' : t.none) : `${m.pct(c.uptimePercent)} · ${c.outages === null ? '?' : m.num(c.outages)}×`;
    return [
      `${r.pilot ? `<span class="pilot-mark" title="${esc(t.pilot)}">★</span> ` : ''}${esc(r.name)}<br><span class="note">${esc(r.code)}${r.kind === 'kelurahan' ? ` · ${esc(t.kinds.kelurahan)}` : ''}</span>`,
      esc(r.kecamatan),
      status(c.status, m),
      esc(val('connectedOn', c.connectedOn && m.date(c.connectedOn)) ?? t.none),
      link,
      r.qualityFlags.length ? `<span class="flag">${esc(qual)}</span>` : esc(qual),
      esc(svc.email),
      // The quota, and under it the usage SFTPGo measured (or nothing when it was not measured).
      r.storageUsage ? `${esc(svc.storage)}<br><span class="note">${esc(usageBytesText(r.storageUsage, m))}</span>` : esc(svc.storage),
      // Readiness under the site and its name: a column of its own would not fit the A4 width.
      `${esc(svc.site)}<br><span class="host">${breakable(svc.subdomain)}</span><br>${readinessCell(r, m)}`,
    ];
  });
  return `<p class="note">${esc(t.unknownMark)} <span class="pilot-mark">★</span> ${esc(t.pilot)}.</p>` +
    table([`${t.name} · ${t.code}`, t.kecamatan, t.statusH, t.connectedOn, t.link, `${t.uptime} · ${t.outages}`, t.email, t.storage, `${t.site} · ${t.subdomain} · ${t.readinessH}`], [], rows, { id: 'units-table', cls: 'units' });
}
