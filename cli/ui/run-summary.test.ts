import { describe, expect, it } from 'vitest';
import type { SyncReport } from '../services/sync.ts';
import { servicesLines } from './run-summary.ts';

const report: SyncReport = {
  endpoints: { smtp: 23800, submission: 23801, imap: 23802, imaps: 23809, dns: 23803, http: 23805, https: 23808, s3: 23806 },
  mailboxes: 537,
  aliases: 0,
  dkimSelector: 'mail',
  buckets: { active: 178, revoked: 1, deleted: 0, usage: [] },
  records: 191,
  sites: 186,
  skipped: [],
  changed: { mail: false, dns: 0, sites: 0 },
  timings: {},
};

describe('servicesLines', () => {
  it('says what each server serves and where', () => {
    expect(servicesLines(report)).toEqual([
      'services on this machine: 537 mailbox(es) (IMAPS 127.0.0.1:23809, SMTP submission with STARTTLS 127.0.0.1:23801, signed with DKIM selector mail), 178 bucket(s) + 1 kept with access revoked (S3 http://127.0.0.1:23806), 191 DNS record set(s) (127.0.0.1:23803), 186 site(s) (HTTPS 127.0.0.1:23808).',
    ]);
  });

  it('names the file space, what offboarding revoked, and the desa nearest its quota (issue 13)', () => {
    const files = { active: 178, revoked: 2, deleted: 0, changed: 0, usage: [
      { slug: 'sumberjaya', bytes: 2 ** 20, files: 1, quotaBytes: 2 * 2 ** 20, quotaFiles: 1000 },
      { slug: 'karangmukti', bytes: 0, files: 0, quotaBytes: 2 * 2 ** 20, quotaFiles: 1000 },
    ] };
    expect(servicesLines({ ...report, files })[0]).toContain('178 file space login(s), 2 revoked, fullest: sumberjaya 1.0 MiB of 2.0 MiB (HTTPS 127.0.0.1:23808: files.<domain>, WebDAV files.<domain>/dav/)');
    expect(servicesLines(report)[0]).not.toContain('file space');
  });

  it('claims nothing for a server that did not run', () => {
    const lines = servicesLines({ ...report, dkimSelector: null, skipped: [{ server: 'postfix', reason: 'postfix needs root' }, { server: 'versitygw', reason: 'stopped' }] });
    expect(lines[0]).toBe('services on this machine: 537 mailbox(es) (IMAPS 127.0.0.1:23809), 191 DNS record set(s) (127.0.0.1:23803), 186 site(s) (HTTPS 127.0.0.1:23808).');
    expect(lines[1]).toBe('services not applied: postfix (postfix needs root), versitygw (stopped); `desa cluster status` shows the servers.');
    const none = servicesLines({ ...report, skipped: ['dovecot', 'postfix', 'pdns', 'nginx', 'versitygw'].map((server) => ({ server, reason: 'stopped' })) });
    expect(none).toHaveLength(1);
    expect(none[0]).toMatch(/^services not applied: dovecot \(stopped\)/);
  });

  it('says which desa run OpenSID, which failed and why, and what an offboarding kept', () => {
    const opensid = {
      release: { id: 'c02380a5524efe9d', version: '2410.0.0' },
      sites: [
        { slug: 'lambangjaya', host: 'lambangjaya.desa.bekasikab.go.id', state: 'ready' as const, seeded: true, seconds: 5.8 },
        { slug: 'sumberjaya', host: 'sumberjaya.desa.bekasikab.go.id', state: 'failed' as const, seeded: false, error: 'OpenSID did not answer its login page\nlog lines' },
      ],
      kept: [{ slug: 'karangmukti', dump: '/srv/.desa/services/opensid/kept/karangmukti/karangmukti-2026.sql' }],
      deleted: [],
    };
    expect(servicesLines({ ...report, opensid }).slice(1)).toEqual([
      'OpenSID 2410.0.0: lambangjaya ready.',
      'OpenSID: sumberjaya FAILED: OpenSID did not answer its login page; its name is not published.',
      'OpenSID: karangmukti offboarded: site gone, database dump and files kept (/srv/.desa/services/opensid/kept/karangmukti/karangmukti-2026.sql).',
    ]);
    expect(servicesLines(report)).toHaveLength(1);
  });

  it('reports a failed sync', () => {
    expect(servicesLines({ error: 'PowerDNS PATCH: HTTP 422' })).toEqual(['services: FAILED: PowerDNS PATCH: HTTP 422']);
  });
});

describe('a local server that did not start (issue 12: never a silent success)', () => {
  it('fails the run with a summary line and says why', async () => {
    const { summaryLines } = await import('./run-summary.ts');
    const { localTarget } = await import('../cluster/target.ts');
    const { exitCodeOf, failureMessage } = await import('../engine/outcome.ts');
    const s = {
      verb: 'up' as const,
      ok: false,
      interrupted: false,
      stacks: [{ stack: 'platform', operation: 'up' as const, result: 'succeeded' as const, changes: { create: 0, update: 0, delete: 0, same: 3 }, seconds: 1 }],
      services: { ...report, skipped: [{ server: 'dovecot', reason: 'stopped' }] },
      serversFailed: [{ server: 'dovecot', reason: 'exited during start-up (see /x/.desa/services/log/dovecot.log)' }],
    };
    expect(summaryLines(s).at(-1)).toBe('services: FAILED: dovecot did not start: exited during start-up (see /x/.desa/services/log/dovecot.log)');
    expect(exitCodeOf(s)).toBe(4);
    expect(failureMessage(s, localTarget('/x/desa.yaml', {}).explain).message).toBe(
      'Every stack succeeded, but 1 local server(s) did not start, so what they serve is not there: dovecot.',
    );
  });
});
