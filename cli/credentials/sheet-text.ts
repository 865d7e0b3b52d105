// The words of the credential sheet, Bahasa Indonesia first, English for the operators' own use.
// Plain strings and small functions of plain values; the renderer escapes everything it is given.
import type { Kind } from '../../core/inventory/schema.ts';

export type SheetLang = 'id' | 'en';

export interface SheetText {
  kind: Record<Kind, string>;
  title: (kind: string, name: string) => string;
  confidential: string;
  confidentialLine: string;
  kecamatan: string;
  code: string;
  generated: (when: string) => string;
  by: string;
  notProvided: (service: string, unit: string) => string;
  /** `office`: who runs the services, as people call it (officeName of desa.yaml's operator). */
  askOperator: (office: string) => string;
  mail: string;
  mailIntro: string;
  cutNote: string;
  role: string;
  address: string;
  password: string;
  lookAlike: string;
  /** For passwords of the current alphabet (stacks/secrets.ts). */
  alphabet: string;
  mailboxQuota: (size: string) => string;
  /** Webmail: mail in the browser, at webmail.<domain>; how to log in, around an example login without the domain (sumberjaya.operator). */
  webmail: string;
  webmailUser: string;
  webmailPassword: string;
  mailSettings: string;
  incoming: string;
  outgoing: string;
  server: string;
  port: string;
  security: string;
  outgoingAlt: string;
  userName: string;
  userNameValue: string;
  mailApps: string;
  storage: string;
  endpoint: string;
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
  quota: string;
  storageIntro: string;
  howToConnect: string;
  storageSteps: (bucket: string) => string[];
  internalEndpoint: (office: string) => string;
  localEndpoint: (office: string) => string;
  /** The file space (SFTPGo): in the browser at files.<domain>, as a Windows network drive at files.<domain>/dav/. */
  files: string;
  filesIntro: string;
  filesAddress: string;
  filesDrive: string;
  filesWindows: string;
  filesWindowsSteps: (dav: string, login: string) => string[];
  filesAdmin: string;
  filesAdminIntro: (adminUrl: string) => string;
  site: string;
  siteAddress: string;
  siteKind: string;
  template: Record<string, string>;
  /** OpenSID's administrator, on the sheet of a desa on OpenSID. */
  opensidAdmin: string;
  opensidLogin: string;
  opensidIntro: string;
  opensidPassword: string;
  securityTitle: string;
  securityItems: (office: string) => string[];
  handover: string;
  handedBy: string;
  receivedBy: string;
  name: string;
  position: string;
  signature: string;
  date: string;
  footer: (stack: string, updated: string | null) => string;
  months: string[];
  /** `zone`: WIB, WITA or WIT, from the unit's provinsi. */
  at: (date: string, time: string, zone: string) => string;
  roles: Record<string, string>;
  rolePrefixes: Record<string, string>;
}

