import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadInventory } from '../../core/inventory/load.ts';
import { formatProblem } from '../../core/inventory/problems.ts';
import { parseCsv } from './csv.ts';
import { planImport } from './plan.ts';
import { initInventory } from '../../test/helpers/inventory.ts';

const loaded = loadInventory(fileURLToPath(new URL('../../desa.yaml', import.meta.url)));
// Tambun (32.16.06.2004) with a full record, to see what the survey keeps and replaces.
const raw = structuredClone(loaded.raw);
raw.units.find((u) => u.code === '32.16.06.2004')!.connectivity = {
  status: 'connected',
  connectedOn: '2022-08-01',
  provider: 'Telkom',
  quality: { period: '2024-01-01..2024-03-31' },
  notes: 'tiang di balai desa',
};

const run = (csv: string, opts: { source?: string } = {}) => planImport(parseCsv(csv, 'survei.csv'), 'survei.csv', raw, loaded.official, { today: '2025-06-30', ...opts });
const changes = (csv: string, opts: { source?: string } = {}) => {
  const { plan, problems } = run(csv, opts);
  expect(problems.map(formatProblem)).toEqual([]);
  return Object.fromEntries(plan.changes.map((u) => [u.code, Object.fromEntries(u.fields.map((f) => [f.field, [f.old, f.new]]))]));
};

