// The file space's rules, without SFTPGo: who gets a login, the quota SFTPGo enforces, what a desa's
// admin may do, and when an existing user needs an update. The REST calls against the real SFTPGo are
// test/files.e2e.test.ts's.
import { describe, expect, it } from 'vitest';
import type { Bucket } from './desired.ts';
import { argon2Sync, pbkdf2Sync } from 'node:crypto';
import { adminBody, adminPasswordHash, DESA_ADMIN_PERMISSIONS, desaUsage, desiredFiles, groupBody, quotaBytes, quotaFiles, userBody, userMatches, userPasswordHash } from './files.ts';

const bucket = (slug: string, over: Partial<Bucket> = {}): Bucket => ({
  slug,
  bucket: `desa-${slug}`,
  accessKeyId: `desa-${slug}`,
  secretAccessKey: `sk-${slug}`,
  quota: '20Gi',
  filesPassword: `pw-${slug}`,
  filesAdminPassword: `apw-${slug}`,
  active: true,
  ...over,
});

describe('the desas\' file space (issue 13)', () => {
  it('reads the storage quota as bytes, and allows 10,000 files a GiB (at least 1000)', () => {
    expect(['20Gi', '500Mi', '1T', '1.5Gi', '4096'].map(quotaBytes)).toEqual([20 * 2 ** 30, 500 * 2 ** 20, 1e12, 1.5 * 2 ** 30, 4096]);
    expect(() => quotaBytes('20 GB')).toThrow(/not a storage quota/);
    expect(quotaFiles(20 * 2 ** 30)).toBe(200_000);
    expect(quotaFiles(2 ** 20)).toBe(1000);
  });

  it('one login per desa with storage, its home under the homes folder, the quota of desa.yaml in size and files', () => {
    const d = desiredFiles([bucket('sumberjaya'), bucket('lambangsari', { quota: '1Gi' })], '/s/files/homes');
    expect(d.map((x) => [x.user, x.admin, x.group, x.home, x.quotaSize, x.quotaFiles])).toEqual([
      ['sumberjaya', 'sumberjaya-admin', 'desa-sumberjaya', '/s/files/homes/sumberjaya', 20 * 2 ** 30, 200_000],
      ['lambangsari', 'lambangsari-admin', 'desa-lambangsari', '/s/files/homes/lambangsari', 2 ** 30, 10_000],
    ]);
  });

  it('an offboarded desa (its access Secret gone) and a claim made before the file passwords existed get no login', () => {
    const d = desiredFiles([bucket('a', { active: false }), bucket('b', { filesPassword: '', filesAdminPassword: '' }), bucket('c')], '/h');
    expect(d.map((x) => x.slug)).toEqual(['c']);
  });

  it('the login: WebDAV and the web client only, everything in its home, in its desa\'s role and group; share links allowed', () => {
    const [d] = desiredFiles([bucket('sumberjaya')], '/h');
    const u = userBody(d!);
    expect(u).toMatchObject({ username: 'sumberjaya', role: 'desa-sumberjaya', groups: [{ name: 'desa-sumberjaya', type: 1 }], permissions: { '/': ['*'] }, quota_size: 20 * 2 ** 30, quota_files: 200_000 });
    expect(u.filters.denied_protocols).toEqual(['SSH', 'FTP']);
    expect(u.filters.web_client).not.toContain('shares-disabled');
    expect(JSON.stringify(u)).not.toContain('pw-sumberjaya');
    expect(groupBody(d!)).toMatchObject({ name: 'desa-sumberjaya', user_settings: { filters: { denied_protocols: ['SSH', 'FTP'] } } });
  });

  it("the desa's admin manages its own role's users and nothing else: no admins, groups, roles, folders or system", () => {
    const [d] = desiredFiles([bucket('sumberjaya')], '/h');
    const a = adminBody(d!);
    expect(a).toMatchObject({ username: 'sumberjaya-admin', role: 'desa-sumberjaya', groups: [{ name: 'desa-sumberjaya', options: { add_to_users_as: 1 } }] });
    expect(a.permissions).toEqual([...DESA_ADMIN_PERMISSIONS]);
    for (const p of ['*', 'manage_admins', 'manage_groups', 'manage_roles', 'manage_folders', 'manage_system', 'manage_event_rules']) expect(a.permissions).not.toContain(p);
  });

  it('an existing user is updated only when what desa sets differs (a second sync sends nothing)', () => {
    const [d] = desiredFiles([bucket('sumberjaya')], '/h');
    const want = userBody(d!);
    const have = { ...want, used_quota_size: 5, groups: [{ name: 'desa-sumberjaya', type: 1 }], filters: { denied_protocols: ['FTP', 'SSH'] } };
    expect(userMatches(have, want)).toBe(true);
    expect(userMatches({ ...have, quota_size: 2 ** 30 }, want)).toBe(false);
    expect(userMatches({ ...have, role: '' }, want)).toBe(false);
    expect(userMatches({ ...have, filters: { denied_protocols: ['FTP'] } }, want)).toBe(false);
  });

  it("sends a login's password hashed (PBKDF2-SHA256, salted, in the form SFTPGo takes pre-hashed), never in clear", () => {
    const h = userPasswordHash('rahasia-desa');
    const [, algo, iterations, salt, hash] = h.split('$');
    expect(algo).toBe('pbkdf2-b64salt-sha256');
    expect(pbkdf2Sync('rahasia-desa', Buffer.from(salt!, 'base64'), Number(iterations), 32, 'sha256').toString('base64')).toBe(hash);
    expect(h).not.toContain('rahasia-desa');
    expect(userPasswordHash('rahasia-desa')).not.toBe(h);
  });

  it("sends an admin's password hashed (argon2id, in the form SFTPGo takes pre-hashed for admins), never in clear", () => {
    const h = adminPasswordHash('rahasia-admin');
    const m = /^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/.exec(h);
    expect(m, h).not.toBeNull();
    const [, memory, passes, parallelism, salt, key] = m!;
    const again = argon2Sync('argon2id', { message: 'rahasia-admin', nonce: Buffer.from(salt!, 'base64'), memory: Number(memory), passes: Number(passes), parallelism: Number(parallelism), tagLength: 32 });
    expect(again.toString('base64').replace(/=+$/, '')).toBe(key);
    expect(h).not.toContain('rahasia-admin');
    expect(adminPasswordHash('rahasia-admin')).not.toBe(h);
  });

  it("reads each desa's usage from SFTPGo's user list: the desa's login only, with the quota SFTPGo enforces", () => {
    const [d] = desiredFiles([bucket('sumberjaya', { quota: '2Mi' })], '/h');
    const users = [
      { ...userBody(d!), used_quota_size: 1_200_015, used_quota_files: 2 },
      // A user the desa's admin added: its own quota, not the desa's.
      { username: 'staf-sumberjaya', role: 'desa-sumberjaya', quota_size: 0, used_quota_size: 999 },
      // A login left from before roles, and one with no quota (0: unlimited) and nothing used yet.
      { username: 'lama', quota_size: 10 },
      { username: 'karangmukti', role: 'desa-karangmukti', quota_size: 0, quota_files: 0 },
    ];
    expect(desaUsage(users)).toEqual([
      { slug: 'karangmukti', bytes: 0, files: 0, quotaBytes: null, quotaFiles: null },
      { slug: 'sumberjaya', bytes: 1_200_015, files: 2, quotaBytes: 2 * 2 ** 20, quotaFiles: 1000 },
    ]);
  });
});