const id: SheetText = {
  kind: { desa: 'Desa', kelurahan: 'Kelurahan' },
  title: (kind, name) => `Lembar Akun Layanan Digital ${kind} ${name}`,
  confidential: 'RAHASIA',
  confidentialLine: 'Lembar ini berisi kata sandi. Simpan di tempat terkunci dan musnahkan setelah semua akun diterima pemegangnya.',
  kecamatan: 'Kecamatan',
  code: 'Kode wilayah',
  generated: (when) => `Dibuat ${when}`,
  by: 'oleh',
  notProvided: (service, unit) => `${service} tidak disediakan untuk ${unit}.`,
  askOperator: (office) => `Bila diperlukan, ajukan permohonan kepada ${office}.`,
  mail: 'Surel resmi',
  mailIntro: 'Satu akun surel per jabatan. Nama pengguna adalah alamat surel lengkap.',
  cutNote: 'Setiap kotak akun dapat digunting di garis putus-putus dan diberikan hanya kepada pemegang jabatannya.',
  role: 'Jabatan',
  address: 'Alamat surel (nama pengguna)',
  password: 'Kata sandi',
  lookAlike: 'Ketik kata sandi persis seperti tertulis: huruf besar dan kecil berbeda. Jarak tiap 4 karakter hanya untuk memudahkan membaca, bukan spasi. Angka dicetak tebal, sehingga 0 (nol) dan 1 (satu) tidak tertukar dengan huruf O, l atau I.',
  alphabet: 'Kata sandi hanya berisi huruf kecil dan angka 2–9: tanpa huruf besar, tanda baca, atau huruf dan angka yang mirip (0, 1, i, l, o). Jarak tiap 4 karakter hanya untuk memudahkan membaca, bukan spasi; angka dicetak tebal.',
  mailboxQuota: (size) => `kotak surat ${size}`,
  webmail: 'Webmail',
  webmailUser: 'dibuka di peramban (komputer atau ponsel), tanpa memasang aplikasi. Masuk dengan alamat surel lengkap atau cukup',
  webmailPassword: 'dan kata sandi kotak surat itu.',
  mailSettings: 'Membuka surel: webmail atau aplikasi surel',
  incoming: 'Surel masuk (IMAP)',
  outgoing: 'Surel keluar (SMTP)',
  server: 'Server',
  port: 'Port',
  security: 'Keamanan',
  outgoingAlt: 'Surel keluar (SMTP), bila port 465 tertutup',
  userName: 'Nama pengguna',
  userNameValue: 'alamat surel lengkap, misalnya',
  mailApps: 'Dapat dipakai dengan Thunderbird, Outlook, atau aplikasi surel di ponsel (pilih "akun lain" / IMAP). Autentikasi: kata sandi biasa.',
  storage: 'Penyimpanan awan',
  endpoint: 'Alamat server',
  bucket: 'Nama ruang (bucket)',
  accessKeyId: 'Nama pengguna (Access Key ID)',
  secretAccessKey: 'Kata sandi (Secret Access Key)',
  quota: 'Kapasitas',
  storageIntro: 'Ruang berkas desa untuk arsip, surat dan dokumen bersama, dibuka dengan aplikasi penyimpanan berkas (S3). Nama pengguna dan kata sandinya berbeda dari akun surel.',
  howToConnect: 'Cara menghubungkan',
  storageSteps: (bucket) => [
    'Pasang aplikasi penyimpanan berkas, misalnya Cyberduck (Windows, macOS), WinSCP (Windows) atau rclone.',
    'Buat koneksi baru berjenis "Amazon S3" (atau "S3 compatible") ke alamat server di atas.',
    `Isi nama pengguna (Access Key ID) dan kata sandi (Secret Access Key), lalu buka ruang ${bucket}.`,
  ],
  internalEndpoint: (office) => `Alamat ini hanya dapat dijangkau dari dalam klaster. Tanyakan kepada ${office} alamat yang dapat dijangkau dari kantor.`,
  files: 'Berkas desa',
  filesIntro: 'Ruang berkas desa (arsip, surat, dokumen bersama): dibuka di peramban, atau dipasang sebagai drive di Windows Explorer. Kapasitasnya sama dengan penyimpanan awan desa. Berkas dapat dibagikan dengan tautan yang berkata sandi dan bertanggal kedaluwarsa.',
  filesAddress: 'Alamat (peramban)',
  filesDrive: 'Alamat drive jaringan (WebDAV)',
  filesWindows: 'Memasang sebagai drive di Windows Explorer',
  filesWindowsSteps: (dav, login) => [
    'Buka File Explorer, klik kanan "This PC" (PC Ini), pilih "Map network drive…" (Petakan drive jaringan…).',
    `Pilih huruf drive (misalnya Z:), isi Folder dengan ${dav}, centang "Reconnect at sign-in" (Sambungkan ulang saat masuk) dan "Connect using different credentials" (Sambungkan menggunakan kredensial lain), lalu klik Finish (Selesai).`,
    `Isi nama pengguna ${login} dan kata sandi di atas, centang "Remember my credentials" (Ingat kredensial saya), lalu OK. Berkas desa muncul sebagai drive Z:.`,
    'Windows membatasi berkas yang dibuka lewat drive ini sampai 50 MB; berkas yang lebih besar diunggah lewat peramban.',
  ],
  filesAdmin: 'Pengelola berkas desa',
  filesAdminIntro: (adminUrl) => `Akun ini membuat, mengubah dan menghapus akun berkas untuk perangkat desa sendiri (tidak dapat melihat desa lain), di ${adminUrl}.`,
  localEndpoint: (office) => `Ini alamat uji lokal: hanya berlaku di komputer server uji tempat lembar ini dibuat, dan tidak dapat dibuka dari kantor desa. Alamat yang sebenarnya diberikan oleh ${office}.`,
  site: 'Situs web',
  siteAddress: 'Alamat',
  siteKind: 'Jenis',
  template: { profil: 'Halaman profil', opensid: 'OpenSID (Sistem Informasi Desa)', external: 'Aplikasi milik sendiri, diteruskan dari alamat ini' },
  opensidAdmin: 'Administrator OpenSID',
  opensidLogin: 'Halaman masuk',
  opensidIntro: 'Akun pengelola OpenSID desa: dengan akun ini operator desa mengisi data penduduk, surat, dan berita di situs. Kata sandi bawaan OpenSID (sid304) tidak berlaku.',
  opensidPassword:
    'Ketik kata sandi ini persis seperti tertulis: satu huruf besar, dan tanda hubung (-) termasuk bagian kata sandi. Setelah masuk, kata sandi dapat diganti di menu Pengguna OpenSID.',
  securityTitle: 'Petunjuk keamanan',
  securityItems: (office) => [
    'Simpan lembar ini di tempat terkunci. Jangan ditempel di dinding atau meja.',
    'Jangan kirim kata sandi lewat WhatsApp, SMS atau surel, juga tidak sebagai foto lembar ini.',
    `Kata sandi dikelola ${office}. Bila lembar ini hilang atau kata sandi mungkin diketahui orang lain, segera minta penggantian kata sandi (desa rotate) kepada ${office}.`,
    'Setelah setiap akun diterima pemegangnya, musnahkan lembar ini (sobek atau cacah) dan hapus berkasnya.',
  ],
  handover: 'Serah terima',
  handedBy: 'Diserahkan oleh',
  receivedBy: 'Diterima oleh',
  name: 'Nama',
  position: 'Jabatan',
  signature: 'Tanda tangan',
  date: 'Tanggal',
  footer: (stack, updated) => `Dibuat dengan desa credentials dari stack ${stack}${updated ? `, diperbarui ${updated}` : ''}.`,
  months: ['Januari', 'Februari', 'Maret', 'April', 'Mei', 'Juni', 'Juli', 'Agustus', 'September', 'Oktober', 'November', 'Desember'],
  at: (date, time, zone) => `${date} pukul ${time.replace(':', '.')} ${zone}`,
  roles: {
    bpd: 'Badan Permusyawaratan Desa (BPD)',
    pkk: 'Tim Penggerak PKK',
    admin: 'Administrator',
  },
  rolePrefixes: { kaur: 'Kepala Urusan', kasi: 'Kepala Seksi', kadus: 'Kepala Dusun' },
};

