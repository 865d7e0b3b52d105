// End-to-end: `bin/desa import connectivity` on a copy of desa.yaml in a temporary directory.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const original = readFileSync(join(root, 'desa.yaml'), 'utf8');

function workspace(csv: string, name = 'survei.csv') {
  const dir = mkdtempSync(join(tmpdir(), 'desa-import-'));
  mkdirSync(join(dir, 'data'));
  copyFileSync(join(root, 'data/kepmendagri-2025-bekasi.csv'), join(dir, 'data/kepmendagri-2025-bekasi.csv'));
  writeFileSync(join(dir, 'desa.yaml'), original);
  writeFileSync(join(dir, name), csv);
  return {
    dir,
    read: () => readFileSync(join(dir, 'desa.yaml'), 'utf8'),
    desa: (...args: string[]) => {
      const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', DESA_TODAY: '2025-06-30' };
      delete env.FORCE_COLOR;
      const r = spawnSync(join(root, 'bin/desa'), args, { cwd: dir, encoding: 'utf8', env, timeout: 60_000 });
      return { code: r.status, stdout: r.stdout, stderr: r.stderr };
    },
  };
}

function gnuDiff(dir: string, before: string, after: string): string {
  writeFileSync(join(dir, 'before.yaml'), before);
  writeFileSync(join(dir, 'after.yaml'), after);
  return spawnSync('diff', ['-U0', 'before.yaml', 'after.yaml'], { cwd: dir, encoding: 'utf8' }).stdout.split('\n').slice(2).join('\n');
}

const SURVEY = [
  'Kode;Nama;Status;Tanggal_Terhubung;Teknologi;Bandwidth_Mbps;Penyedia;Uptime_Persen;Gangguan;Periode;Sumber;Catatan',
  '32.16.06.2002;Lambangsari;terhubung;01/05/2023;fiber optik;20,5;Telkom;99.5%;3;2024-01-01..2024-03-31;Survei Diskominfosantik 2024;',
  '32.16.06.2003;;belum;;;;;;;;;"Menunggu tiang; Q3"',
  '32.16.06.2004;Tambun;unknown;;;;tidak diketahui;;;;;',
  '',
].join('\r\n');

