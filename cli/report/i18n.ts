// Every visible label of the human-readable reports, in Bahasa Indonesia (the default) and English,
// with the date and number formats of each. JSON and CSV carry data and codes and do not use this.
import type { Kind, Technology } from '../../core/inventory/schema.ts';
import type { CheckName } from '../check/model.ts';
import type { NO_PROJECTION_REASONS, PROJECTION_METHODS, READINESS_STATES, UNKNOWN_FIELDS } from './schema.ts';

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
  pendingToday: 'Belum tercapai: tenggat hari ini',
  gap: (n: N) => `kurang ${n} unit`,
  undetermined: (n: N, inScope: N) => `Capaian belum dapat ditentukan: ${n} dari ${inScope} unit dalam cakupan belum ada data statusnya`,
  dueOn: (d: string) => `tenggat ${d}`,
  certainlyNotMet: 'yang pasti belum tercapai',
  lateBy: (n: N, asOf: string) => `terlambat ${n} hari per ${asOf}`,
  dueIn: (n: N) => `tenggat ${n} hari lagi`,
  dueToday: 'tenggat hari ini',
  gapAtLeast: (n: N) => `kurang paling sedikit ${n} unit`,
  unverified: (n: N) => `${n} unit dalam cakupan belum diketahui statusnya; kalaupun semuanya terhubung, target ini tetap belum tercapai`,
  asOfPast: (asOf: string) => `Status di desa.yaml adalah status hari ini; per ${asOf} hanya dihitung apa yang ditunjukkan tanggal-tanggalnya.`,
  note: {
    'connected-later': (n: N, asOf: string) => `${n} unit terhubung sesudah ${asOf}: per tanggal itu belum terhubung, tetapi apakah sudah dalam proses tidak tercatat`,
    'in-progress-since-unknown': (n: N, asOf: string) => `${n} unit yang kini dalam proses belum terhubung per ${asOf}; sejak kapan dalam proses tidak tercatat`,
    'connected-date-unknown': (n: N, asOf: string) => `${n} unit terhubung pada tanggal yang tidak tercatat, sehingga statusnya per ${asOf} tidak diketahui`,
  },
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
  storageUsage: 'Ruang berkas desa (SFTPGo)',
  usageNotMeasured:
    'Pemakaian ruang berkas belum diukur: angkanya dibaca langsung dari SFTPGo lokal saat server lokal berjalan (tidak dengan --no-state, dan belum dari klaster mode deploy).',
  usageMeasured: (when: string, n: N) => `Diukur langsung dari SFTPGo lokal pada ${when}; ${n} desa terukur.`,
  usageTotal: (used: string, quota: string, pct: string) => `Terpakai ${used} dari kuota ${quota} (${pct}).`,
  usageFilesTotal: (files: N, quota: N) => `${files} dari ${quota} berkas yang diizinkan.`,
  usageUnmeasured: (n: N) => `${n} unit dengan penyimpanan aktif tidak terukur (belum ada login di SFTPGo; jalankan desa up).`,
  nearQuota: (p: N) => `Memakai ${p}% kuota atau lebih — perlu tambahan kuota atau dirapikan`,
  nearQuotaNone: (p: N) => `Tidak ada desa yang memakai ${p}% kuota atau lebih.`,
  usageFullest: (n: N) => `Pemakaian terbesar (${n} desa)`,
  usageMore: (n: N) => `… dan ${n} desa lainnya (daftar lengkap: --format html, json atau csv)`,
  usedH: 'Terpakai / kuota',
  filesH: 'Berkas / kuota',
  of: 'dari',
  notMeasured: 'belum diukur',
  readiness: 'Kesiapan layanan',
  readinessH: 'Kesiapan',
  readinessState: { ready: 'siap', 'not-ready': 'belum siap', 'not-checked': 'belum diperiksa' } satisfies Record<(typeof READINESS_STATES)[number], string>,
  check: { provisioned: 'provisi', dns: 'DNS', tls: 'sertifikat TLS', site: 'situs', mail: 'email', storage: 'penyimpanan', link: 'tautan' } satisfies Record<CheckName, string>,
  readinessCounts: (ready: N, notReady: N, notChecked: N) => `${ready} siap, ${notReady} belum siap, ${notChecked} belum diperiksa`,
  readinessWhen: (when: string) => `Pemeriksaan langsung terakhir (desa check): ${when}. Alasan setiap kegagalan: desa check --only <slug>.`,
  readinessNever: 'Belum pernah diperiksa: jalankan desa check untuk memeriksa DNS, situs, email, penyimpanan dan tautan setiap desa.',
  failing: 'Gagal',
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
  placeDate: '……………………, ……………………',
  acknowledged: 'Mengetahui,',
  /** CSS content of the printed page number. */
  pageOf: '"Halaman " counter(page) " dari " counter(pages)',
};

