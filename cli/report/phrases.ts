// Sentences and groupings shared by the human-readable renderers (terminal, markdown, html), so the
// three say the same thing in the same words.
import type { Messages } from './i18n.ts';
import type { ReportData, StatusNote, StorageUsage, TargetRow, UnitRow } from './schema.ts';

export interface TargetText {
  /** "terhubung-2023: 100% desa dan kelurahan terhubung paling lambat 31 Desember 2023" */
  head: string;
  /** "direvisi oleh target x" and the like, or empty. */
  history: string[];
  outcome: string;
  met: boolean;
  /** met, not met, or not determined by the data (TargetRow.determined): for the mark and colour. */
  state: 'met' | 'not-met' | 'undetermined';
  progress: string;
  /** Set when units of unknown status remain that cannot change the outcome. */
  caveat: string | null;
}

export function targetText(tr: TargetRow, m: Messages, asOf: string): TargetText {
  const { t } = m;
  const history = [tr.revises ? t.revises(tr.revises) : '', tr.revisedBy ? t.revisedBy(tr.revisedBy) : ''].filter(Boolean);
  let outcome: string;
  const days = tr.daysAfterDue ?? 0;
  const met = tr.outcome === 'met' || tr.outcome === 'met-date-unknown';
  if (tr.outcome === 'met') {
    const when = tr.metOn ? (tr.metOnExact ? t.met(m.date(tr.metOn)) : t.metLatest(m.date(tr.metOn))) : t.met(t.none);
    const vs = days < 0 ? t.early(m.num(-days)) : days > 0 ? t.late(m.num(days)) : t.onTime;
    outcome = tr.metOn ? `${when}, ${vs}` : when;
  } else if (tr.outcome === 'met-date-unknown') outcome = t.metDateUnknown;
  else if (!tr.determined) {
    const head = t.undetermined(m.num(tr.unknownStatus), m.num(tr.inScope));
    const certainGap = tr.required - tr.connected - tr.unknownStatus;
    const when = tr.outcome === 'not-met' ? t.lateBy(m.num(days), m.date(asOf)) : days === 0 ? t.dueToday : t.dueIn(m.num(-days));
    // Certainly not met when even every unknown connected would not reach the count.
    outcome = certainGap > 0 ? `${head}; ${t.certainlyNotMet}: ${when}, ${t.gapAtLeast(m.num(certainGap))}` : `${head} (${t.dueOn(m.date(tr.due))})`;
  } else if (tr.outcome === 'not-met') outcome = `${t.notMet(m.num(days), m.date(asOf))}; ${t.gap(m.num(tr.gap))}`;
  else outcome = `${days === 0 ? t.pendingToday : t.pending(m.num(-days))}; ${t.gap(m.num(tr.gap))}`;
  return {
    head: `${tr.id}: ${t.target(m.num(tr.coverage), m.scope(tr.scope), m.date(tr.due))}`,
    history,
    outcome,
    met,
    state: met ? 'met' : tr.determined ? 'not-met' : 'undetermined',
    progress: `${t.progress(m.num(tr.connected), m.num(tr.required), m.num(tr.inScope))} · ${m.pct(tr.sharePercent)}`,
    caveat: !met && tr.determined && tr.unknownStatus > 0 ? t.unverified(m.num(tr.unknownStatus)) : null,
  };
}

/**
 * For a report as of a past date: what desa.yaml's statuses (today's) say about it, and why units it
 * knows are of unknown status then. Empty when every status is the one desa.yaml records.
 */
export function asOfNotes(data: ReportData, m: Messages): string[] {
  const counts = new Map<StatusNote, number>();
  for (const u of data.units) if (u.connectivity.statusNote) counts.set(u.connectivity.statusNote, (counts.get(u.connectivity.statusNote) ?? 0) + 1);
  if (counts.size === 0) return [];
  const asOf = m.date(data.asOf);
  const notes = [...counts].map(([note, n]) => m.t.note[note](m.num(n), asOf));
  return [m.t.asOfPast(asOf), ...notes];
}

/** The projection as a sentence and, when there is one, the method behind it. */
export function projectionText(p: ReportData['projection'], m: Messages): { text: string; method: string | null } {
  const { t } = m;
  if (p.remaining === 0) return { text: t.complete, method: null };
  if (!p.possible) return { text: `${t.noProjection}: ${t.reason[p.reason]}. (${t.remaining(m.num(p.remaining))}.)`, method: null };
  return {
    text: `${t.projected(m.num(p.perMonth), p.date ? m.date(p.date) : t.none)} (${t.remaining(m.num(p.remaining))}.)`,
    method: t.method[p.method](m.date(p.windowFrom), m.date(p.windowTo), m.num(p.connectionsInWindow)),
  };
}

export interface MonthPoint {
  month: string;
  added: number;
  connected: number;
}

/** The timeline by calendar month: new connections and the running total at the month's end. */
export function byMonth(points: ReportData['timeline']['points']): MonthPoint[] {
  const out: MonthPoint[] = [];
  for (const p of points) {
    const month = p.date.slice(0, 7);
    const last = out.at(-1);
    if (last?.month === month) {
      last.added += p.added;
      last.connected = p.connected;
    } else out.push({ month, added: p.added, connected: p.connected });
  }
  return out;
}

/** "kecamatan Tambun Selatan" style list of the unknown fields of a unit, translated. */
export function unknownFieldsText(r: UnitRow, m: Messages): string {
  return r.unknownFields.map((f) => m.t.field[f]).join(', ');
}

