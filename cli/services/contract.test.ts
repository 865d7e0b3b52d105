// Both sides of core/contract.ts: what the stacks' plan functions write for every unit of desa.yaml is
// what the services sync reads back, account for account, bucket for bucket, page for page.
import { describe, expect, it } from 'vitest';
import { DEFAULT_MAILBOX_QUOTA } from '../../core/contract.ts';
import { loadInventory } from '../../core/inventory/load.ts';
import { clusterObjectsFor } from '../../test/fixtures/cluster-objects.ts';
import { dovecotQuota } from '../servers/dovecot.ts';
import { desiredServices } from './desired.ts';

const inventory = loadInventory(new URL('../../desa.yaml', import.meta.url).pathname).inventory;
const domain = inventory.kabupaten.domain;
const objects = clusterObjectsFor(inventory, inventory.units, (k) => `secret-of-${k}`);
const desired = desiredServices(objects, { domain, units: new Set(inventory.units.map((u) => u.slug)), address: '127.0.0.1', ttl: 300 });

describe('the contract between the stacks and the services sync', () => {
  it('every account the inventory gives a desa is a mailbox with its password, quota and aliases', () => {
    const accounts = inventory.units.flatMap((u) => (u.services.email.enabled ? u.services.email.accounts.map((a) => ({ slug: u.slug, ...a })) : []));
    expect(accounts.length).toBeGreaterThan(500);
    expect(desired.mailboxes).toEqual(
      accounts
        .map((a) => ({ slug: a.slug, address: a.address, password: `secret-of-${a.address}`, quota: dovecotQuota(a.quota), aliases: a.aliases }))
        .sort((x, y) => (x.address < y.address ? -1 : 1)),
    );
  });

  it('every desa with storage gets its bucket, key and quota', () => {
    const withStorage = inventory.units.filter((u) => u.services.storage.enabled);
    expect(desired.buckets.map((b) => [b.bucket, b.accessKeyId, b.secretAccessKey, b.quota, b.active])).toEqual(
      withStorage.map((u) => [u.services.storage.bucket, u.services.storage.bucket, `secret-of-${u.services.storage.bucket}`, u.services.storage.quota, true]).sort(),
    );
  });

  it('every profil desa serves its own page under its host', () => {
    const profil = inventory.units.filter((u) => u.services.site.enabled && u.services.site.template === 'profil' && u.services.subdomain.enabled);
    expect(desired.sites.map((s) => s.host)).toEqual(profil.map((u) => u.services.subdomain.host).sort());
    const one = desired.sites.find((s) => s.name === profil[0]!.slug)!;
    expect(one.html).toContain(profil[0]!.name);
  });

  it('every OpenSID desa is a site to provision with its own database, account, passwords and identity', () => {
    const sid = inventory.units.filter((u) => ['lambangjaya', 'sumberjaya'].includes(u.slug)).map((u) => {
      const c = structuredClone(u);
      c.services.site.template = 'opensid';
      return c;
    });
    const objs = clusterObjectsFor(inventory, sid, (k) => `secret-of-${k}`);
    const wanted = desiredServices(objs, { domain, units: new Set(sid.map((u) => u.slug)), address: '127.0.0.1', ttl: 300 });
    expect(wanted.opensid.map((x) => [x.slug, x.host, x.code, x.database, x.username, x.password, x.adminUsername, x.adminPassword])).toEqual([
      ['lambangjaya', `lambangjaya.${domain}`, '3216062003', 'opensid_3216062003', 'opensid_3216062003', 'secret-of-lambangjaya/password', 'admin', 'secret-of-lambangjaya/adminPassword'],
      ['sumberjaya', `sumberjaya.${domain}`, '3216062010', 'opensid_3216062010', 'opensid_3216062010', 'secret-of-sumberjaya/password', 'admin', 'secret-of-sumberjaya/adminPassword'],
    ]);
    expect(wanted.opensid[0]!.identity).toMatchObject({ nama_desa: 'Lambangjaya', kode_desa: '3216062003', nama_propinsi: 'Jawa Barat' });
    // Their hosts still get a name (published once provisioned) and no profil page.
    expect(wanted.sites).toEqual([]);
    expect(wanted.records.filter((r) => r.type === 'A').map((r) => r.name)).toContain(`lambangjaya.${domain}.`);
    // A desa gone from desa.yaml is not served, whatever its Secret says.
    expect(desiredServices(objs, { domain, units: new Set(['sumberjaya']), address: '127.0.0.1', ttl: 300 }).opensid.map((x) => x.slug)).toEqual(['sumberjaya']);
  });

  it('refuses an OpenSID account name that is not opensid_<code> before it reaches useradd or SQL', () => {
    const sid = structuredClone(inventory.units.find((u) => u.slug === 'lambangjaya')!);
    sid.services.site.template = 'opensid';
    const objs = clusterObjectsFor(inventory, [sid], (k) => `secret-of-${k}`);
    const secret = objs.secrets.find((x) => x.metadata.name === 'opensid-lambangjaya')!;
    secret.data!.username = Buffer.from('root').toString('base64');
    expect(() => desiredServices(objs, { domain, units: new Set(['lambangjaya']), address: '127.0.0.1', ttl: 300 })).toThrow(/"root" is not an OpenSID account name/);
  });

  it('a mailbox Secret without a quota gets the inventory\'s fallback, not a second default', () => {
    const bare = structuredClone(objects.secrets.find((s) => s.data?.password)!);
    delete bare.metadata.annotations;
    const one = desiredServices({ secrets: [bare], configMaps: [], ingresses: [] }, { domain, units: new Set(), address: '127.0.0.1', ttl: 300 });
    expect(one.mailboxes[0]!.quota).toBe(dovecotQuota(DEFAULT_MAILBOX_QUOTA));
    expect(DEFAULT_MAILBOX_QUOTA).toBe('1Gi');
  });
});
