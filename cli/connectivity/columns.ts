// The columns a connectivity survey may have, by header (case, spaces and hyphens do not matter),
// with the Indonesian names surveys use.

export type Field =
  | 'code'
  | 'name'
  | 'kecamatan'
  | 'status'
  | 'connectedOn'
  | 'technology'
  | 'bandwidthMbps'
  | 'provider'
  | 'uptimePercent'
  | 'outages'
  | 'period'
  | 'source'
  | 'notes';

/** Accepted headers per field, the first being the one messages use. */
export const COLUMNS: Record<Field, readonly string[]> = {
  code: ['kode', 'code', 'kode_desa', 'kode_wilayah'],
  name: ['nama', 'name', 'nama_desa'],
  kecamatan: ['kecamatan'],
  status: ['status'],
  connectedOn: ['tanggal_terhubung', 'connected_on', 'connectedon'],
  technology: ['teknologi', 'technology'],
  bandwidthMbps: ['bandwidth_mbps', 'bandwidthmbps', 'bandwidth'],
  provider: ['penyedia', 'provider'],
  uptimePercent: ['uptime_persen', 'uptime_percent', 'uptimepercent', 'uptime'],
  outages: ['gangguan', 'outages', 'jumlah_gangguan'],
  period: ['periode', 'period'],
  source: ['sumber', 'source'],
  notes: ['catatan', 'notes', 'keterangan'],
};

/** Where each field lives under a unit's `connectivity:` in desa.yaml. */
export const YAML_PATH: Partial<Record<Field, string[]>> = {
  status: ['status'],
  connectedOn: ['connectedOn'],
  technology: ['technology'],
  bandwidthMbps: ['bandwidthMbps'],
  provider: ['provider'],
  uptimePercent: ['quality', 'uptimePercent'],
  outages: ['quality', 'outages'],
  period: ['quality', 'period'],
  source: ['source'],
  notes: ['notes'],
};

export const normalizeHeader = (h: string) => h.replace(/^\uFEFF/, '').trim().toLowerCase().replace(/[\s-]+/g, '_');

const BY_HEADER = new Map<string, Field>(
  (Object.entries(COLUMNS) as [Field, readonly string[]][]).flatMap(([f, names]) => names.map((n) => [n, f] as [string, Field])),
);

export function fieldOfHeader(header: string): Field | undefined {
  return BY_HEADER.get(normalizeHeader(header));
}

export const ALL_HEADERS = [...BY_HEADER.keys()];
