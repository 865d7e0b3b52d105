import { describe, expect, it } from 'vitest';
import { dovecotQuota } from '../servers/dovecot.ts';
import { type ClusterObjects, desiredServices, type KubeObject, siteName } from './desired.ts';
import { planRrsets, type Rrset } from './dns.ts';
import { parseUsers, renderPostfixMaps, renderUsers, ssha512, verifySsha512 } from './mail.ts';

const D = 'desa.bekasikab.go.id';
const b64 = (s: string) => Buffer.from(s).toString('base64');

function mailbox(slug: string, role: string, password: string, extra: { quota?: string; aliases?: string } = {}): KubeObject {
  return {
    metadata: {
      name: `mailbox-${slug}-${role}`,
      namespace: 'desa-platform',
      labels: { [`${D}/consumer`]: 'mailbox', [`${D}/slug`]: slug },
      annotations: { [`${D}/quota`]: extra.quota ?? '2Gi', [`${D}/aliases`]: extra.aliases ?? '' },
    },
    data: { address: b64(`${slug}.${role}@${D}`), role: b64(role), password: b64(password) },
  };
}

function bucket(slug: string, secret: string): KubeObject {
  return {
    metadata: { name: `bucket-${slug}`, namespace: 'desa-platform', labels: { [`${D}/consumer`]: 'bucket', [`${D}/slug`]: slug }, annotations: { [`${D}/quota`]: '20Gi' } },
    data: { bucket: b64(`desa-${slug}`), accessKeyId: b64(`desa-${slug}`), secretAccessKey: b64(secret) },
  };
}

const ingress = (ns: string, host: string): KubeObject => ({ metadata: { name: 'subdomain', namespace: ns }, spec: { rules: [{ host }] } });
const page = (ns: string, html: string): KubeObject => ({ metadata: { name: 'profil-content', namespace: ns }, data: { 'index.html': html } });
const mailDns: KubeObject = {
  metadata: { name: 'mail-dns', namespace: 'desa-platform', labels: { [`${D}/consumer`]: 'dns' } },
  data: {
    'records.json': JSON.stringify([
      { name: `${D}.`, type: 'MX', ttl: 300, values: [`10 mail.${D}.`] },
      { name: `${D}.`, type: 'TXT', ttl: 300, values: ['"v=spf1 mx -all"'] },
      { name: `${D}.`, type: 'CAA', ttl: 300, values: ['0 issue "pebble.desa.local"', '0 issuewild "pebble.desa.local"'] },
    ]),
  },
};

const dkimSecret: KubeObject = {
  metadata: { name: 'mail-dkim', namespace: 'desa-platform', labels: { [`${D}/consumer`]: 'dkim' } },
  data: { selector: b64('mail'), privateKey: b64('-----BEGIN PRIVATE KEY-----\nMII\n-----END PRIVATE KEY-----\n') },
};

const objects: ClusterObjects = {
  secrets: [dkimSecret, mailbox('sumberjaya', 'operator', 'pw-1', { aliases: `sumberjaya.info@${D}` }), mailbox('lambangsari', 'kepala-desa', 'pw-2', { quota: '512Mi' }), bucket('sumberjaya', 's3-1'), bucket('pantai-makmur', 's3-old')],
  configMaps: [mailDns, page('desa-sumberjaya', '<h1>Sumberjaya</h1>'), page('desa-other', 'not served: no ingress')],
  ingresses: [ingress('desa-sumberjaya', `sumberjaya.${D}`), ingress('desa-setia-asih', `setia-asih.${D}`), ingress('elsewhere', 'www.example.org')],
};
const desired = desiredServices(objects, { domain: D, units: new Set(['sumberjaya', 'lambangsari', 'setia-asih']), address: '127.0.0.1', ttl: 300 });

