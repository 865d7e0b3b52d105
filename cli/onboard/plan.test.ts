import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadInventory } from '../../core/inventory/load.ts';
import { MissingFlagError, planOnboard, type Inputs, type OnboardPlan } from './plan.ts';
import { requestFromFlags } from './request.ts';

const loaded = loadInventory(fileURLToPath(new URL('../../desa.yaml', import.meta.url)));

/** The inventory without some codes, as if they had not been onboarded yet. */
function without(...codes: string[]): Inputs {
  return {
    raw: { ...loaded.raw, units: loaded.raw.units.filter((u) => !codes.includes(u.code)) },
    inventory: { ...loaded.inventory, units: loaded.inventory.units.filter((u) => !codes.includes(u.code)) },
    official: loaded.official,
  };
}

const fields = (p: OnboardPlan) => Object.fromEntries(p.edits.map((e) => [e.path.join('.'), e.value]));

describe('planOnboard: a desa not in desa.yaml yet', () => {
  it('takes name, kind and kecamatan from the official list and pins the slug', () => {
    const plan = planOnboard({ code: '32.16.06.2003' }, without('32.16.06.2003'));
    expect(plan.action).toBe('add');
    expect(plan.entry).toEqual({
      code: '32.16.06.2003',
      name: 'Lambangjaya',
      kind: 'desa',
      kecamatan: 'Tambun Selatan',
      slug: 'lambangjaya',
      connectivity: { status: 'unknown' },
    });
  });

  it('writes only the services that differ from what a desa gets by default', () => {
    const plan = planOnboard({ code: '32.16.06.2003', template: 'profil', storageQuota: '20Gi', accounts: ['kepala-desa', 'operator'] }, without('32.16.06.2003'));
    expect(plan.entry!.services).toEqual({ email: { accounts: ['kepala-desa', 'operator'] } });
  });

  it('needs --name and --source for a code missing from the official list', () => {
    const inputs = without();
    expect(() => planOnboard({ code: '32.16.06.2099' }, inputs)).toThrow(MissingFlagError);
    expect(() => planOnboard({ code: '32.16.06.2099' }, inputs)).toThrow(/--name is needed: 32.16.06.2099 is not in the official list/);
    expect(() => planOnboard({ code: '32.16.06.2099', name: 'Lambang Baru' }, inputs)).toThrow(/--source is needed/);
    const plan = planOnboard({ code: '32.16.06.2099', name: 'Lambang Baru', source: 'Perda Kabupaten Bekasi No 1 Tahun 2026' }, inputs);
    expect(plan.entry).toMatchObject({ kind: 'desa', kecamatan: 'Tambun Selatan', slug: 'lambang-baru', source: 'Perda Kabupaten Bekasi No 1 Tahun 2026' });
  });

  it('refuses a slug another desa already uses, naming it', () => {
    expect(() => planOnboard({ code: '32.16.06.2003', slug: 'tambun' }, without('32.16.06.2003'))).toThrow(
      'the slug "tambun" is already used by Tambun (32.16.06.2004).',
    );
  });
});

describe('planOnboard: completing an entry', () => {
  it('changes nothing when the flags say what the file already says', () => {
    const plan = planOnboard({ code: '32.16.06.2004', template: 'profil', storageQuota: '20Gi', email: true }, loaded);
    expect(plan.action).toBe('complete');
    expect(plan.edits).toEqual([]);
  });

  it('drops the url when a site leaves template external, and records unknown when one joins it', () => {
    // Lambangsari is external with url: unknown.
    expect(fields(planOnboard({ code: '32.16.06.2002', template: 'opensid' }, loaded))).toEqual({
      'services.site.template': 'opensid',
      'services.site.url': undefined,
    });
    expect(fields(planOnboard({ code: '32.16.06.2004', template: 'external' }, loaded))).toEqual({
      'services.site.template': 'external',
      'services.site.url': 'unknown',
    });
    expect(() => planOnboard({ code: '32.16.06.2004', siteUrl: 'https://tambun.example' }, loaded)).toThrow(/--site-url is only for --template external/);
  });

  it('turns email on for a kelurahan given mailboxes (kelurahan have none by default)', () => {
    expect(fields(planOnboard({ code: '32.16.06.1001', accounts: ['lurah'] }, loaded))).toEqual({
      'services.email.accounts': ['lurah'],
      'services.email.enabled': true,
    });
  });

  it('asks for a contact name before a phone or email', () => {
    expect(() => planOnboard({ code: '32.16.06.2004', operator: { phone: '+62 812 0000 1111' } }, loaded)).toThrow(/--operator-name is needed/);
    expect(fields(planOnboard({ code: '32.16.06.2004', operator: { name: 'Siti', phone: '+62 812 0000 1111' } }, loaded))).toEqual({
      'contacts.operator.name': 'Siti',
      'contacts.operator.phone': '+62 812 0000 1111',
    });
  });

  it('pins a missing slug, and refuses to change a pinned one', () => {
    const i = loaded.raw.units.findIndex((u) => u.code === '32.16.06.2004');
    const unpinned = { ...loaded, raw: { ...loaded.raw, units: loaded.raw.units.map((u, j) => (j === i ? { ...u, slug: undefined } : u)) } };
    expect(fields(planOnboard({ code: '32.16.06.2004' }, unpinned))).toEqual({ slug: 'tambun' });
    expect(() => planOnboard({ code: '32.16.06.2004', slug: 'tambun-baru' }, loaded)).toThrow(/pinned as "tambun"/);
  });

  it('refuses a --name that contradicts the entry instead of renaming it', () => {
    expect(() => planOnboard({ code: '32.16.06.2004', name: 'Tambun Baru' }, loaded)).toThrow(/already in desa.yaml as Tambun .*--name "Tambun Baru" does not match/);
  });
});

describe('requestFromFlags', () => {
  it('checks each value with the schema and names the flag', () => {
    expect(() => requestFromFlags({ code: '32.16.6.2002' })).toThrow(/^--code "32.16.6.2002": expected an official code/);
    expect(() => requestFromFlags({ storageQuota: '20GB' })).toThrow('--storage-quota "20GB": expected a size such as 500Mi, 2Gi or 1Ti');
    expect(() => requestFromFlags({ template: 'opnsid' })).toThrow('did you mean "opensid"?');
    expect(() => requestFromFlags({ accounts: 'kepala-desa,Operator' })).toThrow('--accounts: "Operator" is not a role name');
    expect(() => requestFromFlags({ kepalaEmail: 'not-an-email' })).toThrow(/^--kepala-email "not-an-email"/);
    expect(requestFromFlags({ code: '32.16.06.2002', accounts: 'kepala-desa, operator', kepalaName: ' Budi ', email: false })).toEqual({
      code: '32.16.06.2002',
      accounts: ['kepala-desa', 'operator'],
      email: false,
      kepala: { name: 'Budi' },
    });
  });
});
