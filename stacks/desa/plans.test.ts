// The pure parts of a desa: sizing, policies, mailbox/bucket/subdomain/site plans. No Pulumi runtime.
import { describe, expect, it } from 'vitest';
import { loadInventory } from '../../core/inventory/load.ts';
import type { Unit } from '../../core/inventory/model.ts';
import { INVENTORY } from '../../test/fixtures/pulumi-mocks.ts';
import { parseSettings, platformRefs } from '../settings.ts';
import { mailboxPlans } from './mailboxes.ts';
import { networkPolicies } from './network.ts';
import { sitePlanFor } from './site.ts';
import { footprintOf, largerQuota, mebibytes, quantity, SIZING, sizingFor } from './sizing.ts';
import { bucketPlan } from './storage.ts';
import { subdomainPlan } from './subdomain.ts';

const { inventory } = loadInventory(INVENTORY);
const D = inventory.kabupaten.domain;
const unit = (slug: string): Unit => structuredClone(inventory.units.find((u) => u.slug === slug)!);
const settings = parseSettings({ images: { opensid: 'registry.example/opensid:1' } });
const refs = platformRefs(settings, D);
const plan = (u: Unit) => sitePlanFor({ unit: u, inventory, images: settings.images, opensid: settings.opensid, sizing: sizingFor(u) });

describe('sizing', () => {
  it('sizes by what runs: profil, opensid, or nothing', () => {
    expect(footprintOf(unit('sumberjaya'))).toBe('profil');
    expect(footprintOf(unit('lambangsari'))).toBe('none');
    const off = unit('sumberjaya');
    off.services.site.enabled = false;
    expect(footprintOf(off)).toBe('none');
  });

  it('gives opensid more than profil, and nothing to a namespace without workload', () => {
    const cpu = (f: keyof typeof SIZING) => SIZING[f].quota['limits.cpu'];
    expect([cpu('none'), cpu('profil'), cpu('opensid')]).toEqual(['0', '500m', '3']);
    expect(SIZING.none.quota.pods).toBe('0');
    expect(mebibytes(SIZING.opensid.quota['requests.storage']!)).toBeGreaterThanOrEqual(
      mebibytes(SIZING.opensid.volumes!.files) + mebibytes(SIZING.opensid.volumes!.uploads) + mebibytes(SIZING.opensid.volumes!.database),
    );
    // A switch to a template without pods keeps the old site's Service until the new one exists.
    for (const f of ['none', 'profil'] as const) expect(Number(SIZING[f].quota.services), f).toBeGreaterThanOrEqual(2);
  });

  it('during a switch of site template, the quota admits both sites; otherwise only its own (issue 10)', () => {
    // opensid → profil: the profil pod and Service start while OpenSID's still run.
    const u = unit('sumberjaya');
    const switching = sizingFor(u, { from: 'opensid' });
    expect(switching.quota).toEqual(largerQuota(SIZING.profil.quota, SIZING.opensid.quota));
    expect(switching.quota).toMatchObject({ 'limits.cpu': '3', pods: '8', services: '4', persistentvolumeclaims: '4' });
    // Everything else is the new template's.
    expect(switching.limits).toBe(SIZING.profil.limits);
    expect(switching.podSecurity).toBe('restricted');
    expect(sizingFor(u, { from: 'profil' })).toBe(SIZING.profil);
    expect(sizingFor(u)).toBe(SIZING.profil);
    // OpenSID in the cluster (deploy mode) still running while the desa moves to the local servers' OpenSID.
    const sidOut = { ...u, services: { ...u.services, site: { ...u.services.site, template: 'opensid' as const } } } as Unit;
    expect(sizingFor(sidOut, { from: 'opensid', opensidOutside: true }).quota).toEqual(largerQuota(SIZING.none.quota, SIZING.opensid.quota));
    expect(sizingFor(sidOut, { from: 'none', opensidOutside: true })).toBe(SIZING.none);
    // profil → OpenSID outside: the namespace keeps room for the profil pod until it is gone.
    const sid = { ...u, services: { ...u.services, site: { ...u.services.site, template: 'opensid' as const } } } as Unit;
    expect(sizingFor(sid, { from: 'profil', opensidOutside: true }).quota).toEqual(largerQuota(SIZING.none.quota, SIZING.profil.quota));
    expect([quantity('100m'), quantity('3'), quantity('64Mi'), quantity('1Gi'), quantity('0')]).toEqual([0.1, 3, 64 * 2 ** 20, 2 ** 30, 0]);
    expect(largerQuota({ a: '500m', b: '2Gi' }, { a: '1', c: '4' })).toEqual({ a: '1', b: '2Gi', c: '4' });
  });

  it('keeps container defaults within the per-container maximum and the quota', () => {
    for (const [name, s] of Object.entries(SIZING)) {
      const c = s.limits.find((l) => l.type === 'Container') as any;
      expect(mebibytes(c.default.memory), name).toBeLessThanOrEqual(mebibytes(c.max.memory));
      if (name !== 'none') expect(mebibytes(c.default.memory), name).toBeLessThanOrEqual(mebibytes(s.quota['limits.memory']!));
      expect(s.quota['services.loadbalancers']).toBe('0');
      expect(s.quota['services.nodeports']).toBe('0');
    }
  });

  it('reads quantities in Mi', () => {
    expect(mebibytes('512Mi')).toBe(512);
    expect(mebibytes('30Gi')).toBe(30 * 1024);
    expect(mebibytes('0')).toBe(0);
    expect(() => mebibytes('1G')).toThrow();
  });
});