const en: SheetText = {
  kind: { desa: 'Desa', kelurahan: 'Kelurahan' },
  title: (kind, name) => `Digital Services Account Sheet, ${kind} ${name}`,
  confidential: 'CONFIDENTIAL',
  confidentialLine: 'This sheet holds passwords. Keep it locked away and destroy it once every account has reached its holder.',
  kecamatan: 'Kecamatan',
  code: 'Area code',
  generated: (when) => `Made ${when}`,
  by: 'by',
  notProvided: (service, unit) => `${service}: not provided for ${unit}.`,
  askOperator: (office) => `Ask ${office} if it is needed.`,
  mail: 'Official mail',
  mailIntro: 'One mail account per position. The user name is the full address.',
  cutNote: 'Each account box can be cut along its dashed line and given only to the holder of that position.',
  role: 'Position',
  address: 'Address (user name)',
  password: 'Password',
  lookAlike: 'Type the password exactly as written: upper and lower case differ. The gap after every 4 characters is for reading only, not a space. Digits are in bold, so 0 (zero) and 1 (one) are not mistaken for the letters O, l or I.',
  alphabet: 'Passwords are lower-case letters and the digits 2–9 only: no capitals, punctuation, or look-alikes (0, 1, i, l, o). The gap after every 4 characters is for reading only, not a space; digits are in bold.',
  mailboxQuota: (size) => `mailbox ${size}`,
  webmail: 'Webmail',
  webmailUser: 'opens in a browser (computer or phone), nothing to install. Log in with the full address or just',
  webmailPassword: "and that mailbox's password.",
  mailSettings: 'Opening mail: webmail or a mail app',
  incoming: 'Incoming mail (IMAP)',
  outgoing: 'Outgoing mail (SMTP)',
  server: 'Server',
  port: 'Port',
  security: 'Security',
  outgoingAlt: 'Outgoing mail (SMTP), if port 465 is blocked',
  userName: 'User name',
  userNameValue: 'the full address, for example',
  mailApps: 'Works with Thunderbird, Outlook, or a phone mail app ("other account" / IMAP). Authentication: normal password.',
  storage: 'Cloud storage',
  endpoint: 'Server address',
  bucket: 'Space name (bucket)',
  accessKeyId: 'User name (Access Key ID)',
  secretAccessKey: 'Password (Secret Access Key)',
  quota: 'Capacity',
  storageIntro: "The desa's file space for archives, letters and shared documents, opened with a file storage app (S3). Its user name and password differ from the mail accounts'.",
  howToConnect: 'How to connect',
  storageSteps: (bucket) => [
    'Install a file storage app, such as Cyberduck (Windows, macOS), WinSCP (Windows) or rclone.',
    'Create a connection of type "Amazon S3" (or "S3 compatible") to the server address above.',
    `Enter the user name (Access Key ID) and password (Secret Access Key), then open the space ${bucket}.`,
  ],
  internalEndpoint: (office) => `This address is reachable only inside the cluster. Ask ${office} for the address to use from the office.`,
  files: 'Desa files',
  filesIntro: "The desa's file space (archives, letters, shared documents): opened in a browser, or mapped as a drive in Windows Explorer. Its capacity is the desa's cloud storage's. Files can be shared with links that have a password and an expiry date.",
  filesAddress: 'Address (browser)',
  filesDrive: 'Network drive address (WebDAV)',
  filesWindows: 'Mapping it as a drive in Windows Explorer',
  filesWindowsSteps: (dav, login) => [
    'Open File Explorer, right-click "This PC", choose "Map network drive…".',
    `Choose a drive letter (e.g. Z:), enter ${dav} as the Folder, tick "Reconnect at sign-in" and "Connect using different credentials", then click Finish.`,
    `Enter the user name ${login} and the password above, tick "Remember my credentials", then OK. The desa's files show as drive Z:.`,
    'Windows limits files opened through this drive to 50 MB; upload bigger files in the browser.',
  ],
  filesAdmin: "The desa's file administrator",
  filesAdminIntro: (adminUrl) => `This account creates, changes and deletes file accounts for the desa's own staff (it cannot see other desa), at ${adminUrl}.`,
  localEndpoint: (office) => `This is a local test address: it works only on the test server this sheet was made on, not from the desa office. ${office} gives the real address.`,
  site: 'Website',
  siteAddress: 'Address',
  siteKind: 'Kind',
  template: { profil: 'Profile page', opensid: 'OpenSID (village information system)', external: 'Its own application, forwarded from this address' },
  opensidAdmin: 'OpenSID administrator',
  opensidLogin: 'Login page',
  opensidIntro: "The desa's OpenSID account: with it the desa operator keeps the population data, letters and news of the site. OpenSID's default password (sid304) does not work.",
  opensidPassword: 'Type this password exactly as written: one capital letter, and the hyphens (-) are part of it. Once logged in, it can be changed in OpenSID\'s Pengguna (users) menu.',
  securityTitle: 'Keeping it safe',
  securityItems: (office) => [
    'Keep this sheet locked away. Do not pin it to a wall or leave it on a desk.',
    'Never send a password by WhatsApp, SMS or mail, nor a photo of this sheet.',
    `${office} manages the passwords. If this sheet is lost or a password may be known to others, ask ${office} to replace it at once (desa rotate).`,
    'Once every account has reached its holder, destroy this sheet (tear or shred it) and delete its file.',
  ],
  handover: 'Handover',
  handedBy: 'Handed over by',
  receivedBy: 'Received by',
  name: 'Name',
  position: 'Position',
  signature: 'Signature',
  date: 'Date',
  footer: (stack, updated) => `Made with desa credentials from stack ${stack}${updated ? `, updated ${updated}` : ''}.`,
  months: ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'],
  at: (date, time, zone) => `${date}, ${time} ${zone}`,
  roles: {
    'kepala-desa': 'Village head (Kepala Desa)',
    'sekretaris-desa': 'Village secretary (Sekretaris Desa)',
    lurah: 'Head of the kelurahan (Lurah)',
    'sekretaris-kelurahan': 'Kelurahan secretary (Sekretaris Kelurahan)',
    operator: 'Operator',
    bendahara: 'Treasurer (Bendahara)',
    bpd: 'Village consultative body (BPD)',
    admin: 'Administrator',
  },
  rolePrefixes: {},
};

