import { describe, expect, it } from 'vitest';
import type { StackState } from '../engine/state.ts';
import { SECRET } from '../engine/state.ts';
import { AS_OF, realInventory } from '../../test/fixtures/report.ts';
import { buildReport } from './model.ts';
import { provisionedServices, servicesFromOutputs } from './provisioned.ts';

const unit = (slug: string) => realInventory().units.find((u) => u.slug === slug)!;

/** Outputs as stacks/desa/index.ts writes them, secrets masked as state.ts reads them. */
const outputs = (slug: string, o: Record<string, unknown> = {}) => ({
  namespace: `desa-${slug}`,
  host: `${slug}.desa.bekasikab.go.id`,
  url: `https://${slug}.desa.bekasikab.go.id/`,
  siteTemplate: 'profil',
  mailboxes: ['kepala-desa', 'sekretaris-desa', 'operator'].map((r) => `${slug}.${r}@desa.bekasikab.go.id`),
  bucket: `desa-${slug}`,
  mailPasswords: SECRET,
  storageCredentials: SECRET,
  ...o,
});

const state = (name: string, o: Partial<StackState> = {}): StackState => ({
  name,
  provisioned: true,
  dataKept: false,
  lastUpdate: '2026-11-22T21:10:00.000Z',
  resourceCount: 21,
  outputs: outputs(name),
  updateInProgress: false,
  lastOperation: null,
  siteRunning: [],
  cluster: null,
  ...o,
});

describe('servicesFromOutputs', () => {
  it('a desa with a profil site: mailboxes, bucket, subdomain and site from the outputs, quotas from desa.yaml', () => {
    expect(servicesFromOutputs(unit('sumberjaya'), outputs('sumberjaya'))).toEqual({
      email: { enabled: true, accounts: 3, quota: '2Gi' },
      storage: { enabled: true, quota: '20Gi' },
      subdomain: { enabled: true, host: 'sumberjaya.desa.bekasikab.go.id' },
      site: { enabled: true, template: 'profil', url: 'https://sumberjaya.desa.bekasikab.go.id/' },
    });
  });

  it('no mailboxes, no bucket: email and storage off', () => {
    const s = servicesFromOutputs(unit('sumberjaya'), outputs('sumberjaya', { mailboxes: [], bucket: null }));
    expect(s.email).toEqual({ enabled: false, accounts: 0, quota: '2Gi' });
    expect(s.storage.enabled).toBe(false);
  });

  it('external site whose address is unknown: nothing served at the subdomain; the site is the desa own app', () => {
    const s = servicesFromOutputs(unit('lambangsari'), outputs('lambangsari', { url: null, siteTemplate: 'external' }));
    expect(s.subdomain).toEqual({ enabled: false, host: 'lambangsari.desa.bekasikab.go.id' });
    expect(s.site).toEqual({ enabled: true, template: 'external', url: null });
  });

  it('site disabled ("none"): off, with the template desa.yaml names', () => {
    expect(servicesFromOutputs(unit('sumberjaya'), outputs('sumberjaya', { siteTemplate: 'none' })).site).toEqual({ enabled: false, template: 'profil', url: null });
  });
});

describe('provisionedServices', () => {
  it('maps provisioned desa stacks by slug; skips empty stacks, the platform and stacks of no unit', () => {
    const map = provisionedServices(
      [state('sumberjaya'), state('lambangsari', { provisioned: false, outputs: {} }), state('platform', { outputs: { namespace: 'desa-platform' } }), state('desa-lama')],
      realInventory().units,
    );
    expect([...map.keys()]).toEqual(['sumberjaya']);
  });

  it('buildReport marks those units "stacks" and the others "inventory"', () => {
    const provisioned = provisionedServices([state('sumberjaya', { outputs: outputs('sumberjaya', { bucket: null }) })], realInventory().units);
    const r = buildReport(realInventory(), { asOf: AS_OF, provisioned });
    const services = (slug: string) => r.units.find((u) => u.slug === slug)!.services;
    expect(services('sumberjaya')).toMatchObject({ source: 'stacks', storage: { enabled: false } });
    expect(services('lambangsari').source).toBe('inventory');
    expect(r.services.storage.units).toBe(178);
  });
});
