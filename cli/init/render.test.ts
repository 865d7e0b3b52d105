import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import jsyaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { parseYamlText, validateParsed } from '../../core/inventory/load.ts';
import { parseOfficialList } from '../../core/inventory/official.ts';
import { BEKASI } from '../../scripts/generate-inventory.ts';
import { ROOT } from '../paths.ts';
import { loadNationalList, renderExtract } from './national.ts';
import { describeTarget, planInit } from './plan.ts';
import { text } from './render.ts';

const list = loadNationalList();
/** As desa.yaml is read: YAML 1.2 core schema, dates stay text. */
const load = (text: string) => jsyaml.load(text, { schema: jsyaml.CORE_SCHEMA }) as any;
const request = (code: string, more: Partial<Parameters<typeof planInit>[0]> = {}) => ({
  region: list.regions.get(code)!,
  out: '/nowhere/desa.yaml',
  domain: 'desa.contohkab.go.id',
  operator: 'Dinas Komunikasi dan Informatika Contoh',
  target: { due: '2027-12-31', coverage: 100, setOn: 'unknown' },
  ...more,
});

describe('the inventory desa init writes', () => {
  it("renders the shipped desa.yaml byte for byte from Bekasi's list and settings (scripts/generate-inventory.ts)", () => {
    const r = spawnSync(join(ROOT, 'bin/node'), [join(ROOT, 'scripts/generate-inventory.ts'), 'data/kepmendagri-2025-bekasi.csv'], { cwd: ROOT, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(readFileSync(join(ROOT, 'desa.yaml'), 'utf8'));
    expect(BEKASI.domain).toBe('desa.bekasikab.go.id');
  });

  it('is valid for every one of the 514 kabupaten and kota, each unit with its pinned slug', () => {
    let units = 0;
    for (const region of list.regions.values()) {
      const plan = planInit(request(region.code));
      units += (plan.inventory.text.match(/^ {4}slug: /gm) ?? []).length;
    }
    expect(units).toBe(83_762);
  }, 60_000);

  it('a kota (only kelurahan): its kelurahan get mailboxes and storage, the target counts kelurahan only', () => {
    const plan = planInit(request('32.75'));
    const data = load(plan.inventory.text);
    expect(data.kabupaten).toMatchObject({ name: 'Kota Bekasi', code: '32.75', domain: 'desa.contohkab.go.id', officialCodes: { file: 'data/kepmendagri-2025-kota-bekasi.csv', source: 'Kepmendagri No 300.2.2-2138 Tahun 2025' } });
    expect(data.kabupaten.defaults.kelurahan.email.enabled).toBeUndefined();
    expect(data.kabupaten.defaults.kelurahan.storage.enabled).toBeUndefined();
    expect(data.kabupaten.targets).toEqual([{ id: 'terhubung-2027', setOn: 'unknown', due: '2027-12-31', coverage: 100, scope: ['kelurahan'], description: 'Setiap kelurahan terhubung internet paling lambat 31 Desember 2027', source: 'Dinas Komunikasi dan Informatika Contoh' }]);
    expect(data.units).toHaveLength(56);
    expect(data.units.every((u: any) => u.kind === 'kelurahan' && u.connectivity.status === 'unknown' && u.slug)).toBe(true);
    expect(plan.inventory.text).toContain('# desa.yaml: the inventory of the 56 kelurahan of Kota Bekasi (32.75), in 12 kecamatan,');
    expect(plan.inventory.text).toContain('# Parent domain of every kelurahan subdomain (<slug>.desa.contohkab.go.id)');
    expect(plan.inventory.text).not.toMatch(/bekasikab|Diskominfosantik|32\.16|desa-digital-2022/);
  });

  it('a mixed kabupaten: kelurahan get a subdomain and site only unless asked; the file cites the source', () => {
    const plan = planInit(request('32.16', { target: { due: '2026-06-30', coverage: 80, setOn: '2025-01-15', source: 'RPJMD Kabupaten Bekasi' } }));
    const data = load(plan.inventory.text);
    expect(data.kabupaten.defaults.kelurahan.email.enabled).toBe(false);
    expect(data.kabupaten.targets[0]).toMatchObject({ setOn: '2025-01-15', coverage: 80, scope: ['desa', 'kelurahan'], description: '80% desa dan kelurahan terhubung internet paling lambat 30 Juni 2026', source: 'RPJMD Kabupaten Bekasi' });
    expect(plan.extract.text).toBe(readFileSync(join(ROOT, 'data/kepmendagri-2025-bekasi.csv'), 'utf8'));
    expect(plan.inventory.text).toContain('Kepmendagri No 300.2.2-2138 Tahun 2025');
    expect(plan.inventory.text).toContain('cahyadsn/wilayah');
    const asked = load(planInit(request('32.16', { kelurahanServices: true })).inventory.text);
    expect(asked.kabupaten.defaults.kelurahan.email.enabled).toBeUndefined();
  });

  it('writes free text so that it reads back as itself', () => {
    for (const s of ['Dinas Komunikasi, Informatika, Persandian dan Statistik (Diskominfosantik) Kabupaten Bekasi', 'Diskominfo: bidang #2', '- dinas', 'unknown', 'yes', '"quoted"', 'Dinas ', '[x]', 'a: b']) {
      expect(jsyaml.load(`k: ${text(s)}`, { schema: jsyaml.CORE_SCHEMA })).toEqual({ k: s });
    }
    expect(text('Dinas Komunikasi dan Informatika Kabupaten Aceh Utara')).toBe('Dinas Komunikasi dan Informatika Kabupaten Aceh Utara');
  });

  it('validates against its own extract, as desa validate will', () => {
    const plan = planInit(request('91.03'));
    const loaded = validateParsed(parseYamlText(plan.inventory.text, 'desa.yaml'), 'desa.yaml', parseOfficialList(plan.extract.text, plan.extract.path));
    expect(loaded.inventory.units.filter((u) => u.code.charAt(9) === '3').every((u) => u.kind === 'desa')).toBe(true);
    expect(renderExtract(plan.region.units)).toBe(plan.extract.text);
  });

  it('describes the target in Bahasa Indonesia from its scope, coverage and date', () => {
    expect(describeTarget(['desa'], 100, '2027-01-05')).toBe('Setiap desa terhubung internet paling lambat 5 Januari 2027');
  });
});