export const SHEET_TEXT: Record<SheetLang, SheetText> = { id, en };

const titleCase = (words: string[]) => words.map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join(' ');

/** A mailbox role as a person reads it: kepala-desa → "Kepala Desa", kaur-keuangan → "Kepala Urusan Keuangan". */
export function roleLabel(role: string, lang: SheetLang = 'id'): string {
  const t = SHEET_TEXT[lang];
  const known = t.roles[role];
  if (known) return known;
  if (lang !== 'id') return roleLabel(role, 'id');
  const [first = '', ...rest] = role.split('-');
  const prefix = t.rolePrefixes[first];
  return prefix && rest.length ? `${prefix} ${titleCase(rest)}` : titleCase([first, ...rest]);
}

/** A quota as desa.yaml writes it (2Gi, 500Mi) as people read sizes: 2 GiB, 500 MiB. */
export function formatQuota(quantity: string): string {
  const m = /^(\d+)(Mi|Gi|Ti)$/.exec(quantity);
  return m ? `${m[1]} ${m[2]}B` : quantity;
}

/**
 * Who runs the services, as a sheet names them in running text: the short name desa.yaml's operator
 * gives in brackets ("… (Diskominfosantik) Kabupaten Bekasi" → Diskominfosantik), else the operator.
 */
