// The report for a person at a terminal: ink (React) components rendered once to a string, with
// tables and bars. Compact: lists of every unit are in the html, json and csv formats.
import { Box, renderToString, Text } from 'ink';
import React from 'react';
import type { ReactNode } from 'react';
import type { Messages } from './i18n.ts';
import { asOfNotes, byMonth, projectionText, readinessSummaryText, readinessText, sitesText, storageUsageText, targetText } from './phrases.ts';
import type { ReportData } from './schema.ts';

const h = React.createElement;
/** Unit names listed under "data not yet known" before "… and N more". */
export const TERMINAL_LIST_LIMIT = 20;

export function renderTerminal(data: ReportData, m: Messages, columns = 100): string {
  const width = Math.max(60, columns || 100);
  return renderToString(h(TerminalReport, { data, m, columns: width }), { columns: width });
}

export function TerminalReport({ data, m, columns = 100 }: { data: ReportData; m: Messages; columns?: number }): ReactNode {
  const { t } = m;
  return h(
    Box,
    { flexDirection: 'column' },
    h(Text, { bold: true, color: 'cyan' }, t.title),
    h(Text, { dimColor: true }, `${data.kabupaten.name} · ${t.asOf(m.date(data.asOf))} · ${t.sourceFile}: ${data.file}`),
    h(Summary, { data, m }),
    h(Targets, { data, m }),
    h(Kecamatan, { data, m, columns }),
    h(Timeline, { data, m }),
    h(Pilots, { data, m }),
    h(Unknowns, { data, m }),
    h(Quality, { data, m }),
    h(Services, { data, m }),
    h(StorageUsage, { data, m }),
    h(Readiness, { data, m }),
  );
}

type P = { data: ReportData; m: Messages };

const MARK = { met: { mark: '✔', color: 'green' }, 'not-met': { mark: '✘', color: 'red' }, undetermined: { mark: '?', color: 'yellow' } } as const;

function Section({ title, children }: { title: string; children?: ReactNode }): ReactNode {
  return h(Box, { flexDirection: 'column', marginTop: 1 }, h(Text, { bold: true, underline: true }, title), h(Box, { flexDirection: 'column', paddingLeft: 2 }, children));
}

/**
 * A row of cells; a positive width left-aligns, a negative one right-aligns. Cells truncate, or wrap
 * at spaces with `wrap` (a two-line table header).
 */
function Row({ cells, widths, bold, wrap }: { cells: ReactNode[]; widths: number[]; bold?: boolean; wrap?: boolean }): ReactNode {
  return h(
    Box,
    null,
    ...cells.map((c, i) => {
      const w = widths[i] ?? 10;
      return h(
        Box,
        { key: i, width: Math.abs(w), justifyContent: w < 0 ? 'flex-end' : 'flex-start', paddingRight: 1, flexShrink: 0 },
        typeof c === 'string' || typeof c === 'number' ? h(Text, { bold: Boolean(bold), wrap: wrap ? 'wrap' : 'truncate-end' }, String(c)) : c,
      );
    }),
  );
}

export function Bar({ percent, width = 20 }: { percent: number | null; width?: number }): ReactNode {
  const full = Math.round(((percent ?? 0) / 100) * width);
  return h(Text, null, h(Text, { color: 'green' }, '█'.repeat(full)), h(Text, { dimColor: true }, '░'.repeat(width - full)));
}

function Summary({ data, m }: P): ReactNode {
  const { t } = m;
  const o = data.overall;
  const w = [30, -7, 40];
  return h(
    Section,
    { title: t.summary },
    h(Row, { widths: w, cells: [t.units, m.num(o.units), `(${m.num(o.desa)} ${t.kinds.desa}, ${m.num(o.kelurahan)} ${t.kinds.kelurahan}, ${m.num(o.kecamatan)} ${t.kecamatan.toLowerCase()})`] }),
    h(Row, { widths: w, cells: [t.status.connected, m.num(o.connected), h(Text, null, h(Bar, { percent: o.sharePercent }), ` ${m.pct(o.sharePercent)}`)] }),
    h(Row, { widths: w, cells: [t.status['in-progress'], m.num(o.inProgress), ''] }),
    h(Row, { widths: w, cells: [t.status['not-connected'], m.num(o.notConnected), ''] }),
    h(Row, { widths: w, cells: [t.status.unknown, m.num(o.unknown), ''] }),
    o.connectedDateUnknown > 0 ? h(Text, { dimColor: true }, t.dateUnknown(m.num(o.connectedDateUnknown))) : null,
    ...asOfNotes(data, m).map((n, i) => h(Text, { key: `note-${i}`, dimColor: true }, n)),
  );
}

