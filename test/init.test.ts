// desa init as a user runs it (bin/desa, no TTY): a new desa.yaml for kabupaten and kota of different
// shapes, each then checked with `desa validate` and reported with `desa report`; the name lookup; and
// every refusal (an existing file, a missing flag) writing nothing.
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { desa, STACK_TRACE } from './helpers/cli.ts';
import { DESA_BIN, OFFICIAL_CSV } from './helpers/inventory.ts';

const folder = () => mkdtempSync(join(tmpdir(), 'desa-init-cli-'));
const flags = (kabupaten: string, domain = 'desa.contohkab.go.id') => ['init', '--kabupaten', kabupaten, '--domain', domain, '--operator', 'Dinas Komunikasi dan Informatika Contoh', '--target-due', '2027-12-31'];
/** Every file under `dir`, relative, sorted. */
const files = (dir: string) =>
  readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)))
    .sort();

describe('desa init: any kabupaten or kota', () => {
  const shapes = [
    { what: 'a kota with only kelurahan', query: '32.75', name: 'Kota Bekasi', list: 'data/kepmendagri-2025-kota-bekasi.csv', units: 56, desa: 0, kelurahan: 56, kecamatan: 12 },
    { what: 'a kabupaten with only desa, the largest (852)', query: 'Aceh Utara', name: 'Kabupaten Aceh Utara', list: 'data/kepmendagri-2025-aceh-utara.csv', units: 852, desa: 852, kelurahan: 0, kecamatan: 27 },
    { what: 'a kota with only desa (gampong)', query: 'kota sabang', name: 'Kota Sabang', list: 'data/kepmendagri-2025-kota-sabang.csv', units: 18, desa: 18, kelurahan: 0, kecamatan: 3 },
    { what: 'a kabupaten with only kelurahan', query: '3101', name: 'Kabupaten Administrasi Kepulauan Seribu', list: 'data/kepmendagri-2025-administrasi-kepulauan-seribu.csv', units: 6, desa: 0, kelurahan: 6, kecamatan: 2 },
    { what: 'a mixed kabupaten with desa adat (Jayapura)', query: 'Kabupaten Jayapura', name: 'Kabupaten Jayapura', list: 'data/kepmendagri-2025-jayapura.csv', units: 144, desa: 139, kelurahan: 5, kecamatan: 19 },
  ];

  for (const s of shapes) {
    it(`${s.what}: ${s.name} is written, validates and reports`, () => {
      const dir = folder();
      const r = desa(flags(s.query), { cwd: dir });
      expect(r.stderr).not.toMatch(STACK_TRACE);
      expect(r.code).toBe(0);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain(`✔ Wrote desa.yaml: the ${s.units}`);
      expect(r.stderr).toContain(`of ${s.name} (`);
      expect(files(dir)).toEqual([s.list, 'desa.yaml']);
      const text = readFileSync(join(dir, 'desa.yaml'), 'utf8');
      expect(text).toContain(`  name: ${s.name}\n`);
      expect(text).toContain(`file: ${s.list}\n`);
      expect(text).toContain('source: Kepmendagri No 300.2.2-2138 Tahun 2025');
      expect(text).not.toMatch(/bekasikab|Diskominfosantik|32\.16\.|desa-digital-2022/);

      const v = desa(['validate', '--json'], { cwd: dir });
      expect(v.code).toBe(0);
      expect(JSON.parse(v.stdout)).toMatchObject({ ok: true, units: s.units, desa: s.desa, kelurahan: s.kelurahan, kecamatan: s.kecamatan, warnings: [] });

      const json = desa(['report', '--format', 'json'], { cwd: dir });
      expect(json.code).toBe(0);
      const report = JSON.parse(json.stdout);
      expect(report.kabupaten).toEqual({ name: s.name, domain: 'desa.contohkab.go.id', operator: 'Dinas Komunikasi dan Informatika Contoh', officialSource: 'Kepmendagri No 300.2.2-2138 Tahun 2025' });
      expect(report.units).toHaveLength(s.units);
      const md = desa(['report', '--format', 'markdown'], { cwd: dir });
      expect(md.code).toBe(0);
      expect(md.stdout).toContain(`**${s.name}**`);
    });
  }

  it("Kabupaten Bekasi beside the project's own list: the list is kept, the file is a new Bekasi inventory", () => {
    const dir = folder();
    mkdirSync(join(dir, 'data'));
    copyFileSync(OFFICIAL_CSV, join(dir, 'data/kepmendagri-2025-bekasi.csv'));
    const r = desa([...flags('kab bekasi', 'desa.bekasikab.go.id'), '--json'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: true, file: 'desa.yaml', officialList: { written: false }, kabupaten: { code: '32.16', name: 'Kabupaten Bekasi', provinsi: 'Jawa Barat' }, units: 187, desa: 179, kelurahan: 8, kecamatan: 23, next: 'desa validate --file desa.yaml' });
    expect(readFileSync(join(dir, 'data/kepmendagri-2025-bekasi.csv'), 'utf8')).toBe(readFileSync(OFFICIAL_CSV, 'utf8'));
    expect(desa(['validate'], { cwd: dir }).stderr).toContain('desa.yaml is valid: 187 units (179 desa, 8 kelurahan) in 23 kecamatan.');
  });

  it('writes where --out says, with the list beside it', () => {
    const dir = folder();
    const r = desa([...flags('32.75'), '--out', 'kota-bekasi/inventaris.yaml'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(files(dir)).toEqual(['kota-bekasi/data/kepmendagri-2025-kota-bekasi.csv', 'kota-bekasi/inventaris.yaml']);
    expect(desa(['validate', '--file', 'kota-bekasi/inventaris.yaml'], { cwd: dir }).code).toBe(0);
  });
});

describe('desa init: the kabupaten by name', () => {
  it('a near miss: did you mean, exit 2, nothing written', () => {
    const dir = folder();
    const r = desa(flags('Aceh Utra'), { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('error: --kabupaten "Aceh Utra": no kabupaten or kota of that name in Kepmendagri 2025.');
    expect(r.stderr).toContain('Did you mean Kabupaten Aceh Utara (11.08, Aceh)?');
    expect(r.stderr).not.toMatch(STACK_TRACE);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('a name that is a kabupaten and a kota: both named, exit 2', () => {
    const dir = folder();
    const r = desa(flags('Bekasi'), { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('"Bekasi" fits 2: Kabupaten Bekasi (32.16, Jawa Barat); Kota Bekasi (32.75, Jawa Barat).');
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('desa init: refusals write nothing', () => {
  it('refuses to overwrite an existing desa.yaml: exit 2, the file unchanged, no list written', () => {
    const dir = folder();
    writeFileSync(join(dir, 'desa.yaml'), 'mine\n');
    const r = desa(flags('32.75'), { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('error: desa.yaml already exists; desa init writes a new inventory and never replaces one. Nothing was written.');
    expect(r.stderr).not.toMatch(STACK_TRACE);
    expect(readFileSync(join(dir, 'desa.yaml'), 'utf8')).toBe('mine\n');
    expect(readdirSync(dir)).toEqual(['desa.yaml']);
  });

  it('refuses to replace a different official list beside it: exit 2, no desa.yaml', () => {
    const dir = folder();
    mkdirSync(join(dir, 'data'));
    writeFileSync(join(dir, 'data/kepmendagri-2025-kota-bekasi.csv'), 'kode,nama,jenis,kecamatan\n');
    const r = desa(flags('32.75'), { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('already exists with other content than the official list of Kota Bekasi');
    expect(existsSync(join(dir, 'desa.yaml'))).toBe(false);
    expect(readFileSync(join(dir, 'data/kepmendagri-2025-kota-bekasi.csv'), 'utf8')).toBe('kode,nama,jenis,kecamatan\n');
  });

  it('without a terminal, names every missing flag: exit 2, nothing written', () => {
    const dir = folder();
    const r = desa(['init', '--kabupaten', '32.75', '--operator', 'Dinas Kominfo Kota Bekasi'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('error: --domain, --target-due are needed, and there is no terminal to ask in.');
    expect(r.stderr).toContain('Pass --domain and --target-due, or run `desa init` in a terminal to be asked.');
    expect(r.stderr).not.toMatch(STACK_TRACE);
    expect(readdirSync(dir)).toEqual([]);
    const json = desa(['init', '--json'], { cwd: dir });
    expect(json.code).toBe(2);
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, error: expect.stringContaining('--kabupaten, --domain, --operator, --target-due are needed') });
    expect(readdirSync(dir)).toEqual([]);
  });

  it('a value the schema refuses is named by its flag: exit 2', () => {
    const dir = folder();
    const domain = desa([...flags('32.75').slice(0, 3), '--domain', 'Kelurahan Bekasi', '--operator', 'X', '--target-due', '2027-12-31'], { cwd: dir });
    expect(domain.code).toBe(2);
    expect(domain.stderr).toContain('error: --domain "kelurahan bekasi": expected a domain name in lower case, such as desa.contohkab.go.id.');
    const due = desa([...flags('32.75').slice(0, 7), '--target-due', '2027-02-30'], { cwd: dir });
    expect(due.code).toBe(2);
    expect(due.stderr).toContain('error: --target-due "2027-02-30": expected a date as YYYY-MM-DD');
    const coverage = desa([...flags('32.75'), '--target-coverage', '120'], { cwd: dir });
    expect(coverage.stderr).toContain('error: --target-coverage "120": expected at most 100.');
    expect(readdirSync(dir)).toEqual([]);
  });
});

/**
 * bin/desa on a real terminal: `script` (util-linux) gives it a pseudo-terminal, as a person's shell
 * would. `steps` wait for a text on the screen, then type; returns the exit code and the screen.
 */
function onTerminal(args: string[], cwd: string, steps: { when: string; type: string }[]): Promise<{ code: number | null; screen: string }> {
  const quoted = [DESA_BIN, ...args].map((a) => `'${a.replaceAll("'", "'\\''")}'`).join(' ');
  const { CI: _ci, ...env } = process.env;
  const child = spawn('script', ['-qfec', quoted, '/dev/null'], { cwd, env: { ...env, NO_COLOR: '1', TERM: 'xterm', COLUMNS: '200' } });
  let screen = '';
  let next = 0;
  const plain = () => screen.replace(/\x1b\[[0-9;?]*[a-zA-Z]/g, '');
  const advance = () => {
    const step = steps[next];
    if (step && plain().includes(step.when)) {
      next++;
      child.stdin.write(step.type);
    }
  };
  child.stdout.on('data', (d: Buffer) => {
    screen += d.toString();
    advance();
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), 25_000);
  return new Promise((done) =>
    child.on('close', (code) => {
      clearTimeout(timer);
      done({ code, screen: plain() });
    }),
  );
}

describe('desa init on a terminal: the form asks what the flags leave open', () => {
  it('asks for the domain, shows what it will write, writes on y', async () => {
    const dir = folder();
    const r = await onTerminal(['init', '--kabupaten', '32.75', '--operator', 'Dinas Kominfo Kota Bekasi', '--target-due', '2027-12-31', '--lang', 'en'], dir, [
      { when: '› Domain', type: 'kelurahan.bekasikota.go.id' },
      { when: 'mail): kelurahan.bekasikota.go.id', type: '\r' },
      { when: 'This will write desa.yaml for Kota Bekasi (32.75, Jawa Barat):', type: 'y' },
    ]);
    expect(r.screen).toContain('56 units (0 desa, 56 kelurahan) in 12 kecamatan');
    expect(r.screen).toContain('✔ Wrote desa.yaml: the 56 kelurahan of Kota Bekasi (32.75), in 12 kecamatan.');
    expect(r.code).toBe(0);
    expect(readFileSync(join(dir, 'desa.yaml'), 'utf8')).toContain('  domain: kelurahan.bekasikota.go.id\n');
    expect(desa(['validate'], { cwd: dir }).code).toBe(0);
  }, 30_000);

  it('Esc cancels: exit 130, nothing written', async () => {
    const dir = folder();
    const r = await onTerminal(['init'], dir, [{ when: 'Kabupaten/kota', type: '\x1b' }]);
    expect(r.screen).toContain('Dibatalkan; tidak ada yang ditulis.');
    expect(r.code).toBe(130);
    expect(readdirSync(dir)).toEqual([]);
  }, 30_000);
});
