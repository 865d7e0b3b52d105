import { describe, expect, it } from 'vitest';
import type { Unit } from '../../core/inventory/model.ts';
import { realInventory } from '../../test/fixtures/report.ts';
import { SECRET, type StackState } from '../engine/state.ts';
import { mergeCheck } from './last-check.ts';
import { checkDocument, checkLines, type Found, linkResult, rowFor, summaryLine, targetsFor, tlsResult, type Where } from './model.ts';

const D = 'desa.bekasikab.go.id';
const unit = (slug: string): Unit => realInventory().units.find((u) => u.slug === slug)!;
const NOW = new Date('2026-12-04T00:00:00Z');

const where: Where = {
  dns: '127.0.0.1:23803',
  web: '127.0.0.1:23805',
  tls: null,
  imap: '127.0.0.1:23802',
  s3: 'http://127.0.0.1:23806',
  noTls: 'not yet: the local servers serve plain HTTP',
  down: {},
};

const state = (slug: string, o: Partial<StackState> = {}, outputs: Record<string, unknown> = {}): StackState => ({
  name: slug,
  provisioned: true,
  dataKept: false,
  lastUpdate: '2026-12-01T00:00:00.000Z',
  resourceCount: 20,
  updateInProgress: false,
  lastOperation: null,
  siteRunning: [],
  cluster: null,
  outputs: {
    host: `${slug}.${D}`,
    url: `https://${slug}.${D}/`,
    siteTemplate: 'profil',
    mailboxes: ['kepala-desa', 'operator'].map((r) => `${slug}.${r}@${D}`),
    bucket: `desa-${slug}`,
    mailPasswords: SECRET,
    storageCredentials: SECRET,
    ...outputs,
  },
  ...o,
});

const page = (name: string) => ({ ok: true as const, value: { status: 200, body: `<html><h1>Desa ${name}</h1></html>` } });
const allGood = (slug: string, name: string): Found => ({
  dns: { ok: true, value: ['127.0.0.1'] },
  site: page(name),
  mail: ['kepala-desa', 'operator'].map((r) => ({ address: `${slug}.${r}@${D}`, login: { ok: true, value: null } })),
  storage: { ok: true, value: null },
});

describe('what a desa is checked for', () => {
  it('follows what its stack provisioned: host, mailboxes, bucket; nothing for a desa without a stack', () => {
    const u = unit('sumberjaya');
    expect(targetsFor(u, state('sumberjaya'))).toEqual({
      slug: 'sumberjaya',
      name: 'Sumberjaya',
      notProvisioned: null,
      host: `sumberjaya.${D}`,
      siteTemplate: 'profil',
      mailboxes: [`sumberjaya.kepala-desa@${D}`, `sumberjaya.operator@${D}`],
      bucket: 'desa-sumberjaya',
    });
    expect(targetsFor(u, undefined).notProvisioned).toBe('not provisioned (it has no stack): run `desa up --only sumberjaya`');
    expect(targetsFor(u, state('sumberjaya', { provisioned: false, dataKept: true })).notProvisioned).toMatch(/destroyed, its data kept/);
    // No URL: nothing is served on the subdomain (an external app whose address is not known).
    expect(targetsFor(u, state('sumberjaya', {}, { url: null, siteTemplate: 'external' })).host).toBeNull();
  });
});

