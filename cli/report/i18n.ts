// Every visible label of the human-readable reports, in Bahasa Indonesia (the default) and English,
// with the date and number formats of each. JSON and CSV carry data and codes and do not use this.
import type { Kind, Technology } from '../../core/inventory/schema.ts';
import type { NO_PROJECTION_REASONS, PROJECTION_METHODS, UNKNOWN_FIELDS } from './schema.ts';

export const LANGS = ['id', 'en'] as const;
export type Lang = (typeof LANGS)[number];

type Status = 'connected' | 'in-progress' | 'not-connected' | 'unknown';
type N = number | string;

const id = {
  title: 'Laporan Konektivitas dan Layanan Digital Desa',
  asOf: (d: string) => `per ${d}`,
  sourceFile: 'Sumber data',
  summary: 'Ringkasan',
  units: 'Unit (desa + kelurahan)',
  unit: 'Unit',
  desa: 'Desa',
  kelurahan: 'Kelurahan',
  kecamatan: 'Kecamatan',
  code: 'Kode',
  name: 'Nama',
  kind: 'Jenis',
  status: { connected: 'Terhubung', 'in-progress': 'Dalam proses', 'not-connected': 'Belum terhubung', unknown: 'Tidak diketahui' } satisfies Record<Status, string>,
  statusH: 'Status',
  total: 'Jumlah',
  share: 'Persentase terhubung',
  shareShort: 'Terhubung %',
  dateUnknown: (n: N) => `${n} unit terhubung tanpa tanggal yang diketahui (tidak masuk linimasa)`,
  targets: 'Target',
  target: (coverage: N, scope: string, due: string) => `${coverage}% ${scope} terhubung paling lambat ${due}`,
  and: 'dan',
  revises: (x: string) => `merevisi target ${x}`,
  revisedBy: (x: string) => `direvisi oleh target ${x}`,
  progress: (c: N, r: N, inScope: N) => `${c} dari ${r} unit yang disyaratkan terhubung (${inScope} unit dalam cakupan)`,
  met: (d: string) => `Tercapai pada ${d}`,
  metLatest: (d: string) => `Tercapai paling lambat ${d}`,
  early: (n: N) => `${n} hari lebih awal dari tenggat`,
  late: (n: N) => `terlambat ${n} hari dari tenggat`,
  onTime: 'tepat pada tenggat',
  metDateUnknown: 'Tercapai; tanggalnya tidak diketahui karena tanggal terhubung sebagian unit tidak diketahui',
  notMet: (n: N, asOf: string) => `Belum tercapai: terlambat ${n} hari per ${asOf}`,
  pending: (n: N) => `Belum tercapai: tenggat ${n} hari lagi`,
  gap: (n: N) => `kurang ${n} unit`,
  unverified: (n: N) => `${n} unit dalam cakupan belum diketahui statusnya: capaian sebenarnya belum dapat dipastikan`,
  projection: 'Proyeksi',
  projected: (pace: N, date: string) => `Dengan laju ${pace} unit per bulan, seluruh unit terhubung sekitar ${date}.`,
  complete: 'Seluruh unit sudah terhubung.',
  noProjection: 'Tidak dapat diproyeksikan',
  reason: {
    'no-dated-connections': 'belum ada unit dengan tanggal terhubung yang diketahui, sehingga laju sambungan belum bisa dihitung',
    'too-little-history': 'riwayat sambungan bertanggal terlalu pendek (kurang dari 30 hari atau hanya satu sambungan)',
    'no-recent-connections': 'tidak ada sambungan baru dalam 12 bulan terakhir',
  } satisfies Record<(typeof NO_PROJECTION_REASONS)[number], string>,
  method: {
    'linear-last-12-months': (from: string, to: string, n: N) =>
      `Metode: laju linear = ${n} sambungan bertanggal dalam 12 bulan terakhir (${from} s.d. ${to}) dibagi jumlah harinya; sisa unit dibagi laju tersebut.`,
    'linear-since-first-connection': (from: string, to: string, n: N) =>
      `Metode: laju linear = ${n} sambungan bertanggal sejak sambungan pertama (${from} s.d. ${to}) dibagi jumlah harinya; sisa unit dibagi laju tersebut.`,
  } satisfies Record<(typeof PROJECTION_METHODS)[number], unknown>,
  remaining: (n: N) => `${n} unit belum terhubung`,
  perKecamatan: 'Per kecamatan',
  timeline: 'Linimasa sambungan',
  month: 'Bulan',
  date: 'Tanggal',
  added: 'Baru',
  cumulative: 'Kumulatif',
  targetLine: (id: string, r: N, due: string) => `Target ${id}: ${r} unit per ${due}`,
  noTimeline: 'Belum ada sambungan bertanggal untuk digambarkan.',
  pilots: 'Desa percontohan',
  noPilots: 'Belum ada unit dalam program ini.',
  unknownData: 'Data yang belum diketahui',
  unknownIntro: (n: N, total: N) => `${n} dari ${total} unit memiliki data konektivitas yang belum diketahui.`,
  allUnits: (n: N) => `semua ${n} unit`,
  andMore: (n: N) => `… dan ${n} unit lainnya (daftar lengkap: --format html, json atau csv)`,
  field: {
    status: 'status',
    connectedOn: 'tanggal terhubung',
    technology: 'teknologi',
    bandwidth: 'bandwidth',
    provider: 'penyedia',
    quality: 'kualitas tautan',
  } satisfies Record<(typeof UNKNOWN_FIELDS)[number], string>,
  field_: 'Data',
  unitsCount: 'Jumlah unit',
  quality: 'Kualitas tautan',
  qualityRule: (u: N, o: N) => `Ditandai bila uptime di bawah ${u}% atau lebih dari ${o} gangguan dalam periode pengukuran.`,
  measured: (n: N) => `${n} unit memiliki data kualitas.`,
  noQuality: 'Belum ada data kualitas tautan (uptime, gangguan) untuk unit mana pun.',
  noFlagged: 'Tidak ada tautan yang ditandai.',
  uptime: 'Uptime',
  outages: 'Gangguan',
  period: 'Periode',
  flag: { 'low-uptime': 'uptime rendah', 'many-outages': 'sering gangguan' },
  services: 'Layanan',
  servicesSource: { inventory: 'Sumber: rencana di desa.yaml (bukan keluaran stack Pulumi).', stacks: 'Sumber: keluaran stack Pulumi untuk desa yang sudah diprovisikan; rencana di desa.yaml untuk yang lain.' },
  service: 'Layanan',
  email: 'Email',
  accounts: 'akun',
  storage: 'Penyimpanan',
  subdomain: 'Subdomain',
  site: 'Situs',
  template: { profil: 'profil', opensid: 'OpenSID', external: 'eksternal' },
  technology: { fibre: 'serat optik', radio: 'radio', '4g': '4G', vsat: 'VSAT', adsl: 'ADSL', cable: 'kabel', other: 'lainnya' } satisfies Record<Technology, string>,
  kinds: { desa: 'desa', kelurahan: 'kelurahan' } satisfies Record<Kind, string>,
  off: 'nonaktif',
  allUnitsTable: 'Semua unit',
  unknownMark: '? = belum diketahui; — = tidak berlaku.',
  connectedOn: 'Terhubung sejak',
  technologyH: 'Teknologi',
  bandwidthH: 'Bandwidth',
  provider: 'Penyedia',
  link: 'Tautan',
  pilot: 'Percontohan',
  none: '—',
  months: ['Januari', 'Februari', 'Maret', 'April', 'Mei', 'Juni', 'Juli', 'Agustus', 'September', 'Oktober', 'November', 'Desember'],
  generatedBy: 'Dibuat dengan desa report',
};

