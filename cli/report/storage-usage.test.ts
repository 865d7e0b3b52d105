// The file-space usage against quota (issue 13): what SFTPGo measured per desa, in the model and every
// format; unknown (never zero) when it was not measured; and `desa report` going on, with a warning,
// when the local SFTPGo does not answer. Reading the real SFTPGo after an upload: test/files.e2e.test.ts.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, describe, expect, it } from 'vitest';
import { AS_OF, realInventory } from '../../test/fixtures/report.ts';
import { DESA_BIN, tempInventory } from '../../test/helpers/inventory.ts';
import { portsFrom } from '../servers/ports.ts';
import { messages } from './i18n.ts';
import { buildReport, type MeasuredUsage } from './model.ts';
import { renderReport } from './render.ts';
import { renderTerminal } from './render-terminal.ts';
import { reportSchema } from './schema.ts';
import { readStorageUsage } from './storage-usage.ts';

const GiB = 2 ** 30;
const quota = { quotaBytes: 20 * GiB, quotaFiles: 200_000 };
const measured = new Map<string, MeasuredUsage>([
  ['sumberjaya', { bytes: Math.round(1.2 * GiB), files: 340, ...quota }],
  ['karangmukti', { bytes: 17 * GiB, files: 1200, ...quota }],
  // Near its file quota, not its size quota.
  ['lambangsari', { bytes: 5 * 2 ** 20, files: 190_000, ...quota }],
  ['sukadanau', { bytes: 0, files: 0, ...quota }],
]);
const MEASURED_AT = '2026-12-04T15:20:00.000Z';
const data = buildReport(realInventory(), { asOf: AS_OF, storageUsage: { measuredAt: MEASURED_AT, units: measured } });
const unmeasured = buildReport(realInventory(), { asOf: AS_OF });
const unit = (slug: string, d = data) => d.units.find((u) => u.slug === slug)!;
const render = (format: 'markdown' | 'html' | 'csv' | 'json' | 'terminal', d = data, lang: 'id' | 'en' = 'id') => renderReport(d, format, { lang, terminal: renderTerminal, columns: 120 });

describe('file-space usage in the report model', () => {
  it('per desa: bytes and files against the quotas SFTPGo enforces, as percentages', () => {
    expect(unit('karangmukti').storageUsage).toEqual({ bytes: 17 * GiB, files: 1200, quotaBytes: 20 * GiB, quotaFiles: 200_000, bytesPercent: 85, filesPercent: 0.6 });
    expect(unit('sukadanau').storageUsage).toMatchObject({ bytes: 0, bytesPercent: 0 });
    // A desa SFTPGo has no login for is not measured: null, not zero.
    expect(unit('sagara-makmur').storageUsage).toBeNull();
  });

  it('overall: desa measured, total used against total quota, and the desa at 80% or more of either quota, fullest first', () => {
    const s = data.storageUsage!;
    expect(s).toMatchObject({ source: 'sftpgo', measuredAt: MEASURED_AT, measured: 4, notMeasured: 179 - 4, quotaBytes: 80 * GiB, quotaFiles: 800_000, files: 191_540, nearQuotaPercent: 80 });
    expect(s.bytes).toBe(Math.round(1.2 * GiB) + 17 * GiB + 5 * 2 ** 20);
    expect(s.bytesPercent).toBeCloseTo((100 * s.bytes) / (80 * GiB), 2);
    expect(s.nearQuota.map((u) => [u.slug, u.bytesPercent, u.filesPercent])).toEqual([
      ['lambangsari', 0.02, 95],
      ['karangmukti', 85, 0.6],
    ]);
  });

  it('not measured: null overall and per unit, never zeros; the JSON validates either way', () => {
    expect(unmeasured.storageUsage).toBeNull();
    expect(unmeasured.units.every((u) => u.storageUsage === null)).toBe(true);
    expect(reportSchema.safeParse(JSON.parse(render('json', unmeasured))).success).toBe(true);
    const json = JSON.parse(render('json'));
    expect(reportSchema.safeParse(json).success).toBe(true);
    expect(json.storageUsage.nearQuota[1].name).toBe('Karangmukti');
  });

  it('a usage above a quota lowered below it is shown as it is (over 100%), and a login without a quota has no percentage', () => {
    const d = buildReport(realInventory(), {
      asOf: AS_OF,
      storageUsage: { measuredAt: MEASURED_AT, units: new Map([['sumberjaya', { bytes: 3 * GiB, files: 2, quotaBytes: 2 * GiB, quotaFiles: 1000 }], ['karangmukti', { bytes: GiB, files: 1, quotaBytes: null, quotaFiles: null }]]) },
    });
    expect(unit('sumberjaya', d).storageUsage!.bytesPercent).toBe(150);
    expect(unit('karangmukti', d).storageUsage).toMatchObject({ bytesPercent: null, filesPercent: null });
    // The total percentage is over the desa with a quota only.
    expect(d.storageUsage).toMatchObject({ bytes: 4 * GiB, quotaBytes: 2 * GiB, bytesPercent: 150 });
    expect(reportSchema.safeParse(d).success).toBe(true);
  });
});

