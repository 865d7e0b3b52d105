// What desa tells an OpenSID instance about its desa, from the inventory and the official list, and the
// names its database, database user and system user take: plain data, shared by the stacks (which write
// them into the contract Secret, core/contract.ts OPENSID) and the services sync that provisions them.
import type { Inventory, Unit } from './inventory/model.ts';

/**
 * The 38 provinsi of the national official list (Kepmendagri No 300.2.2-2138 Tahun 2025), by code: the
 * level-0 rows of data/kepmendagri-2025-indonesia.csv (core/opensid.test.ts checks they agree).
 */
export const PROVINSI: Readonly<Record<string, string>> = {
  '11': 'Aceh',
  '12': 'Sumatera Utara',
  '13': 'Sumatera Barat',
  '14': 'Riau',
  '15': 'Jambi',
  '16': 'Sumatera Selatan',
  '17': 'Bengkulu',
  '18': 'Lampung',
  '19': 'Kepulauan Bangka Belitung',
  '21': 'Kepulauan Riau',
  '31': 'Daerah Khusus Ibukota Jakarta',
  '32': 'Jawa Barat',
  '33': 'Jawa Tengah',
  '34': 'Daerah Istimewa Yogyakarta',
  '35': 'Jawa Timur',
  '36': 'Banten',
  '51': 'Bali',
  '52': 'Nusa Tenggara Barat',
  '53': 'Nusa Tenggara Timur',
  '61': 'Kalimantan Barat',
  '62': 'Kalimantan Tengah',
  '63': 'Kalimantan Selatan',
  '64': 'Kalimantan Timur',
  '65': 'Kalimantan Utara',
  '71': 'Sulawesi Utara',
  '72': 'Sulawesi Tengah',
  '73': 'Sulawesi Selatan',
  '74': 'Sulawesi Tenggara',
  '75': 'Gorontalo',
  '76': 'Sulawesi Barat',
  '81': 'Maluku',
  '82': 'Maluku Utara',
  '91': 'Papua',
  '92': 'Papua Barat',
  '93': 'Papua Selatan',
  '94': 'Papua Tengah',
  '95': 'Papua Pegunungan',
  '96': 'Papua Barat Daya',
};

/** The code without dots (32.16.06.2003 → 3216062003): OpenSID's `kode_desa` and the names below. */
export const bareCode = (code: string) => code.replaceAll('.', '');

/**
 * One name for a desa's database, its database user and its system user (the PHP pool's):
 * `opensid_<code without dots>`, unique in Indonesia, 18 characters (MariaDB and useradd allow 32).
 */
export const opensidName = (code: string) => `opensid_${bareCode(code)}`;

/** The identity OpenSID keeps in its `config` table, as its own seeder writes it from pantau.opensid.my.id. */
export interface OpensidIdentity {
  nama_desa: string;
  kode_desa: string;
  nama_kecamatan: string;
  kode_kecamatan: string;
  nama_kabupaten: string;
  kode_kabupaten: string;
  nama_propinsi: string;
  kode_propinsi: string;
}

/** "Kabupaten Bekasi" → "Bekasi", "Kota Bekasi" → "Bekasi": OpenSID adds the word itself (hapus_kab_kota). */
export const withoutKabupatenWord = (name: string) => name.replace(/^(kabupaten|kab\.|kota)\s+/i, '');

/** The identity of a unit: names from the inventory, the provinsi from the official list, codes without dots. */
export function opensidIdentity(unit: Unit, kabupaten: Pick<Inventory['kabupaten'], 'name'>): OpensidIdentity {
  const provinsi = unit.code.slice(0, 2);
  const name = PROVINSI[provinsi];
  if (!name) throw new Error(`${unit.code}: provinsi ${provinsi} is not in the official list`);
  return {
    nama_desa: unit.name,
    kode_desa: bareCode(unit.code),
    nama_kecamatan: unit.kecamatan,
    kode_kecamatan: bareCode(unit.kecamatanCode),
    nama_kabupaten: withoutKabupatenWord(unit.kabupatenKota ?? kabupaten.name),
    kode_kabupaten: bareCode(unit.code.slice(0, 5)),
    nama_propinsi: name,
    kode_propinsi: provinsi,
  };
}
