// The readiness column: what the last `desa check` found per desa (.desa/check.json), in every format.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { AS_OF, realInventory } from '../../test/fixtures/report.ts';
import { DESA_BIN, tempInventory } from '../../test/helpers/inventory.ts';
import { writeLastCheck } from '../check/last-check.ts';
import { buildReport, type CheckedUnit } from './model.ts';
import { renderReport } from './render.ts';
import { renderTerminal } from './render-terminal.ts';
import { reportSchema } from './schema.ts';

const checked = new Map<string, CheckedUnit>([
  ['sumberjaya', { checkedAt: '2026-12-04T03:20:00.000Z', ready: true, failures: [] }],
  ['karangmukti', { checkedAt: '2026-12-04T03:21:00.000Z', ready: false, failures: [{ check: 'dns' }, { check: 'site' }] }],
]);
const data = buildReport(realInventory(), { asOf: AS_OF, readiness: checked });

describe('readiness in the report', () => {
  it('per unit: ready, not ready with the failing checks, or not checked; counted with the latest time', () => {
    const unit = (slug: string) => data.units.find((u) => u.slug === slug)!.readiness;
    expect(unit('sumberjaya')).toEqual({ state: 'ready', checkedAt: '2026-12-04T03:20:00.000Z', failing: [] });
    expect(unit('karangmukti')).toEqual({ state: 'not-ready', checkedAt: '2026-12-04T03:21:00.000Z', failing: ['dns', 'site'] });
    expect(unit('lambangsari')).toEqual({ state: 'not-checked', checkedAt: null, failing: [] });
    expect(data.readiness).toEqual({ checkedAt: '2026-12-04T03:21:00.000Z', ready: 1, notReady: 1, notChecked: 185 });
    expect(() => reportSchema.parse(data)).not.toThrow();
  });

  it('markdown and terminal: the counts, the desa not ready with what fails, when it was checked', () => {
    const md = renderReport(data, 'markdown', { lang: 'id' });
    expect(md).toContain('## Kesiapan layanan\n1 siap, 1 belum siap, 185 belum diperiksa\n');
    expect(md).toContain('| Karangmukti | Karang Bahagia | belum siap: DNS, situs |');
    expect(md).toContain('Pemeriksaan langsung terakhir (desa check): 4 Desember 2026 03:21 UTC.');
    const en = renderReport(data, 'markdown', { lang: 'en' });
    expect(en).toContain('| Karangmukti | Karang Bahagia | not ready: DNS, site |');
    const terminal = renderReport(data, 'terminal', { lang: 'id', columns: 100, terminal: renderTerminal });
    expect(terminal).toContain('1 siap, 1 belum siap, 185 belum diperiksa');
    expect(terminal).toContain('! Karangmukti (Karang Bahagia): belum siap: DNS, situs');
    const never = renderReport(buildReport(realInventory(), { asOf: AS_OF }), 'markdown', { lang: 'id' });
    expect(never).toContain('0 siap, 0 belum siap, 187 belum diperiksa');
    expect(never).toContain('Belum pernah diperiksa: jalankan desa check');
  });

  it("html: each unit's readiness in the list of every unit (under its site: A4 has no room for a column), and the section", () => {
    const html = renderReport(data, 'html', { lang: 'id' });
    const table = html.slice(html.indexOf('<table id="units-table"'), html.indexOf('</table>', html.indexOf('<table id="units-table"')));
    expect(table).toContain('<th>Situs · Subdomain · Kesiapan</th>');
    const row = (name: string) => table.slice(table.indexOf(`${name}<br>`), table.indexOf('</tr>', table.indexOf(`${name}<br>`)));
    expect(row('Karangmukti')).toContain('<br><span class="flag">belum siap: DNS, situs</span></td>');
    expect(row('Sumberjaya')).toMatch(/<br>siap<\/td>$/);
    // Not checked is "not known yet", the table's "?".
    expect(row('Lambangsari')).toContain('<br><span class="note">kesiapan ?</span></td>');
    expect(html).toContain('<section id="kesiapan"><h2>Kesiapan layanan</h2>');
  });

  it('csv: readiness, readinessCheckedAt, readinessFailing', () => {
    const rows = parse(renderReport(data, 'csv', { lang: 'id' }), { columns: true }) as Record<string, string>[];
    expect(rows.find((r) => r.slug === 'karangmukti')).toMatchObject({ readiness: 'not-ready', readinessCheckedAt: '2026-12-04T03:21:00.000Z', readinessFailing: 'dns;site' });
    expect(rows.find((r) => r.slug === 'lambangsari')).toMatchObject({ readiness: 'not-checked', readinessCheckedAt: '', readinessFailing: '' });
  });

  it('desa report reads .desa/check.json beside desa.yaml; --no-state leaves it out', () => {
    const { dir, file } = tempInventory();
    writeLastCheck(join(dir, '.desa', 'check.json'), {
      version: 1,
      units: { karangmukti: { checkedAt: '2026-12-04T03:21:00.000Z', ready: false, failures: [{ check: 'mail', detail: `karangmukti.operator@desa.bekasikab.go.id: the login is refused` }] } },
    });
    const run = (args: string[]) => spawnSync(DESA_BIN, ['report', '--file', file, '--format', 'json', ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    const r = run([]);
    expect(r.status, r.stderr).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.units.find((u: { slug: string }) => u.slug === 'karangmukti').readiness).toEqual({ state: 'not-ready', checkedAt: '2026-12-04T03:21:00.000Z', failing: ['mail'] });
    expect(json.readiness).toEqual({ checkedAt: '2026-12-04T03:21:00.000Z', ready: 0, notReady: 1, notChecked: 186 });
    expect(JSON.parse(run(['--no-state']).stdout).readiness.notChecked).toBe(187);
  });
});