export type Strings = typeof id;

/** "1 unit", "3 units": English plurals of an already formatted count. */
const units = (n: N) => `${n} ${String(n) === '1' ? 'unit' : 'units'}`;

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
  pendingToday: 'Not met yet: due today',
  gap: (n) => `${n} units short`,
  undetermined: (n, inScope) => `Achievement cannot be determined: ${n} of the ${inScope} units in scope ${String(n) === '1' ? 'has' : 'have'} no status data`,
  dueOn: (d) => `due ${d}`,
  certainlyNotMet: 'it certainly is not met',
  lateBy: (n, asOf) => `${n} days late as of ${asOf}`,
  dueIn: (n) => `due in ${n} days`,
  dueToday: 'due today',
  gapAtLeast: (n) => `at least ${units(n)} short`,
  unverified: (n) => `${units(n)} in scope ${String(n) === '1' ? 'has' : 'have'} an unknown status; even if all of them were connected, the target would not be met`,
  asOfPast: (asOf) => `desa.yaml records today's statuses; as of ${asOf} only what its dates show is counted.`,
  note: {
    'connected-later': (n, asOf) => `${units(n)} connected after ${asOf}: not connected on that date, but whether work had begun is not recorded`,
    'in-progress-since-unknown': (n, asOf) => `${units(n)} in progress today ${n === '1' ? 'was' : 'were'} not connected on ${asOf}; since when is not recorded`,
    'connected-date-unknown': (n, asOf) => `${units(n)} connected on a date not recorded, so ${n === '1' ? 'its' : 'their'} status on ${asOf} is unknown`,
  },
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
  storageUsage: 'Desa file space (SFTPGo)',
  usageNotMeasured:
    'File-space usage not measured: it is read live from the local SFTPGo while the local servers run (not with --no-state, and not yet from a deploy-mode cluster).',
  usageMeasured: (when, n) => `Measured live from the local SFTPGo at ${when}; ${n} desa measured.`,
  usageTotal: (used, quota, pct) => `${used} used of a ${quota} quota (${pct}).`,
  usageFilesTotal: (files, quota) => `${files} of the ${quota} files allowed.`,
  usageUnmeasured: (n) => `${units(n)} with storage enabled not measured (no login on SFTPGo yet; run desa up).`,
  nearQuota: (p) => `At ${p}% of a quota or more — give more quota or tidy up`,
  nearQuotaNone: (p) => `No desa uses ${p}% of a quota or more.`,
  usageFullest: (n) => `Largest usage (${n} desa)`,
  usageMore: (n) => `… and ${n} more desa (full list: --format html, json or csv)`,
  usedH: 'Used / quota',
  filesH: 'Files / quota',
  of: 'of',
  notMeasured: 'not measured',
  readiness: 'Service readiness',
  readinessH: 'Readiness',
  readinessState: { ready: 'ready', 'not-ready': 'not ready', 'not-checked': 'not checked' },
  check: { provisioned: 'provisioned', dns: 'DNS', tls: 'TLS certificate', site: 'site', mail: 'email', storage: 'storage', link: 'link' },
  readinessCounts: (ready, notReady, notChecked) => `${ready} ready, ${notReady} not ready, ${notChecked} not checked`,
  readinessWhen: (when) => `Last live check (desa check): ${when}. The reason for each failure: desa check --only <slug>.`,
  readinessNever: 'Never checked: run desa check to probe each desa\'s DNS, site, email, storage and link.',
  failing: 'Failing',
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
  placeDate: '……………………, ……………………',
  acknowledged: 'Acknowledged,',
  pageOf: '"Page " counter(page) " of " counter(pages)',
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
  /** Bytes in binary units with at most one decimal: "1,2 GiB", "512 B". */
  size: (bytes: number) => string;
}

const SIZE_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'] as const;

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
    size: (bytes) => {
      let i = 0;
      let v = bytes;
      // 1023.96 KiB would print as "1024 KiB": move up a unit once the rounded value reaches 1024.
      while (i < SIZE_UNITS.length - 1 && Math.round(v * 10) / 10 >= 1024) {
        v /= 1024;
        i++;
      }
      return `${nf.format(v)} ${SIZE_UNITS[i]}`;
    },
  };
}
