// The national official list (Kepmendagri No 300.2.2-2138 Tahun 2025), the project's copy in
// data/kepmendagri-2025-indonesia.csv: one `kode,nama` row per provinsi, kabupaten/kota, kecamatan and
// desa/kelurahan, in code order, the shape of the upstream dataset (cahyadsn/wilayah, db/wilayah.sql).
// Parents are not repeated on every row, which keeps the file at a third of a flat table.
// From it `desa init` takes one kabupaten or kota: its units, and the extract desa.yaml validates against.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { kindOfCode, type OfficialUnit } from '../../core/inventory/official.ts';
import { slugify } from '../../core/inventory/slug.ts';
import type { Kind } from '../../core/inventory/schema.ts';
import { ROOT } from '../paths.ts';

/** The decree the list comes from, as desa.yaml's `officialCodes.source` names it. */
export const OFFICIAL_SOURCE = 'Kepmendagri No 300.2.2-2138 Tahun 2025';

/** The project's copy, relative to the repository and as a path. */
export const NATIONAL_LIST_NAME = 'data/kepmendagri-2025-indonesia.csv';
export const NATIONAL_LIST = join(ROOT, NATIONAL_LIST_NAME);

export interface Region {
  /** Kabupaten/kota code, such as 32.16. */
  code: string;
  /** As the decree writes it: "Kabupaten Bekasi", "Kota Bekasi". */
  name: string;
  provinsi: string;
  provinsiCode: string;
  units: OfficialUnit[];
}

export interface NationalList {
  provinces: Map<string, string>;
  /** Kabupaten and kota by code, in code order. */
  regions: Map<string, Region>;
}

export class NationalListError extends Error {}

const LEVEL = [/^\d{2}$/, /^\d{2}\.\d{2}$/, /^\d{2}\.\d{2}\.\d{2}$/, /^\d{2}\.\d{2}\.\d{2}\.\d{4}$/];

/** Parses the `kode,nama` list; every code's parents must come before it. */
export function parseNationalList(text: string, file: string): NationalList {
  const rows = splitRows(text);
  if (rows[0]?.join(',') !== 'kode,nama') throw new NationalListError(`${file}: expected the header kode,nama`);
  const provinces = new Map<string, string>();
  const regions = new Map<string, Region>();
  const kecamatan = new Map<string, string>();
  for (let i = 1; i < rows.length; i++) {
    const [code = '', name = ''] = rows[i]!;
    const where = `${file}:${i + 1}`;
    const level = LEVEL.findIndex((re) => re.test(code));
    if (level < 0 || !name) throw new NationalListError(`${where}: expected a code such as 32, 32.16, 32.16.06 or 32.16.06.2002 and a name`);
    if (level === 0) {
      provinces.set(code, name);
      continue;
    }
    const provinsi = provinces.get(code.slice(0, 2));
    if (provinsi === undefined) throw new NationalListError(`${where}: provinsi ${code.slice(0, 2)} of ${code} is not listed before it`);
    if (level === 1) {
      regions.set(code, { code, name, provinsi, provinsiCode: code.slice(0, 2), units: [] });
      continue;
    }
    const region = regions.get(code.slice(0, 5));
    if (!region) throw new NationalListError(`${where}: kabupaten/kota ${code.slice(0, 5)} of ${code} is not listed before it`);
    if (level === 2) {
      kecamatan.set(code, name);
      continue;
    }
    const kecamatanCode = code.slice(0, 8);
    const kec = kecamatan.get(kecamatanCode);
    const kind = kindOfCode(code);
    if (kec === undefined || !kind) throw new NationalListError(`${where}: kecamatan ${kecamatanCode} of ${code} is not listed before it, or the code is neither a desa (2…) nor a kelurahan (1…)`);
    region.units.push({ code, name, kind, kecamatanCode, kecamatan: kec, kabupatenKota: region.name, provinsi });
  }
  return { provinces, regions };
}

/**
 * `kode,nama` rows. A plain split, four times faster than the CSV parser on 91,600 rows; the two names
 * that hold a comma ("Lubuk Pakam I,II") are quoted, and only such lines go through the parser.
 */
function splitRows(text: string): string[][] {
  const rows: string[][] = [];
  for (const line of text.replace(/^\uFEFF/, '').split(/\r?\n/)) {
    if (!line) continue;
    if (line.includes('"')) rows.push(...(parse(line) as string[][]));
    else {
      const comma = line.indexOf(',');
      rows.push(comma < 0 ? [line] : [line.slice(0, comma), line.slice(comma + 1)]);
    }
  }
  return rows;
}

let cached: NationalList | undefined;

/** The project's copy, read once per process. */
export function loadNationalList(): NationalList {
  cached ??= parseNationalList(readFileSync(NATIONAL_LIST, 'utf8'), NATIONAL_LIST_NAME);
  return cached;
}

/** How a region is made up, for messages and the generated file. */
export interface Shape {
  units: number;
  desa: number;
  kelurahan: number;
  kecamatan: number;
  kinds: Kind[];
}

export function shapeOf(region: Region): Shape {
  const desa = region.units.filter((u) => u.kind === 'desa').length;
  const kelurahan = region.units.length - desa;
  const kinds: Kind[] = [...(desa ? ['desa' as const] : []), ...(kelurahan ? ['kelurahan' as const] : [])];
  return { units: region.units.length, desa, kelurahan, kecamatan: new Set(region.units.map((u) => u.kecamatanCode)).size, kinds };
}

/** "Kabupaten Bekasi" → "bekasi", "Kota Bekasi" → "kota-bekasi": the extract's name, unique over the 514. */
export function regionSlug(region: Pick<Region, 'name'>): string {
  return slugify(region.name.replace(/^kabupaten\s+/i, ''));
}

/** Where `desa init` puts a region's extract, relative to desa.yaml (the Bekasi copy is data/kepmendagri-2025-bekasi.csv). */
export function extractName(region: Pick<Region, 'name'>): string {
  return `data/kepmendagri-2025-${regionSlug(region)}.csv`;
}

const cell = (s: string) => (/[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s);

/** A region's units as the per-kabupaten CSV desa.yaml points at (kode,nama,jenis,kode_kecamatan,kecamatan). */
export function renderExtract(units: readonly OfficialUnit[]): string {
  const lines = ['kode,nama,jenis,kode_kecamatan,kecamatan'];
  for (const u of [...units].sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0))) {
    lines.push([u.code, u.name, u.kind, u.kecamatanCode, u.kecamatan].map(cell).join(','));
  }
  return `${lines.join('\n')}\n`;
}
