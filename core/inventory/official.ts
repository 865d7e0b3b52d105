// The official list of region codes (Kepmendagri), read from CSV. Both a kabupaten's extract, as
// data/kepmendagri-2025-bekasi.csv and those `desa init` writes (kode,nama,jenis,kode_kecamatan,kecamatan),
// and the flat national table
// (kode,nama,jenis,kecamatan,kabupaten_kota,provinsi) are accepted.
import { readFileSync } from 'node:fs';
import Papa from 'papaparse';
import type { Kind } from './schema.ts';

export interface OfficialUnit {
  code: string;
  name: string;
  kind: Kind;
  kecamatanCode: string;
  kecamatan: string;
  kabupatenKota?: string;
  provinsi?: string;
}

export interface OfficialList {
  units: Map<string, OfficialUnit>;
  /** Kecamatan name by kecamatan code (first three segments). */
  kecamatan: Map<string, string>;
}

const REQUIRED = ['kode', 'nama', 'jenis', 'kecamatan'] as const;

export class OfficialListError extends Error {}

export function parseOfficialList(text: string, file: string): OfficialList {
  // Rows as arrays, columns found by header name. Papa Parse: the national file (83,762 rows) in about
  // a third of csv-parse's time, which `desa validate` of a national inventory pays on every run.
  const parsed = Papa.parse<string[]>(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, { delimiter: ',', skipEmptyLines: true });
  const broken = parsed.errors.find((e) => e.type === 'Quotes');
  if (broken) throw new OfficialListError(`${file}:${(broken.row ?? 0) + 1}: ${broken.message}`);
  const rows = parsed.data;
  const header = (rows[0] ?? []).map((h) => h.trim());
  if (rows.length < 2) throw new OfficialListError(`${file} has no rows`);
  const col = (name: string) => header.indexOf(name);
  for (const name of REQUIRED) {
    if (col(name) < 0) throw new OfficialListError(`${file} has no column "${name}" (expected kode,nama,jenis,kecamatan)`);
  }
  const [iKode, iNama, iJenis, iKec, iKab, iProv] = ['kode', 'nama', 'jenis', 'kecamatan', 'kabupaten_kota', 'provinsi'].map(col) as number[];
  const units = new Map<string, OfficialUnit>();
  const kecamatan = new Map<string, string>();
  for (let i = 1; i < rows.length; i++) {
    const r = rows[i]!.map((cell) => cell.trim());
    const code = r[iKode!]!;
    const jenis = r[iJenis!];
    if (!/^\d{2}\.\d{2}\.\d{2}\.\d{4}$/.test(code) || (jenis !== 'desa' && jenis !== 'kelurahan')) {
      throw new OfficialListError(`${file}:${i + 1}: expected a code like 32.16.06.2002 and jenis desa|kelurahan`);
    }
    const kecamatanCode = code.slice(0, 8);
    const u: OfficialUnit = { code, name: r[iNama!]!, kind: jenis, kecamatanCode, kecamatan: r[iKec!]! };
    if (iKab! >= 0 && r[iKab!]) u.kabupatenKota = r[iKab!]!;
    if (iProv! >= 0 && r[iProv!]) u.provinsi = r[iProv!]!;
    units.set(code, u);
    kecamatan.set(kecamatanCode, u.kecamatan);
  }
  return { units, kecamatan };
}

const cache = new Map<string, OfficialList>();

/** Reads and parses an official list once per process. */
export function loadOfficialList(path: string): OfficialList {
  let list = cache.get(path);
  if (!list) {
    list = parseOfficialList(readFileSync(path, 'utf8'), path);
    cache.set(path, list);
  }
  return list;
}

/**
 * The kind a code implies: the fourth segment starts with 1 for a kelurahan, 2 for a desa and 3 for a
 * desa adat (a desa too: the 14 of Kabupaten Jayapura, 91.03, in Kepmendagri 2025).
 */
export function kindOfCode(code: string): Kind | undefined {
  const d = code.charAt(9);
  return d === '1' ? 'kelurahan' : d === '2' || d === '3' ? 'desa' : undefined;
}
