// The report as data: pure functions from the resolved inventory (and what the stacks say is
// provisioned, provisioned.ts) to ReportData. Every renderer draws from ReportData alone.
import type { Inventory, Unit } from '../../core/inventory/model.ts';
import type { ConnectivityStatus } from '../../core/inventory/schema.ts';
import { SITE_TEMPLATES } from '../../core/inventory/schema.ts';
import {
  SCHEMA_VERSION,
  type KecamatanRow,
  type ProvisionedServices,
  type QualityFlag,
  NEAR_QUOTA_PERCENT,
  type ReportData,
  type StatusNote,
  type StorageUsage,
  type UnitRow,
  type UnitReadiness,
  type UnitServicesRow,
  type UnknownField,
  UNKNOWN_FIELDS,
} from './schema.ts';
import { percent } from './calc.ts';
import { buildProjection, buildTargets, buildTimeline, knownUnconnected } from './timeline.ts';

/** A link is flagged when its uptime is below this (percent) ... */
export const MIN_UPTIME_PERCENT = 95;
/** ... or it had more outages than this in its measured period. */
export const MAX_OUTAGES = 4;

export interface BuildOptions {
  /** The report date (YYYY-MM-DD): connections after it are not counted. */
  asOf: string;
  /**
   * The day desa.yaml's statuses describe: today (or $DESA_TODAY). Before it, a status is known only
   * as far as the dates say (statusAsOf). Defaults to asOf.
   */
  today?: string;
  /**
   * What the Pulumi stacks say is provisioned, by slug. Without it (or for a slug it lacks) the
   * services are those desa.yaml plans, marked source "inventory".
   */
  provisioned?: ReadonlyMap<string, ProvisionedServices>;
  /** What the last `desa check` found, by slug (cli/check/last-check.ts); a unit it lacks was not checked. */
  readiness?: ReadonlyMap<string, CheckedUnit>;
  /**
   * The file space's usage as the local SFTPGo measured it (storage-usage.ts), by slug, and when. Without
   * it the usage is not known (null), never zero.
   */
  storageUsage?: { measuredAt: string; units: ReadonlyMap<string, MeasuredUsage> };
}

/** One desa's file space as SFTPGo counts it, with the quotas it enforces (null: none). */
export interface MeasuredUsage {
  bytes: number;
  files: number;
  quotaBytes: number | null;
  quotaFiles: number | null;
}

/** One unit as the last `desa check` left it. */
export interface CheckedUnit {
  checkedAt: string;
  ready: boolean;
  failures: readonly { check: UnitReadiness['failing'][number] }[];
}

export function buildReport(inv: Inventory, opts: BuildOptions): ReportData {
  const rows = inv.units.map((u) => unitRow(u, opts));
  // Grouped once: a filter per kecamatan is quadratic on a national inventory (7,285 kecamatan).
  const byKecamatan = Map.groupBy(rows, (r) => r.kecamatanCode);
  const counts = statusCounts(rows);
  const desa = rows.filter((r) => r.kind === 'desa').length;
  const timeline = buildTimeline(rows);
  return {
    schemaVersion: SCHEMA_VERSION,
    asOf: opts.asOf,
    file: inv.file,
    kabupaten: {
      name: inv.kabupaten.name,
      domain: inv.kabupaten.domain,
      operator: inv.kabupaten.operator,
      officialSource: inv.kabupaten.officialSource,
    },
    overall: {
      units: rows.length,
      desa,
      kelurahan: rows.length - desa,
      kecamatan: inv.kecamatan.length,
      ...counts,
      unknownNotConnected: rows.filter(knownUnconnected).length,
      connectedDateUnknown: timeline.connectedDateUnknown,
      sharePercent: percent(counts.connected, rows.length),
    },
    kecamatan: inv.kecamatan.map((k) => kecamatanRow(k, byKecamatan.get(k.code) ?? [])),
    targets: buildTargets(inv.targets, rows, opts.asOf),
    timeline,
    projection: buildProjection(rows, opts.asOf),
    pilots: inv.programmes.map((p) => ({
      id: p.id,
      name: p.name,
      year: p.year,
      units: rows.filter((r) => r.programmes.includes(p.id)).map((r) => ({ ...ref(r), status: r.connectivity.status })),
    })),
    unknownData: unknownDataSummary(rows),
    quality: {
      minUptimePercent: MIN_UPTIME_PERCENT,
      maxOutages: MAX_OUTAGES,
      measured: rows.filter((r) => r.connectivity.uptimePercent !== null || r.connectivity.outages !== null).length,
      flagged: rows
        .filter((r) => r.qualityFlags.length > 0)
        .map((r) => ({
          ...ref(r),
          uptimePercent: r.connectivity.uptimePercent,
          outages: r.connectivity.outages,
          period: r.connectivity.period,
          flags: r.qualityFlags,
        })),
    },
    services: servicesSummary(rows, opts.provisioned ? 'stacks' : 'inventory'),
    readiness: readinessSummary(rows),
    storageUsage: opts.storageUsage ? storageUsageSummary(rows, opts.storageUsage.measuredAt) : null,
    units: rows,
  };
}