describe('desiredServices', () => {
  it('gives each mailbox Secret an account with its password, Dovecot quota and aliases', () => {
    expect(desired.mailboxes).toEqual([
      { slug: 'lambangsari', address: `lambangsari.kepala-desa@${D}`, password: 'pw-2', quota: '512M', aliases: [] },
      { slug: 'sumberjaya', address: `sumberjaya.operator@${D}`, password: 'pw-1', quota: '2G', aliases: [`sumberjaya.info@${D}`] },
    ]);
  });

  it('takes the signing key from the platform\'s mail-dkim Secret', () => {
    expect(desired.dkim).toEqual({ selector: 'mail', privateKey: '-----BEGIN PRIVATE KEY-----\nMII\n-----END PRIVATE KEY-----\n' });
    expect(desiredServices({ ...objects, secrets: objects.secrets.slice(1) }, { domain: D, units: new Set(), address: '127.0.0.1', ttl: 300 }).dkim).toBeNull();
  });

  it('keeps the bucket of a desa no longer in desa.yaml, with its key revoked (a claim made before access Secrets: granted while in desa.yaml)', () => {
    expect(desired.buckets.map((b) => [b.bucket, b.active])).toEqual([
      ['desa-pantai-makmur', false],
      ['desa-sumberjaya', true],
    ]);
  });

  it('revokes the key of a desa offboarded while still in desa.yaml: its claim stays, its access Secret is gone', () => {
    // issue 10: `desa destroy --only SLUG` keeps the claim (protected data) and deletes the access.
    const claim = (slug: string, secret: string): KubeObject => {
      const c = bucket(slug, secret);
      c.metadata.annotations = { ...c.metadata.annotations, [`${D}/access`]: `bucket-access-${slug}` };
      return c;
    };
    const access = (slug: string, secret: string): KubeObject => ({
      metadata: { name: `bucket-access-${slug}`, namespace: 'desa-platform', labels: { [`${D}/consumer`]: 'bucket-access', [`${D}/slug`]: slug } },
      data: { bucket: b64(`desa-${slug}`), accessKeyId: b64(`desa-${slug}`), secretAccessKey: b64(secret) },
    });
    const cluster: ClusterObjects = { secrets: [claim('sumberjaya', 'claim-1'), access('sumberjaya', 'granted-1'), claim('karangmukti', 'claim-2')], configMaps: [], ingresses: [] };
    const d = desiredServices(cluster, { domain: D, units: new Set(['sumberjaya', 'karangmukti']), address: '127.0.0.1', ttl: 300 });
    expect(d.buckets.map((b) => [b.bucket, b.active, b.secretAccessKey])).toEqual([
      ['desa-karangmukti', false, 'claim-2'],
      ['desa-sumberjaya', true, 'granted-1'],
    ]);
  });

  it('names every desa host, the mail, webmail and files hosts, and carries the platform\'s zone records', () => {
    expect(desired.records.map((r) => `${r.name} ${r.type} ${r.values.join(',')}`)).toEqual([
      `desa.bekasikab.go.id. CAA 0 issue "pebble.desa.local",0 issuewild "pebble.desa.local"`,
      `desa.bekasikab.go.id. MX 10 mail.${D}.`,
      'desa.bekasikab.go.id. TXT "v=spf1 mx -all"',
      `files.${D}. A 127.0.0.1`,
      `mail.${D}. A 127.0.0.1`,
      `setia-asih.${D}. A 127.0.0.1`,
      `sumberjaya.${D}. A 127.0.0.1`,
      `webmail.${D}. A 127.0.0.1`,
    ]);
  });

  it('serves the profil page of the namespace that holds the host', () => {
    expect(desired.sites).toEqual([{ name: 'sumberjaya', host: `sumberjaya.${D}`, html: '<h1>Sumberjaya</h1>' }]);
  });

  it('maps quotas and hosts the way the servers read them', () => {
    expect(['2Gi', '10Ki', '1Ti', '4096'].map(dovecotQuota)).toEqual(['2G', '10K', '1T', '4096']);
    expect(() => dovecotQuota('2GB')).toThrow(/unsupported quota/);
    expect(siteName(`Sumberjaya.${D}.`, D)).toBe('sumberjaya');
    expect(siteName(`a.b.${D}`, D)).toBeNull();
    expect(siteName('desa.bekasikab.go.id.evil.org', D)).toBeNull();
  });
});

