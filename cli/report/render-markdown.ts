// The report as GitHub/GitLab-flavoured Markdown, sized for a CI job summary: headings, tables and
// lists, no HTML. Inventory text is escaped so a name cannot break a table or inject markup.
import type { Messages } from './i18n.ts';
import { asOfNotes, byMonth, projectionText, readinessSummaryText, readinessText, sitesText, storageUsageText, targetText } from './phrases.ts';
import type { ReportData } from './schema.ts';

/** Escapes Markdown syntax (and table pipes) in text that comes from the inventory. */
export function md(text: string): string {
  return text.replace(/\r?\n/g, ' ').replace(/([\\`*_[\]<>|#~!&])/g, '\\$1');
}

const table = (head: string[], align: ('l' | 'r')[], rows: string[][]) =>
  [`| ${head.join(' | ')} |`, `| ${align.map((a) => (a === 'r' ? '---:' : '---')).join(' | ')} |`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');

export function renderMarkdown(data: ReportData, m: Messages): string {
  const { t } = m;
  const o = data.overall;
  const out: string[] = [];
  const add = (...parts: string[]) => out.push(...parts, '');

  add(`# ${t.title}`, `**${md(data.kabupaten.name)}** · ${t.asOf(m.date(data.asOf))} · ${t.sourceFile}: \`${data.file.replace(/`/g, "'")}\``);

  add(`## ${t.summary}`);
  add(
    table(['', t.unitsCount], ['l', 'r'], [
      [t.units, m.num(o.units)],
      [t.desa, m.num(o.desa)],
      [t.kelurahan, m.num(o.kelurahan)],
      [t.kecamatan, m.num(o.kecamatan)],
      [`**${t.status.connected}**`, `**${m.num(o.connected)}** (${m.pct(o.sharePercent)})`],
      [t.status['in-progress'], m.num(o.inProgress)],
      [t.status['not-connected'], m.num(o.notConnected)],
      [t.status.unknown, m.num(o.unknown)],
    ]),
  );
  if (o.connectedDateUnknown > 0) add(`_${t.dateUnknown(m.num(o.connectedDateUnknown))}_`);
  const notes = asOfNotes(data, m);
  if (notes.length) add(...notes.map((n) => `- _${n}_`));

  add(`## ${t.targets}`);
  for (const tr of data.targets) {
    const x = targetText(tr, m, data.asOf);
    const mark = { met: '✅', 'not-met': '❌', undetermined: '❔' }[x.state];
    const lines = [`### ${md(x.head)}`, `${md(tr.description)}${x.history.length ? ` (${x.history.join('; ')})` : ''}`, '', `- ${mark} **${x.outcome}**`, `- ${x.progress}`];
    if (x.caveat) lines.push(`- ⚠️ ${x.caveat}`);
    add(...lines);
  }

  const p = projectionText(data.projection, m);
  add(`## ${t.projection}`, p.text);
  if (p.method) add(`_${p.method}_`);

  add(`## ${t.perKecamatan}`);
  add(
    table([t.kecamatan, t.unit, t.status.connected, t.status['in-progress'], t.status['not-connected'], t.status.unknown, t.shareShort], ['l', 'r', 'r', 'r', 'r', 'r', 'r'], [
      ...data.kecamatan.map((k) => [md(k.name), m.num(k.units), m.num(k.connected), m.num(k.inProgress), m.num(k.notConnected), m.num(k.unknown), m.pct(k.sharePercent)]),
      [`**${t.total}**`, ...[o.units, o.connected, o.inProgress, o.notConnected, o.unknown].map((n) => `**${m.num(n)}**`), `**${m.pct(o.sharePercent)}**`],
    ]),
  );

  add(`## ${t.timeline}`, ...data.targets.map((tr) => `- ${t.targetLine(tr.id, m.num(tr.required), m.date(tr.due))}`));
  const months = byMonth(data.timeline.points);
  if (months.length === 0) add(t.noTimeline);
  else add(table([t.month, t.added, t.cumulative], ['l', 'r', 'r'], months.map((x) => [m.month(x.month), m.num(x.added), m.num(x.connected)])));

  add(`## ${t.pilots}`);
  for (const pr of data.pilots) {
    add(`### ${md(pr.name)} (${pr.year})`);
    if (pr.units.length === 0) add(t.noPilots);
    else add(table([t.name, t.kecamatan, t.statusH], ['l', 'l', 'l'], pr.units.map((u) => [md(u.name), md(u.kecamatan), t.status[u.status]])));
  }

  const u = data.unknownData;
  if (u.unitsWithUnknowns > 0) {
    add(`## ${t.unknownData}`, t.unknownIntro(m.num(u.unitsWithUnknowns), m.num(o.units)));
    add(table([t.field_, t.unitsCount], ['l', 'r'], Object.entries(u.fields).map(([f, n]) => [t.field[f as keyof typeof u.fields], m.num(n)])));
    const names = data.units.filter((r) => r.unknownFields.length > 0).map((r) => md(r.name));
    add(`${t.unit}: ${u.unitsWithUnknowns === o.units ? t.allUnits(m.num(o.units)) : names.join(', ')}`);
  }

  const q = data.quality;
  add(`## ${t.quality}`, `_${t.qualityRule(m.num(q.minUptimePercent), m.num(q.maxOutages))}_`);
  if (q.measured === 0) add(t.noQuality);
  else if (q.flagged.length === 0) add(`${t.measured(m.num(q.measured))} ${t.noFlagged}`);
  else {
    add(t.measured(m.num(q.measured)));
    add(
      table([t.name, t.kecamatan, t.uptime, t.outages, t.period, ''], ['l', 'l', 'r', 'r', 'l', 'l'],
        q.flagged.map((f) => [md(f.name), md(f.kecamatan), m.pct(f.uptimePercent), f.outages === null ? t.none : m.num(f.outages), f.period ?? t.none, f.flags.map((x) => t.flag[x]).join(', ')])),
    );
  }

  const s = data.services;
  add(`## ${t.services}`);
  add(
    table([t.service, t.unitsCount], ['l', 'l'], [
      [t.email, `${m.num(s.email.units)} (${m.num(s.email.accounts)} ${t.accounts})`],
      [t.storage, m.num(s.storage.units)],
      [t.subdomain, m.num(s.subdomain.units)],
      [t.site, sitesText(data, m)],
    ]),
  );
  add(`_${t.servicesSource[s.source]}_`);

  const usage = storageUsageText(data, m);
  add(`## ${t.storageUsage}`, ...usage.lines.map((l) => `- ${l}`));
  if (usage.near) add(usage.nearAny ? `⚠️ **${md(usage.near)}**` : md(usage.near));
  if (usage.listTitle) {
    add(`### ${usage.listTitle}`);
    add(table([t.name, t.kecamatan, t.usedH, t.filesH], ['l', 'l', 'r', 'r'], usage.rows.map((u) => [`${u.near ? '⚠️ ' : ''}${md(u.name)}`, md(u.kecamatan), u.used, u.files])));
    if (usage.more > 0) add(`_${t.usageMore(m.num(usage.more))}_`);
  }

  const r = readinessSummaryText(data, m);
  add(`## ${t.readiness}`, r.counts);
  add(`_${r.when}_`);
  const notReady = data.units.filter((u) => u.readiness.state === 'not-ready');
  if (notReady.length) add(table([t.name, t.kecamatan, t.readinessH], ['l', 'l', 'l'], notReady.map((u) => [md(u.name), md(u.kecamatan), md(readinessText(u, m))])));
  return `${out.join('\n').trimEnd()}\n`;
}