describe('networkPolicies', () => {
  it('is a bare default-deny without a workload', () => {
    expect(networkPolicies('traefik', null)).toEqual([{ name: 'default-deny', spec: { podSelector: {}, policyTypes: ['Ingress'] } }]);
  });

  it('admits the ingress namespace to the site pods on the http port', () => {
    const [, allow] = networkPolicies('kube-system', plan(unit('sumberjaya')));
    expect(allow!.spec.ingress).toEqual([
      { from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } } }], ports: [{ protocol: 'TCP', port: 'http' }] },
    ]);
  });
});

describe('mailboxPlans', () => {
  it('plans one Secret per account, with its own quota and aliases', () => {
    const u = unit('sumberjaya');
    u.services.email.accounts[2] = { role: 'operator', address: `sumberjaya.operator@${D}`, aliases: [`sumberjaya.admin@${D}`, `sumberjaya.it@${D}`], quota: '5Gi' };
    const plans = mailboxPlans(u, D, 'desa-platform');
    expect(plans.map((p) => p.metadata.name)).toEqual([
      'mailbox-sumberjaya-kepala-desa',
      'mailbox-sumberjaya-sekretaris-desa',
      'mailbox-sumberjaya-operator',
    ]);
    expect(plans[2]!.metadata.annotations).toEqual({ [`${D}/quota`]: '5Gi', [`${D}/aliases`]: `sumberjaya.admin@${D},sumberjaya.it@${D}` });
    expect(plans[2]!.metadata.labels).toMatchObject({ [`${D}/consumer`]: 'mailbox', [`${D}/role`]: 'operator', [`${D}/slug`]: 'sumberjaya' });
    expect(plans[0]!.data).toEqual({ address: `sumberjaya.kepala-desa@${D}`, role: 'kepala-desa' });
  });

  it('plans nothing when email is disabled (kelurahan by default)', () => {
    expect(mailboxPlans(unit('setia-asih'), D, 'desa-platform')).toEqual([]);
  });
});

describe('bucketPlan', () => {
  it('scopes the key to the desa bucket and carries the quota', () => {
    expect(bucketPlan(unit('sumberjaya'), D, 'desa-platform')).toMatchObject({
      bucket: 'desa-sumberjaya',
      metadata: { name: 'bucket-sumberjaya', namespace: 'desa-platform', annotations: { [`${D}/quota`]: '20Gi', [`${D}/access`]: 'bucket-access-sumberjaya' } },
      data: { bucket: 'desa-sumberjaya', accessKeyId: 'desa-sumberjaya', policy: 'readwrite:desa-sumberjaya' },
      access: { metadata: { name: 'bucket-access-sumberjaya', namespace: 'desa-platform', labels: { [`${D}/consumer`]: 'bucket-access' } } },
    });
    expect(bucketPlan(unit('setia-asih'), D, 'desa-platform')).toBeNull();
  });
});