describe('mail files', () => {
  it('stores salted SHA-512 hashes that verify only the right password', () => {
    const h = ssha512('rahasia');
    expect(h).toMatch(/^\{SSHA512\}[A-Za-z0-9+/]+=*$/);
    expect(h).not.toContain('rahasia');
    expect(verifySsha512(h, 'rahasia')).toBe(true);
    expect(verifySsha512(h, 'rahasiA')).toBe(false);
    expect(ssha512('rahasia')).not.toBe(h);
  });

  it('keeps a line whose hash still matches, and rehashes a rotated password', () => {
    const first = renderUsers(desired.mailboxes, new Map());
    expect(first.split('\n')[1]).toMatch(new RegExp(`^sumberjaya\\.operator@${D.replaceAll('.', '\\.')}:\\{SSHA512\\}[^:]+::::::userdb_quota_rule=\\*:storage=2G$`));
    expect(renderUsers(desired.mailboxes, parseUsers(first))).toBe(first);
    const rotated = desired.mailboxes.map((m) => (m.slug === 'sumberjaya' ? { ...m, password: 'new' } : m));
    const second = renderUsers(rotated, parseUsers(first));
    expect(second.split('\n')[0]).toBe(first.split('\n')[0]);
    expect(second.split('\n')[1]).not.toBe(first.split('\n')[1]);
  });

  it('lets a mailbox send only as itself and its aliases', () => {
    expect(renderPostfixMaps(desired.mailboxes)).toEqual({
      vmailbox: `lambangsari.kepala-desa@${D} OK\nsumberjaya.operator@${D} OK\n`,
      valias: `sumberjaya.info@${D} sumberjaya.operator@${D}\n`,
      senders: `lambangsari.kepala-desa@${D} lambangsari.kepala-desa@${D}\nsumberjaya.operator@${D} sumberjaya.operator@${D}\nsumberjaya.info@${D} sumberjaya.operator@${D}\n`,
    });
  });
});

describe('planRrsets', () => {
  const mine = (name: string, content: string): Rrset => ({ name, type: 'A', ttl: 300, records: [{ content, disabled: false }], comments: [{ content: 'x', account: 'desa' }] });
  const theirs: Rrset = { name: `www.${D}.`, type: 'A', ttl: 300, records: [{ content: '10.0.0.1', disabled: false }] };

  it('replaces what differs, deletes only records it owns, and leaves the rest', () => {
    const current = [mine(`sumberjaya.${D}.`, '127.0.0.1'), mine(`gone.${D}.`, '127.0.0.1'), mine(`setia-asih.${D}.`, '10.9.9.9'), theirs];
    const changes = planRrsets(desired.records, current);
    expect(changes.map((c) => `${c.changetype} ${c.name} ${c.type}`).sort()).toEqual([
      `DELETE gone.${D}. A`,
      `REPLACE desa.bekasikab.go.id. CAA`,
      `REPLACE desa.bekasikab.go.id. MX`,
      `REPLACE desa.bekasikab.go.id. TXT`,
      `REPLACE files.${D}. A`,
      `REPLACE mail.${D}. A`,
      `REPLACE setia-asih.${D}. A`,
      `REPLACE webmail.${D}. A`,
    ]);
    expect(changes.find((c) => c.name === `setia-asih.${D}.`)!.comments![0]!.account).toBe('desa');
  });

  it('plans nothing once the zone matches', () => {
    const applied = planRrsets(desired.records, []).map(({ changetype: _, ...r }) => r);
    expect(planRrsets(desired.records, applied)).toEqual([]);
  });
});
