// The columns a connectivity survey may have, by header (case, spaces, punctuation and a unit in
// brackets do not matter: "Bandwidth (Mbps)" is bandwidth_mbps), with the Indonesian names and the
// variants surveys use. A numbering column ("No", "No.", "Nomor", "#") is recognised and ignored.

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
  code: ['kode', 'code', 'kode_desa', 'kode_wilayah', 'kode_kelurahan', 'kode_desa_kelurahan', 'kode_desa_kel', 'kode_kemendagri'],
  name: ['nama', 'name', 'nama_desa', 'nama_kelurahan', 'nama_desa_kelurahan', 'nama_desa_kel', 'desa', 'desa_kelurahan', 'desa_kel'],
  kecamatan: ['kecamatan', 'kec', 'nama_kecamatan'],
  status: ['status', 'status_koneksi', 'status_konektivitas', 'status_internet', 'status_jaringan', 'status_sambungan', 'status_terhubung', 'koneksi', 'konektivitas'],
  connectedOn: ['tanggal_terhubung', 'connected_on', 'connectedon', 'tgl_terhubung', 'tanggal_koneksi', 'tgl_koneksi', 'tanggal_aktif', 'tgl_aktif'],
  technology: ['teknologi', 'technology', 'jenis_koneksi', 'jenis_jaringan', 'jenis_teknologi', 'media_koneksi'],
  bandwidthMbps: ['bandwidth_mbps', 'bandwidthmbps', 'bandwidth', 'kecepatan', 'kecepatan_mbps'],
  provider: ['penyedia', 'provider', 'isp', 'penyedia_layanan', 'penyedia_internet', 'provider_internet'],
  uptimePercent: ['uptime_persen', 'uptime_percent', 'uptimepercent', 'uptime'],
  outages: ['gangguan', 'outages', 'jumlah_gangguan'],
  period: ['periode', 'period', 'periode_pengukuran'],
  source: ['sumber', 'source', 'sumber_data'],
  notes: ['catatan', 'notes', 'keterangan', 'ket'],
};

/** Headers of a numbering column, which a survey may have and the import ignores. */
export const NUMBERING = new Set(['no', 'nomor', 'no_urut', 'nomor_urut', 'nr', 'number', '#']);

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

export const normalizeHeader = (h: string) => {
  const t = h.replace(/^\uFEFF/, '').trim().toLowerCase();
  return t === '#' ? t : t.replace(/[^\p{L}\p{N}]+/gu, '_').replace(/^_|_$/g, '');
};

export const isNumbering = (header: string) => NUMBERING.has(normalizeHeader(header));

const BY_HEADER = new Map<string, Field>(
  (Object.entries(COLUMNS) as [Field, readonly string[]][]).flatMap(([f, names]) => names.map((n) => [n, f] as [string, Field])),
);

export function fieldOfHeader(header: string): Field | undefined {
  return BY_HEADER.get(normalizeHeader(header));
}

export const ALL_HEADERS = [...BY_HEADER.keys()];