/**
 * The status on the report date. desa.yaml records each status as it is today, and for a connected
 * unit the day it was connected; on an earlier date only what those say is known (README.md, "As of
 * a date"): connected on or before it, connected; connected later, not connected then (in progress or
 * not is not recorded: unknown); in progress today, not connected then, since when not recorded:
 * unknown; connected on an unknown date, unknown unless its measured quality period had begun; not
 * connected today, not connected then; unknown, unknown.
 */
export function statusAsOf(u: Unit, asOf: string, today: string = asOf): { status: ConnectivityStatus; note: StatusNote | null } {
  const c = u.connectivity;
  const recorded = { status: c.status, note: null };
  if (c.status === 'connected' && c.connectedOn !== null) return c.connectedOn <= asOf ? recorded : { status: 'unknown', note: 'connected-later' };
  if (asOf >= today) return recorded;
  if (c.status === 'in-progress') return { status: 'unknown', note: 'in-progress-since-unknown' };
  if (c.status === 'connected') {
    const measuredFrom = c.quality.period?.slice(0, 10);
    return measuredFrom !== undefined && measuredFrom <= asOf ? recorded : { status: 'unknown', note: 'connected-date-unknown' };
  }
  return recorded;
}

/**
 * The fields that matter for a status but are not known. A unit that is not connected needs none;
 * one in progress has no date or quality yet; an unknown status leaves everything unknown.
 */
export function unknownFields(u: Unit, status: ConnectivityStatus): UnknownField[] {
  if (status === 'not-connected') return [];
  const c = u.connectivity;
  const live = status === 'connected' || status === 'unknown';
  const out: UnknownField[] = [];
  if (status === 'unknown') out.push('status');
  if (live && c.connectedOn === null) out.push('connectedOn');
  if (c.technology === null) out.push('technology');
  if (c.bandwidthMbps === null) out.push('bandwidth');
  if (c.provider === null) out.push('provider');
  if (live && c.quality.uptimePercent === null && c.quality.outages === null) out.push('quality');
  return out;
}

export function qualityFlags(uptimePercent: number | null, outages: number | null): QualityFlag[] {
  const flags: QualityFlag[] = [];
  if (uptimePercent !== null && uptimePercent < MIN_UPTIME_PERCENT) flags.push('low-uptime');
  if (outages !== null && outages > MAX_OUTAGES) flags.push('many-outages');
  return flags;
}

/** The services desa.yaml plans for a unit. */
export function inventoryServices(u: Unit): UnitServicesRow {
  const s = u.services;
  return {
    source: 'inventory',
    email: { enabled: s.email.enabled, accounts: s.email.enabled ? s.email.accounts.length : 0, quota: s.email.quota },
    storage: { enabled: s.storage.enabled, quota: s.storage.quota },
    subdomain: { enabled: s.subdomain.enabled, host: s.subdomain.host },
    site: { enabled: s.site.enabled, template: s.site.template, url: s.site.url },
  };
}

function unitRow(u: Unit, opts: BuildOptions): UnitRow {
  const { status, note } = statusAsOf(u, opts.asOf, opts.today);
  const c = u.connectivity;
  const provisioned = opts.provisioned?.get(u.slug);
  return {
    code: u.code,
    name: u.name,
    kind: u.kind,
    kecamatan: u.kecamatan,
    kecamatanCode: u.kecamatanCode,
    slug: u.slug,
    programmes: [...u.programmes],
    pilot: u.programmes.length > 0,
    connectivity: {
      status,
      recordedStatus: c.status,
      statusNote: note,
      connectedOn: c.connectedOn,
      technology: c.technology,
      bandwidthMbps: c.bandwidthMbps,
      provider: c.provider,
      uptimePercent: c.quality.uptimePercent,
      outages: c.quality.outages,
      period: c.quality.period,
    },
    // Data missing from desa.yaml: judged by the status it records, whatever the report date.
    unknownFields: unknownFields(u, c.status),
    qualityFlags: qualityFlags(c.quality.uptimePercent, c.quality.outages),
    services: provisioned ? { source: 'stacks', ...provisioned } : inventoryServices(u),
    readiness: readinessOf(opts.readiness?.get(u.slug)),
    storageUsage: usageOf(opts.storageUsage?.units.get(u.slug)),
  };
}

/** A share of a quota, rounded to two decimals, that may pass 100; null without a quota. */
const ofQuota = (n: number, quota: number | null): number | null => (quota ? Math.round((10_000 * n) / quota) / 100 : null);

function usageOf(u: MeasuredUsage | undefined): StorageUsage | null {
  if (!u) return null;
  return { bytes: u.bytes, files: u.files, quotaBytes: u.quotaBytes, quotaFiles: u.quotaFiles, bytesPercent: ofQuota(u.bytes, u.quotaBytes), filesPercent: ofQuota(u.files, u.quotaFiles) };
}