describe('a readiness row', () => {
  it('is ready when every probe passed; TLS says honestly that it is not there yet; link n/a without data', () => {
    const u = unit('sumberjaya');
    const row = rowFor(u, targetsFor(u, state('sumberjaya')), allGood('sumberjaya', 'Sumberjaya'), where, NOW);
    expect(row.ready).toBe(true);
    expect(Object.fromEntries(Object.entries(row.checks).map(([k, v]) => [k, v.state]))).toEqual({
      provisioned: 'ok',
      dns: 'ok',
      tls: 'n/a',
      site: 'ok',
      mail: 'ok',
      storage: 'ok',
      link: 'n/a',
    });
    expect(row.checks.tls.detail).toBe('not yet: the local servers serve plain HTTP');
    expect(row.checks.mail.detail).toBe('2 mailboxes log in');
    expect(row.checks.dns.detail).toBe(`sumberjaya.${D} → 127.0.0.1`);
  });

  it('names the reason of each failure: DNS down, a page without the name, a refused login, a missing key', () => {
    const u = unit('sumberjaya');
    const found: Found = {
      dns: { ok: false, code: 'ECONNREFUSED', error: 'queryA ECONNREFUSED' },
      site: { ok: true, value: { status: 200, body: '<h1>Sedang dalam perbaikan</h1>' } },
      mail: [
        { address: `sumberjaya.kepala-desa@${D}`, login: { ok: true, value: null } },
        { address: `sumberjaya.operator@${D}`, login: { ok: false, code: 'AUTH', error: 'Authentication failed.' } },
      ],
      storage: null,
    };
    const row = rowFor(u, targetsFor(u, state('sumberjaya')), found, { ...where, down: { dns: 'pdns is stopped' } }, NOW);
    expect(row.ready).toBe(false);
    expect(row.checks.dns).toEqual({ state: 'fail', detail: 'the DNS server 127.0.0.1:23803 does not answer: nothing listens there (pdns is stopped)' });
    expect(row.checks.site).toEqual({ state: 'fail', detail: `http://sumberjaya.${D}/ answers, but its page does not name Sumberjaya` });
    expect(row.checks.mail).toEqual({ state: 'fail', detail: `1 of 2 mailboxes cannot log in: sumberjaya.operator@${D}: the login is refused (Authentication failed.)` });
    expect(row.checks.storage).toEqual({ state: 'fail', detail: 'desa-sumberjaya: no credential in the cluster (its bucket Secret is missing)' });
  });

  it('says a reason shared by every mailbox once, and names a 404 and a name missing from the zone', () => {
    const u = unit('sumberjaya');
    const refused = { ok: false as const, code: 'ECONNREFUSED', error: 'connect ECONNREFUSED 127.0.0.1:23802' };
    const found: Found = {
      dns: { ok: false, code: 'ENOTFOUND', error: 'queryA ENOTFOUND' },
      site: { ok: true, value: { status: 404, body: '' } },
      mail: [`sumberjaya.kepala-desa@${D}`, `sumberjaya.operator@${D}`].map((address) => ({ address, login: refused })),
      storage: { ok: false, code: 'S3', error: 'InvalidAccessKeyId, HTTP 403' },
    };
    const row = rowFor(u, targetsFor(u, state('sumberjaya')), found, where, NOW);
    expect(row.checks.dns.detail).toBe(`sumberjaya.${D} is not in the zone (NXDOMAIN) on the DNS server 127.0.0.1:23803`);
    expect(row.checks.site.detail).toBe(`http://sumberjaya.${D}/ answers HTTP 404 (no site for this host)`);
    expect(row.checks.mail.detail).toBe('none of 2 mailboxes logs in: the IMAP server 127.0.0.1:23802 refused the connection');
    expect(row.checks.storage.detail).toBe('desa-sumberjaya: the storage refuses its key (InvalidAccessKeyId, HTTP 403)');
  });

  it('a desa not provisioned fails on that alone; the others checks have nothing to probe', () => {
    const u = unit('sumberjaya');
    const row = rowFor(u, targetsFor(u, undefined), {}, where, NOW);
    expect(row.ready).toBe(false);
    expect(Object.values(row.checks).filter((c) => c.state === 'fail')).toEqual([{ state: 'fail', detail: 'not provisioned (it has no stack): run `desa up --only sumberjaya`' }]);
    expect(row.checks.dns).toEqual({ state: 'n/a', detail: 'not provisioned' });
  });

  it('an external app without an address: no subdomain to resolve or open, not a failure', () => {
    const u = unit('lambangsari');
    const t = targetsFor(u, state('lambangsari', {}, { url: null, siteTemplate: 'external' }));
    const row = rowFor(u, t, { ...allGood('lambangsari', 'Lambangsari'), dns: undefined, site: undefined }, where, NOW);
    expect(row.ready).toBe(true);
    expect(row.checks.site).toEqual({ state: 'n/a', detail: 'no subdomain: the desa runs its own app, its address not known yet' });
  });

  it('the HTML-escaped name counts as naming the desa', () => {
    const u = { ...unit('sumberjaya'), name: "Tanjung 'Baru' & Jaya" };
    const t = targetsFor(u, state('sumberjaya'));
    const found = { ...allGood('sumberjaya', ''), site: { ok: true as const, value: { status: 200, body: '<h1>Tanjung &#39;Baru&#39; &amp; Jaya</h1>' } } };
    expect(rowFor(u, t, found, where, NOW).checks.site.state).toBe('ok');
  });
});