function Targets({ data, m }: P): ReactNode {
  const p = projectionText(data.projection, m);
  return h(
    Section,
    { title: `${m.t.targets} · ${m.t.projection}` },
    ...data.targets.map((tr) => {
      const x = targetText(tr, m, data.asOf);
      return h(
        Box,
        { key: tr.id, flexDirection: 'column', marginBottom: 1 },
        h(Text, { bold: true }, x.head),
        x.history.length ? h(Text, { dimColor: true }, x.history.join('; ')) : null,
        h(Text, { color: MARK[x.state].color }, `${MARK[x.state].mark} ${x.outcome}`),
        h(Text, null, x.progress),
        x.caveat ? h(Text, { color: 'yellow' }, `! ${x.caveat}`) : null,
      );
    }),
    h(Text, null, `${m.t.projection}: ${p.text}`),
    p.method ? h(Text, { dimColor: true }, p.method) : null,
  );
}

/**
 * The same columns as the HTML table (every status, so a row adds up to its units, and the share),
 * fitted to the terminal: headers wrap onto two lines at their spaces, and the bar takes what width
 * is left (none below about 70 columns).
 */
function Kecamatan({ data, m, columns }: P & { columns: number }): ReactNode {
  const { t } = m;
  const o = data.overall;
  const head = [t.kecamatan, t.unit, t.status.connected, t.status['in-progress'], t.status['not-connected'], t.status.unknown];
  const rows = data.kecamatan.map((k) => [k.name, k.units, k.connected, k.inProgress, k.notConnected, k.unknown, k.sharePercent] as const);
  const total = [t.total, o.units, o.connected, o.inProgress, o.notConnected, o.unknown, o.sharePercent] as const;
  const longestWord = (s: string) => Math.max(...s.split(' ').map((w) => w.length));
  const digits = m.num(o.units).length;
  const widths = head.map((label, i) => 1 + Math.max(longestWord(label), i === 0 ? Math.max(...rows.map((r) => r[0].length), t.total.length) : digits));
  // The section is indented by 2; the share column needs "100%" and a space before it.
  const room = columns - 2 - widths.reduce((a, b) => a + b, 0) - 7;
  const bar = Math.min(20, room - 1);
  const share = (p: number | null) => (bar >= 5 ? h(Text, null, h(Bar, { percent: p, width: bar }), ` ${m.pct(p)}`) : m.pct(p));
  const w = [...widths.map((x, i) => (i === 0 ? x : -x)), bar >= 5 ? bar + 7 : 7];
  const line = (r: typeof total, bold = false) => h(Row, { key: String(r[0]), bold, widths: w, cells: [r[0], ...r.slice(1, 6).map((n) => m.num(n as number)), share(r[6])] });
  return h(
    Section,
    { title: t.perKecamatan },
    h(Row, { bold: true, wrap: true, widths: w, cells: [...head, t.shareShort] }),
    ...rows.map((r) => line(r)),
    line(total, true),
  );
}

function Timeline({ data, m }: P): ReactNode {
  const { t } = m;
  const months = byMonth(data.timeline.points);
  const max = Math.max(1, data.overall.units);
  const w = [20, -6, -11, 30];
  return h(
    Section,
    { title: t.timeline },
    ...data.targets.map((tr) => h(Text, { key: tr.id, dimColor: true }, t.targetLine(tr.id, m.num(tr.required), m.date(tr.due)))),
    months.length === 0
      ? h(Text, null, t.noTimeline)
      : h(
          Box,
          { flexDirection: 'column' },
          h(Row, { bold: true, widths: w, cells: [t.month, t.added, t.cumulative, ''] }),
          ...months.map((p) => h(Row, { key: p.month, widths: w, cells: [m.month(p.month), m.num(p.added), m.num(p.connected), h(Bar, { percent: (100 * p.connected) / max, width: 28 })] })),
        ),
  );
}

function Pilots({ data, m }: P): ReactNode {
  const { t } = m;
  return h(
    Section,
    { title: t.pilots },
    ...data.pilots.map((p) =>
      h(
        Box,
        { key: p.id, flexDirection: 'column' },
        h(Text, { bold: true }, `${p.name} (${p.year})`),
        p.units.length === 0 ? h(Text, null, t.noPilots) : null,
        ...p.units.map((u) => h(Text, { key: u.code }, `★ ${u.name} (${t.kecamatan} ${u.kecamatan}) · ${t.status[u.status]}`)),
      ),
    ),
  );
}