describe('desa import connectivity', () => {
  it('updates the records the survey names, leaving every other line as it was', () => {
    const w = workspace(SURVEY);
    const r = w.desa('import', 'connectivity', 'survei.csv');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('Lambangsari (32.16.06.2002, survei.csv:2)\n  status: unknown → connected\n  connectedOn: (not set) → 2023-05-01\n  technology: (not set) → fibre\n  bandwidthMbps: (not set) → 20.5');
    expect(r.stderr).toContain('Lambangjaya (32.16.06.2003, survei.csv:3)\n  status: unknown → not-connected\n  notes: (not set) → Menunggu tiang; Q3');
    expect(r.stderr).toContain('Updated desa.yaml: 2 desa, 11 field(s) changed; 1 row(s) already up to date.');
    expect(gnuDiff(w.dir, original, w.read())).toBe(
      [
        '@@ -361 +361,10 @@',
        '-      status: unknown',
        '+      status: connected',
        '+      connectedOn: 2023-05-01',
        '+      technology: fibre',
        '+      bandwidthMbps: 20.5',
        '+      provider: Telkom',
        '+      quality:',
        '+        uptimePercent: 99.5',
        '+        outages: 3',
        '+        period: 2024-01-01..2024-03-31',
        '+      source: Survei Diskominfosantik 2024',
        '@@ -368 +377,2 @@',
        '-      status: unknown',
        '+      status: not-connected',
        '+      notes: Menunggu tiang; Q3',
        '',
      ].join('\n'),
    );
    expect(w.desa('validate').code).toBe(0);
    // The same survey again has nothing left to change.
    const again = w.desa('import', 'connectivity', 'survei.csv');
    expect(again.code).toBe(0);
    expect(again.stderr).toContain('nothing to change in desa.yaml');
  });

  it('--dry-run shows the changes on stdout, as onboard --dry-run does, and writes nothing; --json too', () => {
    const w = workspace(SURVEY);
    const dry = w.desa('import', 'connectivity', 'survei.csv', '--dry-run');
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('Lambangsari (32.16.06.2002, survei.csv:2)\n  status: unknown → connected\n');
    expect(dry.stdout).toContain('Dry run: 2 desa, 11 field(s) changed; 1 row(s) already up to date. Nothing was written.');
    expect(dry.stderr).toBe('');
    expect(w.read()).toBe(original);

    const json = w.desa('import', 'connectivity', 'survei.csv', '--dry-run', '--json');
    expect(json.code).toBe(0);
    const out = JSON.parse(json.stdout);
    expect(out).toMatchObject({ ok: true, dryRun: true, written: false, rows: 3, unchanged: ['32.16.06.2004'] });
    expect(out.changes[1]).toEqual({
      code: '32.16.06.2003',
      name: 'Lambangjaya',
      line: 3,
      fields: [
        { field: 'status', column: 'Status', old: 'unknown', new: 'not-connected' },
        { field: 'notes', column: 'Catatan', old: null, new: 'Menunggu tiang; Q3' },
      ],
    });
    expect(w.read()).toBe(original);
  });

  it('reports every problem of the CSV at once, by line and column name, and writes nothing', () => {
    const csv = [
      'kode,status,tanggal_terhubung,teknologi,provder',
      '32.16.06.2002,terhubung,2023-02-30,fibre,',
      '32.16.06.2003,sudah lah,,kabel,',
      '32.16.06.2002,belum,,,',
      '32.16.06.9999,belum,,,',
      '',
    ].join('\n');
    const w = workspace(csv);
    const r = w.desa('import', 'connectivity', 'survei.csv');
    expect(r.code).toBe(3);
    const lines = r.stderr.split('\n').filter((l) => l.startsWith('survei.csv:'));
    expect(lines).toEqual([
      'survei.csv:1:41: provder: unknown column "provder"',
      'survei.csv:2:25: tanggal_terhubung: "2023-02-30" is not a date',
      'survei.csv:3:15: status: "sudah lah" is not a status',
      'survei.csv:4:1: kode: 32.16.06.2002 has a row already, on line 2',
      'survei.csv:5:1: kode: 32.16.06.9999 is not in desa.yaml nor in the official list',
    ]);
    expect(r.stderr).toContain('did you mean "provider"?');
    expect(r.stderr).toContain('error: survei.csv: 5 problems found; nothing was changed.');
    expect(r.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
    expect(w.read()).toBe(original);
  });

  it('reads a spreadsheet as Indonesians save it: a "No" column, header variants, 1.000 for a thousand', () => {
    const csv = [
      'No;Kode Desa;Nama Desa;Status Koneksi;Tgl. Terhubung;Bandwidth (Mbps);Uptime (%)',
      '1;32.16.06.2002;Lambangsari;Terhubung;01/05/2023;1.000;99,5',
      '2;32.16.06.2003;Lambangjaya;Belum;;;',
      '',
    ].join('\r\n');
    const w = workspace(csv);
    const r = w.desa('import', 'connectivity', 'survei.csv');
    expect(r.stderr).toContain('  bandwidthMbps: (not set) → 1000\n  quality.uptimePercent: (not set) → 99.5');
    expect(r.code).toBe(0);
    expect(w.read()).toContain('      bandwidthMbps: 1000\n');
  });

  it('refuses a number that could be read two ways, naming its cell, and writes nothing', () => {
    const w = workspace('kode;bandwidth_mbps\n32.16.06.2002;1,000\n');
    const r = w.desa('import', 'connectivity', 'survei.csv');
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('survei.csv:2:15: bandwidth_mbps: "1,000" could be 1000 or 1');
    expect(w.read()).toBe(original);
  });

  it('says so when the CSV file does not exist', () => {
    const w = workspace('');
    const r = w.desa('import', 'connectivity', 'missing.csv');
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('missing.csv does not exist.');
  });

  it('explains the accepted columns in --help', () => {
    const r = workspace('').desa('import', 'connectivity', '--help');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('tanggal_terhubung');
    expect(r.stdout).toContain('An empty cell keeps what desa.yaml says');
  });
});