describe('the link, from desa.yaml', () => {
  const withLink = (c: Partial<Unit['connectivity']>): Unit => ({ ...unit('sumberjaya'), connectivity: { ...unit('sumberjaya').connectivity, ...c } });
  it('connected is ok with what is known; in progress and not connected fail; unknown is not a failure', () => {
    expect(linkResult(withLink({ status: 'connected', connectedOn: '2023-05-01', technology: 'fibre', bandwidthMbps: 100, provider: 'Telkom' }))).toEqual({
      state: 'ok',
      detail: 'connected since 2023-05-01 (fibre, 100 Mbps, Telkom), per desa.yaml',
    });
    expect(linkResult(withLink({ status: 'in-progress' })).state).toBe('fail');
    expect(linkResult(withLink({ status: 'not-connected' }))).toEqual({ state: 'fail', detail: 'not connected, per desa.yaml' });
    expect(linkResult(withLink({ status: 'unknown' }))).toEqual({ state: 'n/a', detail: 'no connectivity data in desa.yaml' });
  });
});

describe('the certificate', () => {
  const tlsWhere = { ...where, tls: '127.0.0.1:23807' };
  const cert = { authorized: true, authorizationError: null, namesHost: true, validFrom: '2026-11-01T00:00:00.000Z', validTo: '2027-01-30T00:00:00.000Z' };
  it('valid: the days left; expired, not trusted or for another name: fails with why', () => {
    expect(tlsResult('a.x', { ok: true, value: cert }, tlsWhere, NOW)).toEqual({ state: 'ok', detail: 'valid, 57 days left (until 2027-01-30)' });
    expect(tlsResult('a.x', { ok: true, value: { ...cert, validTo: '2026-12-01T00:00:00.000Z' } }, tlsWhere, NOW).detail).toBe('the certificate for a.x expired on 2026-12-01');
    expect(tlsResult('a.x', { ok: true, value: { ...cert, authorized: false, authorizationError: 'DEPTH_ZERO_SELF_SIGNED_CERT' } }, tlsWhere, NOW).detail).toBe(
      'the certificate for a.x is not trusted (DEPTH_ZERO_SELF_SIGNED_CERT)',
    );
    expect(tlsResult('a.x', { ok: true, value: { ...cert, namesHost: false } }, tlsWhere, NOW).state).toBe('fail');
    expect(tlsResult('a.x', { ok: false, code: 'ECONNREFUSED', error: 'x' }, tlsWhere, NOW).detail).toBe('TLS on 127.0.0.1:23807 for a.x refused the connection');
  });
});

describe('the document, its lines and what is kept for the report', () => {
  const rows = () => {
    const a = unit('sumberjaya');
    const b = unit('karangmukti');
    return [
      rowFor(a, targetsFor(a, state('sumberjaya')), allGood('sumberjaya', 'Sumberjaya'), where, NOW),
      rowFor(b, targetsFor(b, state('karangmukti')), { ...allGood('karangmukti', 'Karangmukti'), dns: { ok: false, code: 'ETIMEOUT', error: 't' } }, where, NOW),
    ];
  };

  it('counts, lines with the reasons under the desa that is not ready, the TLS note once', () => {
    const doc = checkDocument('desa.yaml', rows(), where, NOW, 1234);
    expect(doc).toMatchObject({ ok: false, checkedAt: '2026-12-04T00:00:00.000Z', durationMs: 1234, counts: { units: 2, ready: 1, notReady: 1 } });
    expect(checkLines(doc)).toEqual([
      'SLUG         READY  PROVISIONED  DNS   TLS  SITE  MAIL  STORAGE  LINK',
      'sumberjaya   yes    ok           ok    -    ok    ok    ok       -',
      'karangmukti  NO     ok           FAIL  -    ok    ok    ok       -',
      '    dns: no answer from the DNS server 127.0.0.1:23803 in time',
      'tls: not yet: the local servers serve plain HTTP',
    ]);
    expect(summaryLine(doc)).toBe('2 desa checked in 1.2 s: 1 ready, 1 not ready.');
  });

  it('a later --only run replaces its desa and keeps the others', () => {
    const first = mergeCheck(null, checkDocument('desa.yaml', rows(), where, NOW, 1));
    expect(first.units.karangmukti).toEqual({ checkedAt: NOW.toISOString(), ready: false, failures: [{ check: 'dns', detail: 'no answer from the DNS server 127.0.0.1:23803 in time' }] });
    const later = new Date('2026-12-05T00:00:00Z');
    const k = unit('karangmukti');
    const again = mergeCheck(first, checkDocument('desa.yaml', [rowFor(k, targetsFor(k, state('karangmukti')), allGood('karangmukti', 'Karangmukti'), where, later)], where, later, 1));
    expect(again.units.karangmukti).toEqual({ checkedAt: later.toISOString(), ready: true, failures: [] });
    expect(again.units.sumberjaya).toEqual(first.units.sumberjaya);
  });
});
