import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadInventory } from './inventory/load.ts';
import { opensidIdentity, opensidName, PROVINSI, withoutKabupatenWord } from './opensid.ts';

const ROOT = join(import.meta.dirname, '..');

describe('what desa tells OpenSID about a desa', () => {
  it('knows the 38 provinsi exactly as the national official list names them', () => {
    const rows = readFileSync(join(ROOT, 'data/kepmendagri-2025-indonesia.csv'), 'utf8')
      .split('\n')
      .slice(1)
      .map((l) => l.split(','))
      .filter(([code]) => /^\d{2}$/.test(code ?? ''));
    expect(Object.entries(PROVINSI)).toEqual(rows.map(([code, name]) => [code, name]));
    expect(rows).toHaveLength(38);
  });

  it('names the database, its user and the system user after the code without dots', () => {
    expect(opensidName('32.16.06.2003')).toBe('opensid_3216062003');
    expect(opensidName('32.16.06.2003').length).toBeLessThanOrEqual(32);
  });

  it('gives the desa name, kecamatan, kabupaten without its word, and the provinsi from the code', () => {
    const { inventory } = loadInventory(join(ROOT, 'desa.yaml'));
    const unit = inventory.units.find((u) => u.slug === 'sumberjaya')!;
    expect(opensidIdentity(unit, inventory.kabupaten)).toEqual({
      nama_desa: 'Sumberjaya',
      kode_desa: '3216062010',
      nama_kecamatan: 'Tambun Selatan',
      kode_kecamatan: '321606',
      nama_kabupaten: 'Bekasi',
      kode_kabupaten: '3216',
      nama_propinsi: 'Jawa Barat',
      kode_propinsi: '32',
    });
    expect(['Kabupaten Aceh Utara', 'Kota Bekasi', 'Kab. Bogor'].map(withoutKabupatenWord)).toEqual(['Aceh Utara', 'Bekasi', 'Bogor']);
    expect(() => opensidIdentity({ ...unit, code: '99.01.01.2001' }, inventory.kabupaten)).toThrow(/provinsi 99/);
  });
});
