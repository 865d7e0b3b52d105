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

  it('a mailbox Secret without a quota gets the inventory\'s fallback, not a second default', () => {
    const bare = structuredClone(objects.secrets.find((s) => s.data?.password)!);
    delete bare.metadata.annotations;
    const one = desiredServices({ secrets: [bare], configMaps: [], ingresses: [] }, { domain, units: new Set(), address: '127.0.0.1', ttl: 300 });
    expect(one.mailboxes[0]!.quota).toBe(dovecotQuota(DEFAULT_MAILBOX_QUOTA));
    expect(DEFAULT_MAILBOX_QUOTA).toBe('1Gi');
  });
});
