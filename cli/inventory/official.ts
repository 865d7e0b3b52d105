// The official list of region codes (Kepmendagri), read from CSV. Both the project's Bekasi copy
// (kode,nama,jenis,kode_kecamatan,kecamatan) and the national file
// (kode,nama,jenis,kecamatan,kabupaten_kota,provinsi) are accepted.
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
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
  const rows = parse(text, { columns: true, skip_empty_lines: true, trim: true, bom: true }) as Record<string, string>[];
  const first = rows[0];
  if (!first) throw new OfficialListError(`${file} has no rows`);
  for (const col of REQUIRED) {
    if (!(col in first)) throw new OfficialListError(`${file} has no column "${col}" (expected kode,nama,jenis,kecamatan)`);
  }
  const units = new Map<string, OfficialUnit>();
  const kecamatan = new Map<string, string>();
  rows.forEach((r, i) => {
    const code = r.kode!;
    const jenis = r.jenis;
    if (!/^\d{2}\.\d{2}\.\d{2}\.\d{4}$/.test(code) || (jenis !== 'desa' && jenis !== 'kelurahan')) {
      throw new OfficialListError(`${file}:${i + 2}: expected a code like 32.16.06.2002 and jenis desa|kelurahan`);
    }
    const kecamatanCode = code.slice(0, 8);
    const u: OfficialUnit = { code, name: r.nama!, kind: jenis, kecamatanCode, kecamatan: r.kecamatan! };
    if (r.kabupaten_kota) u.kabupatenKota = r.kabupaten_kota;
    if (r.provinsi) u.provinsi = r.provinsi;
    units.set(code, u);
    kecamatan.set(kecamatanCode, u.kecamatan);
  });
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

/** The kind a code implies: the fourth segment starts with 1 for a kelurahan and 2 for a desa. */
export function kindOfCode(code: string): Kind | undefined {
  const d = code.charAt(9);
  return d === '1' ? 'kelurahan' : d === '2' ? 'desa' : undefined;
}
