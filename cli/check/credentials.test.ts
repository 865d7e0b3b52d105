import { describe, expect, it } from 'vitest';
import { realInventory } from '../../test/fixtures/report.ts';
import { clusterObjectsFor } from '../../test/fixtures/cluster-objects.ts';
import { localWhere } from './check.ts';
import { credentialsFrom } from './credentials.ts';

describe('the credentials desa check logs in with', () => {
  it('are the generated values of every mailbox and bucket the stacks wrote, by address and by slug', () => {
    const inventory = realInventory();
    const units = inventory.units.filter((u) => ['sumberjaya', 'karangmukti'].includes(u.slug));
    const creds = credentialsFrom(clusterObjectsFor(inventory, units, (k) => `generated-for-${k}`).secrets, inventory.kabupaten.domain);
    expect([...creds.mailboxes.keys()].sort()).toEqual(units.flatMap((u) => u.services.email.accounts.map((a) => a.address)).sort());
    expect(creds.mailboxes.get('sumberjaya.operator@desa.bekasikab.go.id')).toBe('generated-for-sumberjaya.operator@desa.bekasikab.go.id');
    expect(creds.buckets.get('karangmukti')).toEqual({ bucket: 'desa-karangmukti', accessKeyId: 'desa-karangmukti', secretAccessKey: 'generated-for-desa-karangmukti' });
  });
});

describe('where the probes go on the local default', () => {
  it('the servers\' ports; a server that does not run is named for the service it stands for', () => {
    const ports = { smtp: 23800, submission: 23801, imap: 23802, dns: 23803, dnsApi: 23804, http: 23805, s3: 23806, dkim: 23807, https: 23808, imaps: 23809, acme: 23810, acmeManagement: 23811, files: 23812, webdav: 23813, mariadb: 23820 };
    const w = localWhere({ dir: '/x', ports }, [
      { name: 'dovecot', state: 'running', reason: null },
      { name: 'pdns', state: 'stopped', reason: null },
      { name: 'postfix', state: 'unavailable', reason: 'needs root' },
    ]);
    // The sites, their certificate and the mailboxes are probed over TLS (issue 13).
    expect(w).toMatchObject({ dns: '127.0.0.1:23803', web: '127.0.0.1:23808', imap: '127.0.0.1:23809', s3: 'http://127.0.0.1:23806', tls: '127.0.0.1:23808', scheme: 'https' });
    expect(w.down).toEqual({ dns: 'pdns is stopped; `desa cluster status`, then `desa up` starts it' });
  });
});