function Unknowns({ data, m }: P): ReactNode {
  const { t } = m;
  const u = data.unknownData;
  if (u.unitsWithUnknowns === 0) return null;
  const rows = data.units.filter((r) => r.unknownFields.length > 0);
  const listed = u.unitsWithUnknowns === data.overall.units ? t.allUnits(m.num(u.unitsWithUnknowns)) : rows.slice(0, TERMINAL_LIST_LIMIT).map((r) => r.name).join(', ');
  return h(
    Section,
    { title: t.unknownData },
    h(Text, null, t.unknownIntro(m.num(u.unitsWithUnknowns), m.num(data.overall.units))),
    ...Object.entries(u.fields).map(([f, n]) => h(Row, { key: f, widths: [22, -6], cells: [t.field[f as keyof typeof u.fields], m.num(n)] })),
    h(Text, null, `${t.unit}: ${listed}`),
    rows.length > TERMINAL_LIST_LIMIT && u.unitsWithUnknowns !== data.overall.units ? h(Text, { dimColor: true }, t.andMore(m.num(rows.length - TERMINAL_LIST_LIMIT))) : null,
  );
}

function Quality({ data, m }: P): ReactNode {
  const { t } = m;
  const q = data.quality;
  return h(
    Section,
    { title: t.quality },
    h(Text, { dimColor: true }, t.qualityRule(m.num(q.minUptimePercent), m.num(q.maxOutages))),
    h(Text, null, q.measured === 0 ? t.noQuality : t.measured(m.num(q.measured))),
    q.measured > 0 && q.flagged.length === 0 ? h(Text, { color: 'green' }, t.noFlagged) : null,
    ...q.flagged.map((f) =>
      h(Text, { key: f.code, color: 'yellow' }, `! ${f.name} (${f.kecamatan}): ${t.uptime} ${m.pct(f.uptimePercent)}, ${t.outages.toLowerCase()} ${f.outages === null ? t.none : m.num(f.outages)} · ${f.flags.map((x) => t.flag[x]).join(', ')}`),
    ),
  );
}

function Services({ data, m }: P): ReactNode {
  const { t } = m;
  const s = data.services;
  const w = [14, 60];
  return h(
    Section,
    { title: t.services },
    h(Row, { widths: w, cells: [t.email, `${m.num(s.email.units)} ${t.unit.toLowerCase()}, ${m.num(s.email.accounts)} ${t.accounts}`] }),
    h(Row, { widths: w, cells: [t.storage, `${m.num(s.storage.units)} ${t.unit.toLowerCase()}`] }),
    h(Row, { widths: w, cells: [t.subdomain, `${m.num(s.subdomain.units)} ${t.unit.toLowerCase()}`] }),
    h(Row, { widths: w, cells: [t.site, sitesText(data, m)] }),
    h(Text, { dimColor: true }, t.servicesSource[s.source]),
  );
}

function StorageUsage({ data, m }: P): ReactNode {
  const { t } = m;
  const u = storageUsageText(data, m);
  const w = [22, 18, -28, -28];
  return h(
    Section,
    { title: t.storageUsage },
    ...u.lines.map((l, i) => h(Text, { key: `l${i}`, dimColor: !data.storageUsage }, l)),
    u.near ? h(Text, { color: u.nearAny ? 'yellow' : 'green' }, `${u.nearAny ? '! ' : ''}${u.near}`) : null,
    u.rows.length ? h(Row, { bold: true, widths: w, cells: [t.name, t.kecamatan, t.usedH, t.filesH] }) : null,
    ...u.rows.map((r, i) => h(Row, { key: `r${i}`, widths: w, cells: [`${r.near ? '! ' : ''}${r.name}`, r.kecamatan, r.used, r.files] })),
    u.more > 0 ? h(Text, { dimColor: true }, t.usageMore(m.num(u.more))) : null,
  );
}

function Readiness({ data, m }: P): ReactNode {
  const { t } = m;
  const r = readinessSummaryText(data, m);
  const notReady = data.units.filter((u) => u.readiness.state === 'not-ready');
  const shown = notReady.slice(0, TERMINAL_LIST_LIMIT);
  return h(
    Section,
    { title: t.readiness },
    h(Text, { color: data.readiness.notReady > 0 ? 'yellow' : undefined }, r.counts),
    ...shown.map((u) => h(Text, { key: u.slug, color: 'yellow' }, `! ${u.name} (${u.kecamatan}): ${readinessText(u, m)}`)),
    notReady.length > shown.length ? h(Text, { dimColor: true }, `… +${notReady.length - shown.length}`) : null,
    h(Text, { dimColor: true }, r.when),
  );
}