describe('planImport', () => {
  it('keeps a field whose cell is empty, and records unknown only over a known value', () => {
    expect(changes('kode,penyedia,teknologi,tanggal_terhubung\n32.16.06.2004,,unknown,\n32.16.06.2003,tidak diketahui,radio,\n')).toEqual({
      // Tambun's technology was left out (already unknown): no change; its provider cell was empty: kept.
      '32.16.06.2003': { technology: [undefined, 'radio'] },
    });
    expect(changes('kode,penyedia\n32.16.06.2004,unknown\n')).toEqual({ '32.16.06.2004': { provider: ['Telkom', 'unknown'] } });
  });

  it('removes period, source and notes when they are said to be unknown (they have no unknown value)', () => {
    expect(changes('code,period,notes\n32.16.06.2004,unknown,Unknown\n')).toEqual({
      '32.16.06.2004': { 'quality.period': ['2024-01-01..2024-03-31', undefined], notes: ['tiang di balai desa', undefined] },
    });
  });

  it('records --source on each changed record whose row has no source of its own', () => {
    expect(changes('kode,status,sumber\n32.16.06.2003,terhubung,\n32.16.06.2005,belum,BAKTI 2024\n32.16.06.2004,connected,\n', { source: 'Survei 2025' })).toEqual({
      '32.16.06.2003': { status: ['unknown', 'connected'], source: [undefined, 'Survei 2025'] },
      '32.16.06.2005': { status: ['unknown', 'not-connected'], source: [undefined, 'BAKTI 2024'] },
    });
  });

  it('reports every problem at once, each at file:line:column with the column name', () => {
    const csv = [
      'Kode,Nama,Statuss,Tanggal_Terhubung,Gangguan',
      '32.16.06.2003,Lambangjaya,,2025-13-01,2',
      '32.16.06.2004,Lambangsari,,,x',
      '32.16.06.2003,,,,',
      '32.16.06.2098,,,,',
      '32.16.99.2001,,,,',
    ].join('\n');
    const { problems } = run(csv);
    expect(problems.map(formatProblem)).toEqual([
      'survei.csv:1:11: Statuss: unknown column "Statuss"\n    did you mean "status"?',
      'survei.csv:2:28: Tanggal_Terhubung: "2025-13-01" is not a date\n    Write dates as YYYY-MM-DD (2023-12-31) or DD/MM/YYYY (31/12/2023).',
      'survei.csv:3:15: Nama: "Lambangsari" is not the name of 32.16.06.2004, which is Tambun in desa.yaml\n    Lambangsari is 32.16.06.2002: check the code on this row.',
      'survei.csv:3:29: Gangguan: "x" is not a number\n    Write it as 1000, 1.000 (a point separates thousands) or 99,5 (a comma marks the decimals).',
      'survei.csv:4:1: Kode: 32.16.06.2003 has a row already, on line 2\n    Keep one row per desa.',
      'survei.csv:5:1: Kode: 32.16.06.2098 is not in desa.yaml nor in the official list\n    did you mean 32.16.06.2008 (Tridaya Sakti)?',
      'survei.csv:6:1: Kode: 32.16.99.2001 is not in desa.yaml nor in the official list\n    did you mean 32.16.09.2001 (Cikarangkota)?',
    ]);
  });

  it('refuses a connection date on a desa that the survey or the file says is not connected', () => {
    const dated = run('kode,status,tanggal_terhubung\n32.16.06.2003,belum,2024-02-01\n').problems;
    expect(dated.map((p) => [p.line, p.path[0], p.message])).toEqual([[2, 'tanggal_terhubung', 'a connection date (2024-02-01) is given but the status is "not-connected"']]);
    const fromFile = run('kode,status\n32.16.06.2004,belum\n').problems;
    expect(fromFile.map((p) => [p.line, p.path[0], p.message])).toEqual([[2, 'status', 'desa.yaml has a connection date (2022-08-01) but the status is "not-connected"']]);
    const future = run('kode,status,tanggal_terhubung\n32.16.06.2003,terhubung,2025-07-01\n').problems;
    expect(future.map((p) => p.message)).toEqual(['2025-07-01 is in the future (today is 2025-06-30)']);
  });

  it('ignores a numbering column, as most Indonesian spreadsheets have one', () => {
    for (const header of ['No', 'No.', 'Nomor', 'No Urut', '#']) {
      expect(changes(`${header};Kode;Status\n1;32.16.06.2003;terhubung\n2;32.16.06.2005;belum\n`)).toEqual({
        '32.16.06.2003': { status: ['unknown', 'connected'] },
        '32.16.06.2005': { status: ['unknown', 'not-connected'] },
      });
    }
  });

  it('recognises the headers surveys commonly use', () => {
    const csv = 'Kode Desa;Nama Desa/Kelurahan;Kec.;Status Koneksi;Tgl. Terhubung;Jenis Koneksi;Bandwidth (Mbps);ISP;Uptime (%);Jumlah Gangguan;Ket.\n' +
      '32.16.06.2003;Lambangjaya;Tambun Selatan;Terhubung;01/05/2023;Fiber Optik;1.000;Telkom;99,5;2;tiang baru\n';
    expect(changes(csv)).toEqual({
      '32.16.06.2003': {
        status: ['unknown', 'connected'],
        connectedOn: [undefined, '2023-05-01'],
        technology: [undefined, 'fibre'],
        bandwidthMbps: [undefined, 1000],
        provider: [undefined, 'Telkom'],
        'quality.uptimePercent': [undefined, 99.5],
        'quality.outages': [undefined, 2],
        notes: [undefined, 'tiang baru'],
      },
    });
  });

  it('names a header it does not understand, without errors that follow only from not reading that column', () => {
    // Read, the column would be the status; unread, the date would seem to lack one ("status unknown").
    const { problems } = run('kode,Lokasi,tanggal_terhubung\n32.16.06.2003,terhubung,2023-05-01\n');
    expect(problems.map(formatProblem)).toEqual([
      'survei.csv:1:6: Lokasi: unknown column "Lokasi"\n' +
        '    Rename it to one of the accepted headers, or delete the column: kode, nama, kecamatan, status, tanggal_terhubung, teknologi, bandwidth_mbps, penyedia, uptime_persen, gangguan, periode, sumber, catatan (a numbering column such as "No" is ignored).',
    ]);
  });

  it('places a number that could be read two ways at its cell', () => {
    expect(run('kode,bandwidth_mbps\n32.16.06.2003,"1,000"\n').problems.map(formatProblem)).toEqual([
      'survei.csv:2:15: bandwidth_mbps: "1,000" could be 1000 or 1: a comma before three digits separates thousands in English and marks the decimals in Indonesian\n' +
        '    For 1000 write 1.000 or 1000; for 1 write 1.',
    ]);
  });

  it('needs a kode column, and says so', () => {
    expect(run('nama,status\nTambun,terhubung\n').problems.map((p) => p.message)).toEqual(['no "kode" column: each row is matched to desa.yaml by the official code']);
  });

  it("shows codes of the inventory's own kabupaten as examples, not Bekasi's", async () => {
    const { file } = await initInventory('Kota Bekasi');
    const kota = loadInventory(file);
    const hints = (csv: string) => planImport(parseCsv(csv, 'survei.csv'), 'survei.csv', kota.raw, kota.official, { today: '2025-06-30' }).problems.map((p) => p.hint);
    expect(hints('nama,status\nMargahayu,terhubung\n')).toEqual(['Add a column "kode" with codes such as 32.75.01.1001.']);
    expect(hints('kode,status\n32750110,terhubung\n')[0]).toMatch(/^expected a code such as 32\.75\.01\.1001 /);
  });
});
