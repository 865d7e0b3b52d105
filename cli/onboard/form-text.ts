// The words of the onboard form, Bahasa Indonesia first (`desa onboard --lang en` for English). The
// field names here are the ones its messages use: a person filling in the form never sees a flag.
import type { Kind } from '../../core/inventory/schema.ts';
import type { UnitState } from './choices.ts';

export const FORM_LANGS = ['id', 'en'] as const;
export type FormLang = (typeof FORM_LANGS)[number];

export interface FormText {
  onboard: (label: string) => string;
  onboardAny: string;
  kecamatan: string;
  onboardedOf: (done: number, all: number) => string;
  unitsOf: (kecamatan: string) => string;
  kind: Record<Kind, string>;
  state: Record<UnitState, string>;
  newCode: string;
  newUnit: string;
  newUnitTitle: string;
  selectHelp: string;
  fieldHelp: string;
  services: string;
  contacts: string;
  on: string;
  off: string;
  /** Field labels, by the key of the field. */
  label: Record<string, string>;
  /** What is wrong with a field's value, and what to write instead. */
  problem: {
    code: string;
    required: string;
    roles: (bad: string) => string;
    roleTwice: (role: string) => string;
    noRoles: string;
    size: string;
    sizeMeant: (size: string) => string;
    url: string;
    phone: string;
    email: string;
    tooLong: (max: number) => string;
  };
  fixFirst: (n: number) => string;
  confirm: { add: (who: string, file: string, slug: string) => string; update: (who: string, file: string) => string };
  notSet: string;
  removed: string;
  nothingToChange: string;
  back: string;
  backToChange: string;
  writeOrBack: string;
  moreLines: (n: number) => string;
  cancelled: string;
}

const id: FormText = {
  onboard: (label) => `Daftarkan ${label}`,
  onboardAny: 'Daftarkan desa atau kelurahan',
  kecamatan: 'Kecamatan',
  onboardedOf: (done, all) => `${done}/${all} terdaftar`,
  unitsOf: (k) => `Desa dan kelurahan di ${k}`,
  kind: { desa: 'desa', kelurahan: 'kelurahan' },
  state: { onboarded: '✔ terdaftar', listed: '· ada di desa.yaml, slug belum ditetapkan', new: '+ belum ada di desa.yaml' },
  newCode: '+ kode baru, dari keputusan yang lebih baru',
  newUnit: 'unit baru',
  newUnitTitle: 'Kode yang belum ada di daftar resmi',
  selectHelp: '(↑↓ pindah, Enter pilih, Esc kembali)',
  fieldHelp: '(↑↓ pindah, ketik untuk mengubah, Spasi aktif/nonaktif, Enter lanjut, Esc kembali)',
  services: 'Layanan',
  contacts: 'Kontak',
  on: '[x] aktif',
  off: '[ ] nonaktif',
  label: {
    code: 'Kode',
    name: 'Nama',
    source: 'Dasar hukum (keputusan)',
    email: 'Surel',
    accounts: 'Kotak surat (jabatan, dipisah koma)',
    mailQuota: 'Kuota kotak surat',
    storage: 'Penyimpanan',
    storageQuota: 'Kuota penyimpanan',
    subdomain: 'Subdomain',
    template: 'Templat situs',
    siteUrl: 'Alamat situs (url)',
    kepalaName: 'Kepala desa: nama',
    kepalaPhone: 'Kepala desa: telepon',
    kepalaEmail: 'Kepala desa: surel',
    operatorName: 'Operator: nama',
    operatorPhone: 'Operator: telepon',
    operatorEmail: 'Operator: surel',
  },
  problem: {
    code: 'tulis kode resmi seperti 32.16.06.2002',
    required: 'wajib diisi',
    roles: (bad) => `"${bad}" bukan nama jabatan: tulis huruf kecil dengan tanda hubung, dipisah koma, misalnya kepala-desa,operator`,
    roleTwice: (role) => `jabatan ${role} tertulis dua kali`,
    noRoles: 'tulis paling sedikit satu jabatan, atau matikan Surel',
    size: 'tulis ukuran seperti 500Mi, 2Gi atau 1Ti',
    sizeMeant: (size) => `maksudnya ${size}?`,
    url: 'tulis alamat lengkap yang diawali https://',
    phone: 'tulis nomor telepon seperti +62 812 3456 7890',
    email: 'tulis alamat surel seperti nama@contoh.go.id',
    tooLong: (max) => `paling banyak ${max} karakter`,
  },
  fixFirst: (n) => `Perbaiki dulu ${n} isian yang ditandai ✘, lalu tekan Enter.`,
  confirm: {
    add: (who, file, slug) => `Ini akan menambahkan ${who} ke ${file} dengan slug ${slug}:`,
    update: (who, file) => `Ini akan memperbarui ${who} di ${file}:`,
  },
  notSet: '(belum diisi)',
  removed: '(dihapus)',
  nothingToChange: 'Tidak ada yang diubah: desa.yaml sudah berisi semua ini.',
  back: 'Esc: kembali',
  backToChange: 'Esc: kembali untuk mengubahnya',
  writeOrBack: 'Enter atau y: tulis · Esc atau n: kembali',
  moreLines: (n) => `… ${n} baris lagi`,
  cancelled: 'Dibatalkan; tidak ada yang ditulis.',
};