/** Usage against quota over the measured units, and those at or above NEAR_QUOTA_PERCENT of either quota. */
export function storageUsageSummary(rows: readonly UnitRow[], measuredAt: string): NonNullable<ReportData['storageUsage']> {
  const measured = rows.filter((r): r is UnitRow & { storageUsage: StorageUsage } => Boolean(r.storageUsage));
  const sum = (f: (u: StorageUsage) => number | null) => measured.reduce((n, r) => n + (f(r.storageUsage) ?? 0), 0);
  const fullest = (u: StorageUsage) => Math.max(u.bytesPercent ?? 0, u.filesPercent ?? 0);
  const bytes = sum((u) => u.bytes);
  const quotaBytes = sum((u) => u.quotaBytes);
  return {
    source: 'sftpgo',
    measuredAt,
    measured: measured.length,
    notMeasured: rows.filter((r) => !r.storageUsage && r.services.storage.enabled).length,
    bytes,
    quotaBytes,
    files: sum((u) => u.files),
    quotaFiles: sum((u) => u.quotaFiles),
    // Over the units that have a size quota: one without adds bytes to no quota.
    bytesPercent: ofQuota(sum((u) => (u.quotaBytes ? u.bytes : 0)), quotaBytes),
    nearQuotaPercent: NEAR_QUOTA_PERCENT,
    nearQuota: measured
      .filter((r) => fullest(r.storageUsage) >= NEAR_QUOTA_PERCENT)
      .sort((a, b) => fullest(b.storageUsage) - fullest(a.storageUsage))
      .map((r) => ({ ...ref(r), bytesPercent: r.storageUsage.bytesPercent, filesPercent: r.storageUsage.filesPercent })),
  };
}

function readinessOf(c: CheckedUnit | undefined): UnitReadiness {
  if (!c) return { state: 'not-checked', checkedAt: null, failing: [] };
  return { state: c.ready ? 'ready' : 'not-ready', checkedAt: c.checkedAt, failing: [...new Set(c.failures.map((f) => f.check))] };
}

// The summaries below count in one pass over the rows each: a national report has 83,762 of them.

function unknownDataSummary(rows: readonly UnitRow[]): ReportData['unknownData'] {
  const fields = Object.fromEntries(UNKNOWN_FIELDS.map((f) => [f, 0])) as Record<UnknownField, number>;
  let unitsWithUnknowns = 0;
  for (const r of rows) {
    if (r.unknownFields.length > 0) unitsWithUnknowns++;
    for (const f of r.unknownFields) fields[f]++;
  }
  return { unitsWithUnknowns, fields };
}

function readinessSummary(rows: readonly UnitRow[]): ReportData['readiness'] {
  const n: Record<UnitReadiness['state'], number> = { ready: 0, 'not-ready': 0, 'not-checked': 0 };
  let checkedAt: string | null = null;
  for (const { readiness } of rows) {
    n[readiness.state]++;
    if (readiness.checkedAt !== null && (checkedAt === null || readiness.checkedAt > checkedAt)) checkedAt = readiness.checkedAt;
  }
  return { checkedAt, ready: n.ready, notReady: n['not-ready'], notChecked: n['not-checked'] };
}

function statusCounts(rows: readonly UnitRow[]) {
  const n: Record<ConnectivityStatus, number> = { connected: 0, 'in-progress': 0, 'not-connected': 0, unknown: 0 };
  for (const r of rows) n[r.connectivity.status]++;
  return { connected: n.connected, inProgress: n['in-progress'], notConnected: n['not-connected'], unknown: n.unknown };
}

function kecamatanRow(k: { code: string; name: string }, rows: readonly UnitRow[]): KecamatanRow {
  const counts = statusCounts(rows);
  const desa = rows.filter((r) => r.kind === 'desa').length;
  return { code: k.code, name: k.name, units: rows.length, desa, kelurahan: rows.length - desa, ...counts, sharePercent: percent(counts.connected, rows.length) };
}

function ref(r: UnitRow) {
  return { code: r.code, name: r.name, kecamatan: r.kecamatan, slug: r.slug };
}

function servicesSummary(rows: readonly UnitRow[], source: 'inventory' | 'stacks'): ReportData['services'] {
  const site = Object.fromEntries(SITE_TEMPLATES.map((t) => [t, 0])) as ReportData['services']['site'];
  const email = { units: 0, accounts: 0 };
  let storage = 0;
  let subdomain = 0;
  for (const { services: s } of rows) {
    if (s.site.enabled && s.site.template in site) site[s.site.template]++;
    if (s.email.enabled) {
      email.units++;
      email.accounts += s.email.accounts;
    }
    if (s.storage.enabled) storage++;
    if (s.subdomain.enabled) subdomain++;
  }
  return { source, email, storage: { units: storage }, subdomain: { units: subdomain }, site };
}
