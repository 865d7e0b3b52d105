import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../paths.ts';
import { extractName, loadNationalList, NationalListError, parseNationalList, regionSlug, renderExtract, shapeOf } from './national.ts';
import { kindOfCode, parseOfficialList } from '../../core/inventory/official.ts';

const list = loadNationalList();
const regions = [...list.regions.values()];

describe('the national list (data/kepmendagri-2025-indonesia.csv)', () => {
  it('holds all of Kepmendagri 2025: 38 provinsi, 514 kabupaten and kota, 83,762 desa and kelurahan', () => {
    expect(list.provinces.size).toBe(38);
    expect(regions).toHaveLength(514);
    const units = regions.flatMap((r) => r.units);
    expect(units).toHaveLength(83_762);
    expect(units.filter((u) => u.kind === 'desa')).toHaveLength(75_266);
    expect(units.filter((u) => u.kind === 'kelurahan')).toHaveLength(8_496);
    expect(new Set(units.map((u) => u.kecamatanCode)).size).toBe(7_285);
    expect(list.regions.get('11.08')).toMatchObject({ name: 'Kabupaten Aceh Utara', provinsi: 'Aceh' });
    expect(shapeOf(list.regions.get('11.08')!)).toEqual({ units: 852, desa: 852, kelurahan: 0, kecamatan: 27, kinds: ['desa'] });
    expect(Math.max(...regions.map((r) => r.units.length))).toBe(852);
  });

  it("gives Kabupaten Bekasi's extract byte for byte as the project's Bekasi copy", () => {
    const bekasi = list.regions.get('32.16')!;
    expect(extractName(bekasi)).toBe('data/kepmendagri-2025-bekasi.csv');
    expect(renderExtract(bekasi.units)).toBe(readFileSync(join(ROOT, 'data/kepmendagri-2025-bekasi.csv'), 'utf8'));
    expect(shapeOf(bekasi)).toEqual({ units: 187, desa: 179, kelurahan: 8, kecamatan: 23, kinds: ['desa', 'kelurahan'] });
  });

  it('names each of the 514 extracts differently, and a kota apart from its kabupaten', () => {
    expect(new Set(regions.map(regionSlug)).size).toBe(514);
    expect(extractName(list.regions.get('32.75')!)).toBe('data/kepmendagri-2025-kota-bekasi.csv');
  });

  it('reads the desa adat of Kabupaten Jayapura (fourth segment 3…) as desa, and the extract reads back the same', () => {
    const jayapura = list.regions.get('91.03')!;
    const adat = jayapura.units.filter((u) => u.code.charAt(9) === '3');
    expect(adat).toHaveLength(14);
    expect(adat.every((u) => u.kind === 'desa' && u.name.startsWith('Desa Adat'))).toBe(true);
    expect(kindOfCode('91.03.01.3007')).toBe('desa');
    const back = parseOfficialList(renderExtract(jayapura.units), 'x.csv');
    expect([...back.units.values()].map((u) => [u.code, u.name, u.kind, u.kecamatan])).toEqual(jayapura.units.map((u) => [u.code, u.name, u.kind, u.kecamatan]));
  });

  it('keeps names with commas whole ("Lubuk Pakam I,II"), in the list and in the extract', () => {
    const u = list.regions.get('12.07')!.units.find((x) => x.code === '12.07.28.1007')!;
    expect(u.name).toBe('Lubuk Pakam I,II');
    expect(renderExtract([u])).toContain('12.07.28.1007,"Lubuk Pakam I,II",kelurahan');
  });

  it('refuses a list whose rows come before their parents, or are not codes', () => {
    expect(() => parseNationalList('kode,nama\n32.16,Kabupaten Bekasi\n', 'x.csv')).toThrow(NationalListError);
    expect(() => parseNationalList('kode,nama\n32,Jawa Barat\n32.16,Kabupaten Bekasi\n32.16.01.2001,Sagara Makmur\n', 'x.csv')).toThrow(/x\.csv:4: kecamatan 32\.16\.01/);
    expect(() => parseNationalList('kode,nama\nxx,Jawa Barat\n', 'x.csv')).toThrow(/x\.csv:2/);
    expect(() => parseNationalList('code,name\n', 'x.csv')).toThrow(/header kode,nama/);
  });
});