const en: FormText = {
  onboard: (label) => `Onboard ${label}`,
  onboardAny: 'Onboard a desa or kelurahan',
  kecamatan: 'Kecamatan',
  onboardedOf: (done, all) => `${done}/${all} onboarded`,
  unitsOf: (k) => `Desa and kelurahan of ${k}`,
  kind: { desa: 'desa', kelurahan: 'kelurahan' },
  state: { onboarded: '✔ onboarded', listed: '· in desa.yaml, slug not pinned', new: '+ not in desa.yaml' },
  newCode: '+ a new code, from a newer decree',
  newUnit: 'new unit',
  newUnitTitle: 'A code that is not in the official list',
  selectHelp: '(↑↓ move, Enter choose, Esc back)',
  fieldHelp: '(↑↓ move, type to edit, Space toggles, Enter continue, Esc back)',
  services: 'Services',
  contacts: 'Contacts',
  on: '[x] on',
  off: '[ ] off',
  label: {
    code: 'Code',
    name: 'Name',
    source: 'Decree (source)',
    email: 'Email',
    accounts: 'Mailboxes (roles, comma-separated)',
    mailQuota: 'Mailbox quota',
    storage: 'Storage',
    storageQuota: 'Storage quota',
    subdomain: 'Subdomain',
    template: 'Site template',
    siteUrl: 'Site address (url)',
    kepalaName: 'Kepala desa: name',
    kepalaPhone: 'Kepala desa: phone',
    kepalaEmail: 'Kepala desa: email',
    operatorName: 'Operator: name',
    operatorPhone: 'Operator: phone',
    operatorEmail: 'Operator: email',
  },
  problem: {
    code: 'write an official code such as 32.16.06.2002',
    required: 'needed',
    roles: (bad) => `"${bad}" is not a role: write lower-case words joined by hyphens, comma-separated, such as kepala-desa,operator`,
    roleTwice: (role) => `the role ${role} is listed twice`,
    noRoles: 'write at least one role, or turn Email off',
    size: 'write a size such as 500Mi, 2Gi or 1Ti',
    sizeMeant: (size) => `did you mean ${size}?`,
    url: 'write the full address, starting with https://',
    phone: 'write a phone number such as +62 812 3456 7890',
    email: 'write an email address such as name@example.go.id',
    tooLong: (max) => `at most ${max} characters`,
  },
  fixFirst: (n) => `Fix the ${n} field(s) marked ✘ first, then press Enter.`,
  confirm: {
    add: (who, file, slug) => `This will add ${who} to ${file} as ${slug}:`,
    update: (who, file) => `This will update ${who} in ${file}:`,
  },
  notSet: '(not set)',
  removed: '(removed)',
  nothingToChange: 'Nothing to change: desa.yaml already says all of this.',
  back: 'Esc: back',
  backToChange: 'Esc: back to change it',
  writeOrBack: 'Enter or y: write it · Esc or n: back',
  moreLines: (n) => `… ${n} more lines`,
  cancelled: 'Cancelled; nothing was written.',
};

export const FORM_TEXT: Record<FormLang, FormText> = { id, en };
