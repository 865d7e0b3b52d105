// The words of the init form, Bahasa Indonesia first (`desa init --lang en` for English), as the onboard
// form has them: a person filling it in never sees a flag.
import type { FormLang } from '../onboard/form-text.ts';
import type { FieldListText } from '../onboard/field-list.ts';

export interface InitFormText extends FieldListText {
  title: string;
  page: string;
  label: Record<'kabupaten' | 'domain' | 'operator' | 'targetDue' | 'targetCoverage' | 'kelurahanServices', string>;
  problem: {
    required: string;
    noCode: (code: string, range?: string) => string;
    tooDeep: (level: 'kecamatan' | 'desa or kelurahan', within?: string) => string;
    ambiguous: (candidates: string[]) => string;
    provinsi: (some: string[]) => string;
    noName: (near: string[]) => string;
    domain: string;
    date: string;
    coverage: string;
    tooLong: (max: number) => string;
    unknown: string;
  };
  confirm: {
    intro: (file: string, region: string) => string;
    units: (units: number, desa: number, kelurahan: number, kecamatan: number) => string;
    list: (file: string, fresh: boolean) => string;
    domain: (domain: string) => string;
    operator: (operator: string) => string;
    target: (description: string) => string;
    kelurahan: (on: boolean) => string;
  };
  backToChange: string;
  writeOrBack: string;
  cancelled: string;
}

const id: InitFormText = {
  title: 'Buat desa.yaml untuk satu kabupaten atau kota',
  page: 'Isian',
  fieldHelp: '(↑↓ pindah, ketik untuk mengubah, Spasi aktif/nonaktif, Enter lanjut, Esc batal)',
  on: '[x] aktif',
  off: '[ ] nonaktif',
  fixFirst: (n) => `Perbaiki dulu ${n} isian yang ditandai ✘, lalu tekan Enter.`,
  label: {
    kabupaten: 'Kabupaten/kota (kode atau nama)',
    domain: 'Domain (subdomain dan surel desa)',
    operator: 'Pengelola (dinas)',
    targetDue: 'Target terhubung internet paling lambat (YYYY-MM-DD)',
    targetCoverage: 'Target cakupan (persen)',
    kelurahanServices: 'Kelurahan juga mendapat surel dan penyimpanan',
  },
  problem: {
    required: 'wajib diisi',
    noCode: (code, range) => `tidak ada kabupaten/kota berkode ${code}${range ? `; kode di provinsi itu ${range}` : ''}`,
    tooDeep: (level, within) => `itu kode ${level === 'kecamatan' ? 'kecamatan' : 'desa atau kelurahan'}${within ? ` di ${within}: tulis kode kabupaten/kotanya` : ''}`,
    ambiguous: (c) => `cocok dengan ${c.length}: ${c.join('; ')}; tulis nama lengkap atau kodenya`,
    provinsi: (some) => `itu provinsi; tulis satu kabupaten atau kotanya, misalnya ${some.join(', ')}`,
    noName: (near) => (near.length ? `tidak ada kabupaten/kota dengan nama itu; maksudnya ${near.join(' atau ')}?` : 'tidak ada kabupaten/kota dengan nama itu; tulis kodenya (misalnya 32.16) atau nama lengkapnya'),
    domain: 'tulis nama domain dengan huruf kecil, seperti desa.contohkab.go.id',
    date: 'tulis tanggal seperti 2026-12-31',
    coverage: 'tulis angka lebih dari 0 sampai 100',
    tooLong: (max) => `paling banyak ${max} karakter`,
    unknown: '"unknown" berarti nilainya tidak diketahui; tulis nilai sebenarnya',
  },
  confirm: {
    intro: (file, region) => `Ini akan menulis ${file} untuk ${region}:`,
    units: (units, desa, kelurahan, kecamatan) => `${units} unit (${desa} desa, ${kelurahan} kelurahan) di ${kecamatan} kecamatan, masing-masing dengan slug tetap`,
    list: (file, fresh) => `daftar resmi (Kepmendagri 2025): ${file}${fresh ? '' : ' (sudah ada, isinya sama)'}`,
    domain: (d) => `domain: ${d}`,
    operator: (o) => `pengelola: ${o}`,
    target: (t) => `target: ${t}`,
    kelurahan: (on) => `kelurahan: surel dan penyimpanan ${on ? 'aktif' : 'nonaktif'}`,
  },
  backToChange: 'Esc: kembali untuk mengubahnya',
  writeOrBack: 'Enter atau y: tulis · Esc atau n: kembali',
  cancelled: 'Dibatalkan; tidak ada yang ditulis.',
};

const en: InitFormText = {
  title: 'Write desa.yaml for one kabupaten or kota',
  page: 'Fields',
  fieldHelp: '(↑↓ move, type to edit, Space toggles, Enter continue, Esc cancel)',
  on: '[x] on',
  off: '[ ] off',
  fixFirst: (n) => `Fix the ${n} field(s) marked ✘ first, then press Enter.`,
  label: {
    kabupaten: 'Kabupaten/kota (code or name)',
    domain: 'Domain (desa subdomains and mail)',
    operator: 'Operator (the office)',
    targetDue: 'Connected to the internet by (YYYY-MM-DD)',
    targetCoverage: 'Target coverage (percent)',
    kelurahanServices: 'Kelurahan get mail and storage too',
  },
  problem: {
    required: 'needed',
    noCode: (code, range) => `no kabupaten or kota has the code ${code}${range ? `; that provinsi's codes run ${range}` : ''}`,
    tooDeep: (level, within) => `that is the code of a ${level}${within ? ` in ${within}: write its kabupaten's or kota's code` : ''}`,
    ambiguous: (c) => `fits ${c.length}: ${c.join('; ')}; write the full name or the code`,
    provinsi: (some) => `that is a provinsi; write one of its kabupaten or kota, such as ${some.join(', ')}`,
    noName: (near) => (near.length ? `no kabupaten or kota of that name; did you mean ${near.join(' or ')}?` : 'no kabupaten or kota of that name; write its code (such as 32.16) or its full name'),
    domain: 'write a domain name in lower case, such as desa.contohkab.go.id',
    date: 'write a date such as 2026-12-31',
    coverage: 'write a number above 0, up to 100',
    tooLong: (max) => `at most ${max} characters`,
    unknown: '"unknown" means a value is not known; write the real one',
  },
  confirm: {
    intro: (file, region) => `This will write ${file} for ${region}:`,
    units: (units, desa, kelurahan, kecamatan) => `${units} units (${desa} desa, ${kelurahan} kelurahan) in ${kecamatan} kecamatan, each with a pinned slug`,
    list: (file, fresh) => `official list (Kepmendagri 2025): ${file}${fresh ? '' : ' (already there, the same)'}`,
    domain: (d) => `domain: ${d}`,
    operator: (o) => `operator: ${o}`,
    target: (t) => `target: ${t}`,
    kelurahan: (on) => `kelurahan: mail and storage ${on ? 'on' : 'off'}`,
  },
  backToChange: 'Esc: back to change it',
  writeOrBack: 'Enter or y: write it · Esc or n: back',
  cancelled: 'Cancelled; nothing was written.',
};

export const INIT_FORM_TEXT: Record<FormLang, InitFormText> = { id, en };