export function officeName(operator: string): string {
  return /\(([^()]{2,40})\)/.exec(operator)?.[1]?.trim() ?? operator;
}

/** Indonesia's three time zones, by provinsi code (the first two digits of a unit's code). */
const WITA = new Set(['51', '52', '53', '63', '64', '65', '71', '72', '73', '74', '75', '76']);
const WIT = new Set(['81', '82', '91', '92', '93', '94', '95', '96']);

export interface Zone {
  iana: string;
  abbr: 'WIB' | 'WITA' | 'WIT';
}

/** The local time zone of a unit: WITA for Bali, Nusa Tenggara, Kalimantan Selatan, Timur, Utara and Sulawesi; WIT for Maluku and Papua; WIB elsewhere. */
export function zoneOf(code: string): Zone {
  const p = code.slice(0, 2);
  if (WITA.has(p)) return { iana: 'Asia/Makassar', abbr: 'WITA' };
  if (WIT.has(p)) return { iana: 'Asia/Jayapura', abbr: 'WIT' };
  return { iana: 'Asia/Jakarta', abbr: 'WIB' };
}

export const WIB: Zone = { iana: 'Asia/Jakarta', abbr: 'WIB' };

/** A moment as a person at the desa reads it: "9 April 2024 pukul 14.05 WIB" (the zone of its provinsi). */
export function formatMoment(at: Date, lang: SheetLang = 'id', zone: Zone = WIB): string {
  const t = SHEET_TEXT[lang];
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', { timeZone: zone.iana, year: 'numeric', month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  return t.at(`${Number(parts.day)} ${t.months[Number(parts.month) - 1]} ${parts.year}`, `${parts.hour}:${parts.minute}`, zone.abbr);
}