describe('sizes for people', () => {
  it('binary units with at most one decimal, the decimal comma in Bahasa Indonesia', () => {
    const id = messages('id');
    const en = messages('en');
    expect([0, 512, 1536, Math.round(1.2 * GiB), 20 * GiB, 1023.96 * 1024].map(id.size)).toEqual(['0 B', '512 B', '1,5 KiB', '1,2 GiB', '20 GiB', '1 MiB']);
    expect(en.size(Math.round(1.25 * GiB))).toBe('1.3 GiB');
    expect(id.size(1536 * GiB)).toBe('1,5 TiB');
  });
});

describe('file-space usage in every format', () => {
  it('markdown: the section, the totals, the desa near the quota named, the fullest listed', () => {
    const md = render('markdown');
    expect(md).toContain('## Ruang berkas desa (SFTPGo)');
    expect(md).toContain('- Diukur langsung dari SFTPGo lokal pada 4 Desember 2026 15:20 UTC; 4 desa terukur.');
    expect(md).toMatch(/- Terpakai 18,2 GiB dari kuota 80 GiB \(22,8%\)\./);
    expect(md).toContain('⚠️ **Memakai 80% kuota atau lebih — perlu tambahan kuota atau dirapikan: Lambangsari (95%), Karangmukti (85%)**');
    expect(md).toContain('| ⚠️ Karangmukti | Karang Bahagia | 17 GiB dari 20 GiB (85%) | 1.200 dari 200.000 (0,6%) |');
    expect(md).toContain('| Sumberjaya | Tambun Selatan | 1,2 GiB dari 20 GiB (6%) | 340 dari 200.000 (0,2%) |');
    const en = render('markdown', data, 'en');
    expect(en).toContain('## Desa file space (SFTPGo)');
    expect(en).toContain('18.2 GiB used of a 80 GiB quota');
    expect(en).not.toContain('Terpakai');
  });

  it('markdown and terminal, not measured: says so, with no number', () => {
    const md = render('markdown', unmeasured);
    const section = md.slice(md.indexOf('## Ruang berkas desa (SFTPGo)'), md.indexOf('## Kesiapan layanan'));
    expect(section).toContain('Pemakaian ruang berkas belum diukur');
    expect(section).not.toMatch(/\d/);
    expect(render('terminal', unmeasured)).toContain('Pemakaian ruang berkas belum diukur');
  });

  it('terminal: the totals and the desa near the quota', () => {
    const text = render('terminal');
    expect(text).toContain('Ruang berkas desa (SFTPGo)');
    expect(text).toContain('Terpakai 18,2 GiB dari kuota 80 GiB');
    expect(text).toMatch(/! Karangmukti\s+Karang Bahagia\s+17 GiB dari 20 GiB \(85%\)/);
  });

  it("html: the section, and each measured desa's usage under its quota in the list of every unit", () => {
    const html = render('html');
    expect(html).toContain('<section id="ruang-berkas"><h2>Ruang berkas desa (SFTPGo)</h2>');
    expect(html).toContain('<p class="caveat" id="near-quota">Memakai 80% kuota atau lebih');
    const row = html.slice(html.indexOf('Karangmukti<br>'), html.indexOf('</tr>', html.indexOf('Karangmukti<br>')));
    expect(row).toContain('20Gi<br><span class="note">17 GiB dari 20 GiB (85%)</span>');
    expect(render('html', unmeasured)).not.toContain('id="storage-usage"');
  });

  it('csv: used and quota bytes and files, and the percentages, per unit; empty cells when not measured', () => {
    const rows = parse(render('csv'), { columns: true }) as Record<string, string>[];
    expect(rows.find((r) => r.slug === 'karangmukti')).toMatchObject({
      storageUsedBytes: String(17 * GiB),
      storageQuotaBytes: String(20 * GiB),
      storageUsedPercent: '85',
      storageUsedFiles: '1200',
      storageQuotaFiles: '200000',
      storageFilesPercent: '0.6',
    });
    expect(rows.find((r) => r.slug === 'sagara-makmur')).toMatchObject({ storageUsedBytes: '', storageUsedPercent: '', storageUsedFiles: '' });
  });
});

