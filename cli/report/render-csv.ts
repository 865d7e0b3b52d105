// One row per unit, RFC 4180: comma-separated, CRLF line ends, a field quoted when it holds a comma,
// a quote or a line break, quotes doubled. Column names and values are the JSON's (codes, not labels),
// so the CSV is the same in every language; an unknown value is an empty cell; lists join with ";".
import type { ReportData, UnitRow } from './schema.ts';

type Cell = string | number | boolean | null;

export const CSV_COLUMNS: readonly [string, (r: UnitRow) => Cell][] = [
  ['code', (r) => r.code],
  ['name', (r) => r.name],
  ['kind', (r) => r.kind],
  ['kecamatan', (r) => r.kecamatan],
  ['kecamatanCode', (r) => r.kecamatanCode],
  ['slug', (r) => r.slug],
  ['status', (r) => r.connectivity.status],
  ['connectedOn', (r) => r.connectivity.connectedOn],
  ['technology', (r) => r.connectivity.technology],
  ['bandwidthMbps', (r) => r.connectivity.bandwidthMbps],
  ['provider', (r) => r.connectivity.provider],
  ['uptimePercent', (r) => r.connectivity.uptimePercent],
  ['outages', (r) => r.connectivity.outages],
  ['qualityPeriod', (r) => r.connectivity.period],
  ['qualityFlags', (r) => r.qualityFlags.join(';')],
  ['pilot', (r) => r.pilot],
  ['programmes', (r) => r.programmes.join(';')],
  ['unknownFields', (r) => r.unknownFields.join(';')],
  ['servicesSource', (r) => r.services.source],
  ['emailEnabled', (r) => r.services.email.enabled],
  ['emailAccounts', (r) => r.services.email.accounts],
  ['emailQuota', (r) => r.services.email.quota],
  ['storageEnabled', (r) => r.services.storage.enabled],
  ['storageQuota', (r) => r.services.storage.quota],
  ['subdomainEnabled', (r) => r.services.subdomain.enabled],
  ['subdomainHost', (r) => r.services.subdomain.host],
  ['siteEnabled', (r) => r.services.site.enabled],
  ['siteTemplate', (r) => r.services.site.template],
  ['siteUrl', (r) => r.services.site.url],
  ['readiness', (r) => r.readiness.state],
  ['readinessCheckedAt', (r) => r.readiness.checkedAt],
  ['readinessFailing', (r) => r.readiness.failing.join(';')],
  // Measured live from SFTPGo; empty when not measured (never 0 for unknown).
  ['storageUsedBytes', (r) => r.storageUsage?.bytes ?? null],
  ['storageQuotaBytes', (r) => r.storageUsage?.quotaBytes ?? null],
  ['storageUsedPercent', (r) => r.storageUsage?.bytesPercent ?? null],
  ['storageUsedFiles', (r) => r.storageUsage?.files ?? null],
  ['storageQuotaFiles', (r) => r.storageUsage?.quotaFiles ?? null],
  ['storageFilesPercent', (r) => r.storageUsage?.filesPercent ?? null],
];

/** One RFC 4180 field. */
export function csvField(value: Cell): string {
  if (value === null) return '';
  const s = String(value);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function renderCsv(data: ReportData): string {
  const lines = [CSV_COLUMNS.map(([name]) => name), ...data.units.map((r) => CSV_COLUMNS.map(([, get]) => csvField(get(r))))];
  return lines.map((l) => l.join(',')).join('\r\n') + '\r\n';
}
