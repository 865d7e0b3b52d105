// Writes the project's copy of the national official list, data/kepmendagri-2025-indonesia.csv, from a
// flat table with one row per desa/kelurahan (kode,nama,jenis,kecamatan,kabupaten_kota,provinsi: the
// shared reference file converted from cahyadsn/wilayah, db/wilayah.sql, MIT). The copy has one
// `kode,nama` row per provinsi, kabupaten/kota, kecamatan and desa/kelurahan, in code order, as the
// upstream dataset itself does; parents are named once instead of on every row (2.2 MB instead of 6.3).
// Checks that every row's kecamatan, kabupaten/kota, provinsi and jenis agree with its code.
//
//   bin/node scripts/generate-national-list.ts [../shared/data/indonesia-wilayah.csv] > data/kepmendagri-2025-indonesia.csv
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'csv-parse/sync';
import { kindOfCode } from '../core/inventory/official.ts';

export function nationalListFromTable(text: string, file: string): string {
  const rows = parse(text, { bom: true, skip_empty_lines: true, columns: true }) as Record<string, string>[];
  const names = new Map<string, string>();
  const set = (code: string, name: string, row: number) => {
    const before = names.get(code);
    if (before !== undefined && before !== name) throw new Error(`${file}:${row}: ${code} is "${name}" here and "${before}" above`);
    names.set(code, name);
  };
  rows.forEach((r, i) => {
    const row = i + 2;
    const code = r.kode ?? '';
    if (!/^\d{2}\.\d{2}\.\d{2}\.\d{4}$/.test(code)) throw new Error(`${file}:${row}: "${code}" is not a desa/kelurahan code`);
    if (kindOfCode(code) !== r.jenis) throw new Error(`${file}:${row}: jenis "${r.jenis}" does not match code ${code}`);
    for (const [c, n] of [[code.slice(0, 2), r.provinsi], [code.slice(0, 5), r.kabupaten_kota], [code.slice(0, 8), r.kecamatan], [code, r.nama]] as const) {
      if (!n) throw new Error(`${file}:${row}: no name for ${c}`);
      set(c, n, row);
    }
  });
  const cell = (s: string) => (/[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s);
  const lines = ['kode,nama', ...[...names].sort(([a], [b]) => (a < b ? -1 : 1)).map(([c, n]) => `${c},${cell(n)}`)];
  return `${lines.join('\n')}\n`;
}

if (import.meta.main) {
  const file = process.argv[2] ?? resolve(import.meta.dirname, '../../shared/data/indonesia-wilayah.csv');
  process.stdout.write(nationalListFromTable(readFileSync(file, 'utf8'), file));
}