describe('subdomainPlan', () => {
  it('points the host at the site Service, TLS from the default certificate', () => {
    const u = unit('sumberjaya');
    const p = subdomainPlan(u, refs, plan(u))!;
    expect(p.kind).toBe('site');
    expect(p.ingress.spec.tls).toEqual([{ hosts: ['sumberjaya.desa.bekasikab.go.id'] }]);
    expect(p.ingress.annotations['external-dns.alpha.kubernetes.io/ttl']).toBe('300');
    // A controller that publishes its address is waited for, as Pulumi does by default.
    expect(p.ingress.annotations['pulumi.com/skipAwait']).toBeUndefined();
  });

  it('does not wait for an address when the ingress controller publishes none (the local cluster)', () => {
    const u = unit('sumberjaya');
    const local = platformRefs(parseSettings({ ingress: { mode: 'existing', publishesStatus: false } }), D);
    expect(subdomainPlan(u, local, plan(u))!.ingress.annotations['pulumi.com/skipAwait']).toBe('true');
  });

  it('redirects an external app with a known address, only when custom resources are on', () => {
    const u = unit('lambangsari');
    u.services.site.url = 'https://sid.example.id/';
    expect(subdomainPlan(u, refs, null)!.redirect).toEqual({ url: 'https://sid.example.id/', middleware: 'redirect-external', service: 'redirect-external' });
    expect(subdomainPlan(u, { ...refs, customResources: false }, null)).toBeNull();
  });

  it('publishes nothing for a disabled subdomain, an unknown external address or no site', () => {
    expect(subdomainPlan(unit('lambangsari'), refs, null)).toBeNull();
    const off = unit('sumberjaya');
    off.services.subdomain.enabled = false;
    expect(subdomainPlan(off, refs, plan(off))).toBeNull();
    const noSite = unit('sumberjaya');
    noSite.services.site.enabled = false;
    expect(subdomainPlan(noSite, refs, plan(noSite))).toBeNull();
  });
});

describe('sitePlanFor', () => {
  it('picks the template of the unit', () => {
    expect(plan(unit('sumberjaya'))!.backend).toEqual({ service: 'profil', port: 80 });
    expect(plan(unit('lambangsari'))).toBeNull();
    const sid = unit('sumberjaya');
    sid.services.site.template = 'opensid';
    expect(plan(sid)!.backend).toEqual({ service: 'opensid', port: 80 });
  });

  it('refuses opensid without an image', () => {
    const sid = unit('sumberjaya');
    sid.services.site.template = 'opensid';
    const none = parseSettings({});
    expect(() => sitePlanFor({ unit: sid, inventory, images: none.images, opensid: none.opensid, sizing: sizingFor(sid) })).toThrow(/desa:images.opensid/);
  });

  it('served outside the cluster: refuses opensid without a release, naming what to set; with one, runs nothing in the namespace', () => {
    const sid = unit('sumberjaya');
    sid.services.site.template = 'opensid';
    const without = parseSettings({ opensid: { mode: 'existing' } });
    const attempt = () => sitePlanFor({ unit: sid, inventory, images: without.images, opensid: without.opensid, sizing: sizingFor(sid, { opensidOutside: true }) });
    expect(attempt).toThrow(/Sumberjaya \(sumberjaya\) uses the opensid template but no OpenSID release is configured/);
    expect(attempt).toThrow(/desa:opensid.source.*desa:opensid.sha256.*DESA_OPENSID_SOURCE and DESA_OPENSID_SHA256/s);
    const given = parseSettings({ opensid: { mode: 'existing', source: '/srv/opensid-2410.0.0.tar.gz', sha256: 'c'.repeat(64) } });
    const p = sitePlanFor({ unit: sid, inventory, images: given.images, opensid: given.opensid, sizing: sizingFor(sid, { opensidOutside: true }) })!;
    expect(p.backend).toEqual({ service: 'opensid', port: 80 });
    expect([p.deployments, p.statefulSets, p.volumeClaims, p.secrets]).toEqual([[], [], [], []]);
    expect(p.services).toEqual([{ name: 'opensid', labels: expect.any(Object), spec: { ports: [{ name: 'http', port: 80, protocol: 'TCP' }] } }]);
    expect(footprintOf(sid, { opensidOutside: true })).toBe('none');
  });
});