/** Services of a unit in a few words: "3 akun · 20Gi · profil". */
export function servicesText(r: UnitRow, m: Messages): { email: string; storage: string; subdomain: string; site: string } {
  const s = r.services;
  const { t } = m;
  return {
    email: s.email.enabled ? `${m.num(s.email.accounts)} ${t.accounts} × ${s.email.quota}` : t.off,
    storage: s.storage.enabled ? s.storage.quota : t.off,
    subdomain: s.subdomain.enabled ? s.subdomain.host : t.off,
    site: s.site.enabled ? t.template[s.site.template] : t.off,
  };
}

/** "profil 186, eksternal 1": enabled sites by template, templates in use only. */
export function sitesText(data: ReportData, m: Messages): string {
  return Object.entries(data.services.site)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${m.t.template[k as keyof typeof data.services.site]} ${m.num(n)}`)
    .join(', ');
}

/** "4 Desember 2026 03:20 UTC": when the last check ran. */
export function checkedAtText(iso: string, m: Messages): string {
  return `${m.date(iso.slice(0, 10))} ${iso.slice(11, 16)} UTC`;
}

/** A unit's readiness in a cell: "siap", "belum siap: DNS, situs", "belum diperiksa". */
export function readinessText(r: UnitRow, m: Messages): string {
  const { t } = m;
  const state = t.readinessState[r.readiness.state];
  return r.readiness.failing.length ? `${state}: ${r.readiness.failing.map((c) => t.check[c]).join(', ')}` : state;
}

/** The readiness summary line and when it was checked. */
export function readinessSummaryText(data: ReportData, m: Messages): { counts: string; when: string } {
  const r = data.readiness;
  return {
    counts: m.t.readinessCounts(m.num(r.ready), m.num(r.notReady), m.num(r.notChecked)),
    when: r.checkedAt ? m.t.readinessWhen(checkedAtText(r.checkedAt, m)) : m.t.readinessNever,
  };
}

/** Measured desa listed in the terminal and markdown (every one near its quota is listed too). */
export const USAGE_LIST_LIMIT = 10;

/** "1,2 MiB dari 2 MiB (57,2%)"; without a quota, the size alone. */
export function usageBytesText(u: StorageUsage, m: Messages): string {
  return u.quotaBytes === null ? m.size(u.bytes) : `${m.size(u.bytes)} ${m.t.of} ${m.size(u.quotaBytes)} (${m.pct(u.bytesPercent)})`;
}

/** "2 dari 1.000 (0,2%)"; without a quota, the count alone. */
export function usageFilesText(u: StorageUsage, m: Messages): string {
  return u.quotaFiles === null ? m.num(u.files) : `${m.num(u.files)} ${m.t.of} ${m.num(u.quotaFiles)} (${m.pct(u.filesPercent)})`;
}

export interface UsageListRow {
  name: string;
  kecamatan: string;
  used: string;
  files: string;
  /** At or above the near-quota share of either quota. */
  near: boolean;
}

/**
 * The file-space section: its sentences (when measured, the totals, and who is near the quota, by name),
 * and the desa to list: the fullest first, USAGE_LIST_LIMIT of them or every one near its quota.
 */
export function storageUsageText(data: ReportData, m: Messages): { lines: string[]; near: string | null; nearAny: boolean; listTitle: string | null; rows: UsageListRow[]; more: number } {
  const { t } = m;
  const s = data.storageUsage;
  if (!s) return { lines: [t.usageNotMeasured], near: null, nearAny: false, listTitle: null, rows: [], more: 0 };
  const lines = [
    t.usageMeasured(checkedAtText(s.measuredAt, m), m.num(s.measured)),
    t.usageTotal(m.size(s.bytes), m.size(s.quotaBytes), m.pct(s.bytesPercent)),
    t.usageFilesTotal(m.num(s.files), m.num(s.quotaFiles)),
  ];
  if (s.notMeasured > 0) lines.push(t.usageUnmeasured(m.num(s.notMeasured)));
  const nearSlugs = new Set(s.nearQuota.map((u) => u.slug));
  const near = s.nearQuota.length ? `${t.nearQuota(m.num(s.nearQuotaPercent))}: ${s.nearQuota.map((u) => `${u.name} (${m.pct(Math.max(u.bytesPercent ?? 0, u.filesPercent ?? 0))})`).join(', ')}` : t.nearQuotaNone(m.num(s.nearQuotaPercent));
  const fullest = (u: StorageUsage) => Math.max(u.bytesPercent ?? 0, u.filesPercent ?? 0);
  const measured = data.units.filter((r): r is UnitRow & { storageUsage: StorageUsage } => Boolean(r.storageUsage)).sort((a, b) => fullest(b.storageUsage) - fullest(a.storageUsage) || b.storageUsage.bytes - a.storageUsage.bytes);
  const shown = measured.slice(0, Math.max(USAGE_LIST_LIMIT, nearSlugs.size));
  return {
    lines,
    near,
    nearAny: s.nearQuota.length > 0,
    listTitle: shown.length ? t.usageFullest(m.num(shown.length)) : null,
    rows: shown.map((r) => ({ name: r.name, kecamatan: r.kecamatan, used: usageBytesText(r.storageUsage, m), files: usageFilesText(r.storageUsage, m), near: nearSlugs.has(r.slug) })),
    more: measured.length - shown.length,
  };
}
