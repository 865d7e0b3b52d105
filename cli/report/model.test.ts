import { describe, expect, it } from 'vitest';
import { AS_OF, afterAsOf, in2023, inProgress, notConnected, realInventory, scenario, scenarioTargets, undated, withConnectivity } from '../../test/fixtures/report.ts';
import { buildReport } from './model.ts';
import type { ProvisionedServices } from './schema.ts';

const report = (provisioned?: Map<string, ProvisionedServices>) =>
  buildReport(withConnectivity(scenario(), scenarioTargets()), { asOf: AS_OF, ...(provisioned ? { provisioned } : {}) });

describe('buildReport: counts', () => {
  it('counts units, kinds, kecamatan and statuses as of the report date', () => {
    const r = report();
    expect(r.overall).toEqual({
      units: 187,
      desa: 179,
      kelurahan: 8,
      kecamatan: 23,
      connected: 17,
      // The unit connected on 2024-08-01 was not connected on 2024-06-30; whether its work had begun
      // is not recorded: unknown, not in progress.
      inProgress: 3,
      notConnected: 2,
      unknown: 165,
      unknownNotConnected: 1,
      connectedDateUnknown: 2,
      sharePercent: 9.09,
    });
    expect(r.units.find((u) => u.slug === afterAsOf[0])!.connectivity).toMatchObject({ status: 'unknown', recordedStatus: 'connected', statusNote: 'connected-later' });
  });

  it('counts the late connection once the report date passes it', () => {
    const r = buildReport(withConnectivity(scenario()), { asOf: '2024-08-01' });
    expect(r.overall.connected).toBe(18);
    expect(r.overall.inProgress).toBe(3);
  });

  it('has a row for each of the 23 kecamatan, in code order, that add up to the whole', () => {
    const r = report();
    expect(r.kecamatan).toHaveLength(23);
    expect(r.kecamatan.map((k) => k.code)).toEqual([...r.kecamatan.map((k) => k.code)].sort());
    expect(r.kecamatan[0]).toMatchObject({ name: 'Tarumajaya', code: '32.16.01', units: 8, desa: 7, kelurahan: 1, connected: 7, unknown: 1, sharePercent: 87.5 });
    expect(r.kecamatan.reduce((n, k) => n + k.units, 0)).toBe(187);
    expect(r.kecamatan.reduce((n, k) => n + k.connected, 0)).toBe(17);
  });

  it('highlights the four pilot desa of Desa Digital 2022', () => {
    const [pilot] = report().pilots;
    expect(pilot).toMatchObject({ id: 'desa-digital-2022', name: 'Desa Digital 2022', year: 2022 });
    expect(pilot!.units.map((u) => u.name)).toEqual(['Lambangsari', 'Sumberjaya', 'Karangbahagia', 'Karangmukti']);
    expect(report().units.filter((u) => u.pilot)).toHaveLength(4);
  });
});

describe('buildReport: unknown data and quality', () => {
  it('lists, per unit, the fields that matter for its status and are not known', () => {
    const r = report();
    const fields = (slug: string) => r.units.find((u) => u.slug === slug)!.unknownFields;
    expect(fields(in2023[0]!)).toEqual([]);
    expect(fields(in2023[5]!)).toEqual(['quality']);
    expect(fields(undated[0]!)).toEqual(['connectedOn', 'quality']);
    expect(fields(inProgress[0]!)).toEqual(['bandwidth', 'provider']);
    expect(fields(notConnected[0]!)).toEqual([]);
    expect(fields('setia-asih')).toEqual(['status', 'connectedOn', 'technology', 'bandwidth', 'provider', 'quality']);
    expect(r.unknownData).toEqual({
      // 164 of unknown status; 7 + 5 (and the one connected after the report date) connected without
      // quality data; 2 undated; 3 in progress. What desa.yaml lacks, whatever the report date.
      unitsWithUnknowns: 164 + 13 + 2 + 3,
      fields: { status: 164, connectedOn: 164 + 2, technology: 164, bandwidth: 164 + 3, provider: 164 + 3, quality: 164 + 13 + 2 },
    });
  });

  it('knows nothing about any unit of the shipped file, and says so for every field', () => {
    const r = buildReport(realInventory(), { asOf: AS_OF });
    expect(r.unknownData.unitsWithUnknowns).toBe(187);
    expect(Object.values(r.unknownData.fields)).toEqual([187, 187, 187, 187, 187, 187]);
  });

  it('flags links with uptime under 95% or more than 4 outages, not good ones', () => {
    const q = report().quality;
    expect(q.measured).toBe(3);
    expect(q.flagged.map((f) => [f.slug, f.flags])).toEqual([
      [in2023[0], ['low-uptime']],
      [in2023[1], ['many-outages']],
    ]);
  });
});

describe('buildReport: services', () => {
  it('takes services from desa.yaml, marked as such', () => {
    const r = report();
    expect(r.services).toEqual({ source: 'inventory', email: { units: 179, accounts: 537 }, storage: { units: 179 }, subdomain: { units: 187 }, site: { profil: 186, opensid: 0, external: 1 } });
    const lambangsari = r.units.find((u) => u.slug === 'lambangsari')!;
    expect(lambangsari.services).toEqual({
      source: 'inventory',
      email: { enabled: true, accounts: 3, quota: '2Gi' },
      storage: { enabled: true, quota: '20Gi' },
      subdomain: { enabled: true, host: 'lambangsari.desa.bekasikab.go.id' },
      site: { enabled: true, template: 'external', url: null },
    });
    expect(r.units.find((u) => u.slug === 'setia-asih')!.services.email).toEqual({ enabled: false, accounts: 0, quota: '2Gi' });
  });

  it('uses what the stacks provisioned when given, for those units only', () => {
    const provisioned = new Map<string, ProvisionedServices>([
      ['lambangsari', { email: { enabled: true, accounts: 1, quota: '2Gi' }, storage: { enabled: false, quota: '20Gi' }, subdomain: { enabled: true, host: 'lambangsari.desa.bekasikab.go.id' }, site: { enabled: true, template: 'external', url: 'https://lambangsari.example' } }],
    ]);
    const r = report(provisioned);
    expect(r.services.source).toBe('stacks');
    expect(r.services.storage.units).toBe(178);
    expect(r.services.email.accounts).toBe(535);
    expect(r.units.find((u) => u.slug === 'lambangsari')!.services.source).toBe('stacks');
    expect(r.units.find((u) => u.slug === 'sumberjaya')!.services.source).toBe('inventory');
  });
});