describe('desa report reads the local SFTPGo', () => {
  const children: number[] = [];
  afterAll(() => {
    for (const pid of children) process.kill(pid);
  });

  it('no local servers here (a national inventory, CI): not read, nothing to wait for', async () => {
    const { file } = tempInventory();
    const env = { ...process.env };
    delete env.DESA_STATE_DIR;
    const t0 = performance.now();
    expect(await readStorageUsage(file, env)).toBeUndefined();
    expect(performance.now() - t0).toBeLessThan(1000);
  });

  it('servers folder but SFTPGo not running: not measured, no warning', () => {
    const { dir, file } = tempInventory();
    const services = join(dir, '.desa', 'services');
    mkdirSync(services, { recursive: true });
    writeFileSync(join(services, 'state.json'), JSON.stringify({ version: 1, base: 40100, ports: portsFrom(40100), pids: {}, applied: {} }));
    const r = spawnSync(DESA_BIN, ['report', '--file', file, '--format', 'json'], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).storageUsage).toBeNull();
    expect(r.stderr).not.toMatch(/SFTPGo/);
  });

  it('an SFTPGo that does not answer: a warning on stderr after 5 s, and the report still renders, usage unknown; --no-state does not ask', async () => {
    const { dir, file } = tempInventory();
    const services = join(dir, '.desa', 'services');
    mkdirSync(join(services, 'files'), { recursive: true });
    mkdirSync(join(services, 'secrets'), { recursive: true });
    writeFileSync(join(services, 'secrets', 'sftpgo-admin-password'), 'geheim-admin-password-123\n', { mode: 0o600 });
    // A hung server: it accepts the connection and never answers. Started in the servers' folder, so it
    // is this folder's SFTPGo as the supervisor sees it (its pid recorded, its working directory inside).
    const hung = spawn(process.execPath, ['-e', "const s=require('net').createServer(()=>{}).listen(0,'127.0.0.1',()=>console.log(s.address().port))"], { cwd: join(services, 'files'), stdio: ['ignore', 'pipe', 'inherit'] });
    children.push(hung.pid!);
    const port = Number(await new Promise<string>((ok) => hung.stdout!.once('data', (b: Buffer) => ok(b.toString().trim()))));
    writeFileSync(join(services, 'state.json'), JSON.stringify({ version: 1, base: 40200, ports: { ...portsFrom(40200), files: port }, pids: { sftpgo: hung.pid }, applied: {} }));
    const run = (args: string[]) => spawnSync(DESA_BIN, ['report', '--file', file, '--format', 'markdown', ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    const t0 = performance.now();
    const r = run([]);
    const seconds = (performance.now() - t0) / 1000;
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain(`file-space usage not measured: the local SFTPGo on port ${port} did not answer (no answer within 5 s)`);
    expect(r.stderr).not.toContain('geheim-admin-password');
    expect(r.stdout).toContain('Pemakaian ruang berkas belum diukur');
    expect(seconds).toBeGreaterThanOrEqual(5);
    expect(seconds).toBeLessThan(30);
    const quick = run(['--no-state']);
    expect(quick.status).toBe(0);
    expect(quick.stderr).not.toMatch(/SFTPGo/);
  }, 60_000);
});
