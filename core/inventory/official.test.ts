import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { NATIONAL_CSV } from '../../test/helpers/inventory.ts';
import { OfficialListError, parseOfficialList } from './official.ts';

describe('reading the official list (CSV)', () => {
  it('reads the national table: every unit, names with quoted commas whole', () => {
    const list = parseOfficialList(readFileSync(NATIONAL_CSV, 'utf8'), NATIONAL_CSV);
    expect(list.units.size).toBe(83_762);
    expect(list.kecamatan.size).toBe(7_285);
    expect(list.units.get('12.07.28.1007')).toEqual({
      code: '12.07.28.1007',
      name: 'Lubuk Pakam I,II',
      kind: 'kelurahan',
      kecamatanCode: '12.07.28',
      kecamatan: 'Lubuk Pakam',
      kabupatenKota: 'Kabupaten Deli Serdang',
      provinsi: 'Sumatera Utara',
    });
  });

  it('takes a spreadsheet export as it comes: byte-order mark, CRLF, blank lines, padded cells', () => {
    const list = parseOfficialList('\ufeffkode,nama,jenis,kecamatan\r\n32.16.06.2010, Sumberjaya ,desa,"Tambun Selatan"\r\n\r\n', 'x.csv');
    expect([...list.units.values()]).toEqual([{ code: '32.16.06.2010', name: 'Sumberjaya', kind: 'desa', kecamatanCode: '32.16.06', kecamatan: 'Tambun Selatan' }]);
  });

  it('names the line of a broken quote, a bad code and a missing column', () => {
    const head = 'kode,nama,jenis,kecamatan\n32.16.06.2009,Lambangsari,desa,Tambun Selatan\n';
    expect(() => parseOfficialList(`${head}32.16.06.2010,"Sumberjaya,desa,Tambun Selatan\n`, 'x.csv')).toThrow(new OfficialListError('x.csv:3: Quoted field unterminated'));
    expect(() => parseOfficialList(`${head}32.16.6.2010,Sumberjaya,desa,Tambun Selatan\n`, 'x.csv')).toThrow(/^x\.csv:3: expected a code like/);
    expect(() => parseOfficialList('kode,nama,jenis\n32.16.06.2010,Sumberjaya,desa\n', 'x.csv')).toThrow('x.csv has no column "kecamatan"');
  });
});