export type Strings = typeof id;

const en: Strings = {
  title: 'Desa Connectivity and Digital Services Report',
  asOf: (d) => `as of ${d}`,
  sourceFile: 'Data source',
  summary: 'Summary',
  units: 'Units (desa + kelurahan)',
  unit: 'Units',
  desa: 'Desa',
  kelurahan: 'Kelurahan',
  kecamatan: 'Kecamatan',
  code: 'Code',
  name: 'Name',
  kind: 'Kind',
  status: { connected: 'Connected', 'in-progress': 'In progress', 'not-connected': 'Not connected', unknown: 'Unknown' },
  statusH: 'Status',
  total: 'Total',
  share: 'Share connected',
  shareShort: 'Connected %',
  dateUnknown: (n) => `${n} connected unit(s) with an unknown connection date (not on the timeline)`,
  targets: 'Targets',
  target: (coverage, scope, due) => `${coverage}% of ${scope} connected by ${due}`,
  and: 'and',
  revises: (x) => `revises target ${x}`,
  revisedBy: (x) => `revised by target ${x}`,
  progress: (c, r, inScope) => `${c} of the ${r} required units connected (${inScope} units in scope)`,
  met: (d) => `Met on ${d}`,
  metLatest: (d) => `Met on ${d} at the latest`,
  early: (n) => `${n} days before the due date`,
  late: (n) => `${n} days after the due date`,
  onTime: 'on the due date',
  metDateUnknown: 'Met; the date is unknown because some connection dates are unknown',
  notMet: (n, asOf) => `Not met: ${n} days late as of ${asOf}`,
  pending: (n) => `Not met yet: due in ${n} days`,
  gap: (n) => `${n} units short`,
  unverified: (n) => `${n} units in scope have an unknown status: whether it is met cannot be confirmed yet`,
  projection: 'Projection',
  projected: (pace, date) => `At ${pace} units per month, every unit would be connected around ${date}.`,
  complete: 'Every unit is connected.',
  noProjection: 'Cannot be projected',
  reason: {
    'no-dated-connections': 'no unit has a known connection date yet, so there is no pace to extend',
    'too-little-history': 'the dated connections span too little time (under 30 days, or a single connection)',
    'no-recent-connections': 'no new connections in the last 12 months',
  },
  method: {
    'linear-last-12-months': (from, to, n) =>
      `Method: linear pace = ${n} dated connections in the last 12 months (${from} to ${to}) divided by its days; the remaining units divided by that pace.`,
    'linear-since-first-connection': (from, to, n) =>
      `Method: linear pace = ${n} dated connections since the first one (${from} to ${to}) divided by its days; the remaining units divided by that pace.`,
  },
  remaining: (n) => `${n} units not connected`,
  perKecamatan: 'By kecamatan',
  timeline: 'Connections over time',
  month: 'Month',
  date: 'Date',
  added: 'New',
  cumulative: 'Cumulative',
  targetLine: (id, r, due) => `Target ${id}: ${r} units by ${due}`,
  noTimeline: 'No dated connections to plot yet.',
  pilots: 'Pilot desa',
  noPilots: 'No units in this programme yet.',
  unknownData: 'Data not yet known',
  unknownIntro: (n, total) => `${n} of ${total} units have connectivity data that is not known.`,
  allUnits: (n) => `all ${n} units`,
  andMore: (n) => `… and ${n} more (full list: --format html, json or csv)`,
  field: { status: 'status', connectedOn: 'connection date', technology: 'technology', bandwidth: 'bandwidth', provider: 'provider', quality: 'link quality' },
  field_: 'Field',
  unitsCount: 'Units',
  quality: 'Link quality',
  qualityRule: (u, o) => `Flagged when uptime is below ${u}% or there were more than ${o} outages in the measured period.`,
  measured: (n) => `${n} units have quality data.`,
  noQuality: 'No link quality data (uptime, outages) for any unit yet.',
  noFlagged: 'No links flagged.',
  uptime: 'Uptime',
  outages: 'Outages',
  period: 'Period',
  flag: { 'low-uptime': 'low uptime', 'many-outages': 'many outages' },
  services: 'Services',
  servicesSource: { inventory: 'Source: planned in desa.yaml (not Pulumi stack outputs).', stacks: 'Source: Pulumi stack outputs for the desa provisioned; the plan in desa.yaml for the rest.' },
  service: 'Service',
  email: 'Email',
  accounts: 'accounts',
  storage: 'Storage',
  subdomain: 'Subdomain',
  site: 'Site',
  template: { profil: 'profile', opensid: 'OpenSID', external: 'external' },
  technology: { fibre: 'fibre', radio: 'radio', '4g': '4G', vsat: 'VSAT', adsl: 'ADSL', cable: 'cable', other: 'other' },
  kinds: { desa: 'desa', kelurahan: 'kelurahan' },
  off: 'off',
  allUnitsTable: 'All units',
  unknownMark: '? = not known yet; — = does not apply.',
  connectedOn: 'Connected on',
  technologyH: 'Technology',
  bandwidthH: 'Bandwidth',
  provider: 'Provider',
  link: 'Link',
  pilot: 'Pilot',
  none: '—',
  months: ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'],
  generatedBy: 'Made with desa report',
};

export interface Messages {
  lang: Lang;
  t: Strings;
  /** 2023-12-31 → "31 Desember 2023" / "31 December 2023". */
  date: (iso: string) => string;
  /** 2023-12 → "Desember 2023". */
  month: (yyyyMm: string) => string;
  num: (n: number) => string;
  /** A percentage (0–100) with at most one decimal: "12,5%"; the dash when null. */
  pct: (p: number | null) => string;
  /** "desa dan kelurahan" */
  scope: (kinds: readonly Kind[]) => string;
}

export function messages(lang: Lang): Messages {
  const t = lang === 'en' ? en : id;
  const locale = lang === 'en' ? 'en-GB' : 'id-ID';
  const nf = new Intl.NumberFormat(locale, { maximumFractionDigits: 1 });
  return {
    lang,
    t,
    date: (iso) => {
      const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
      return `${d} ${t.months[m - 1]} ${y}`;
    },
    month: (ym) => `${t.months[Number(ym.slice(5, 7)) - 1]} ${ym.slice(0, 4)}`,
    num: (n) => nf.format(n),
    pct: (p) => (p === null ? t.none : `${nf.format(p)}%`),
    scope: (kinds) => kinds.map((k) => t.kinds[k]).join(` ${t.and} `),
  };
}
