// The desas' file space on SFTPGo (cli/servers/sftpgo.ts), through its REST API: for each desa with
// storage, a role and a group (desa-<slug>), one login (<slug>) whose home (files/homes/<slug>) holds
// the desa's files with its storage quota enforced (size and file count), WebDAV and the web client on,
// SFTP and FTP off, share links allowed; and an admin (<slug>-admin) limited to the users of its role, so
// a desa's operator manages its own users and nothing else. Passwords come from the bucket's access
// Secret (core/contract.ts BUCKET, FILES): offboarding deletes it, and the sync deletes the desa's logins
// at once (SFTPGo closes their connections; a web session's token no longer finds its user), while the
// home stays on disk until `desa destroy --delete-data`. Idempotent: what SFTPGo already has is compared
// first, passwords by a SHA-256 of the value last set (files/sync-state.json, 0600: the passwords are
// 198-bit random strings, so the digest reveals nothing), and a second run sends no update.
import { argon2Sync, createHash, pbkdf2Sync, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { FILES } from '../../core/contract.ts';
import { writeIfChanged } from '../servers/files.ts';
import { FILES_ADMIN, FILES_DIRS } from '../servers/sftpgo.ts';
import { type LocalServices, readServiceSecret } from '../servers/state.ts';
import type { Bucket } from './desired.ts';

const UNITS: Record<string, number> = { '': 1, K: 1e3, M: 1e6, G: 1e9, T: 1e12, Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40 };

/** Bytes of a Kubernetes-style quantity (20Gi, 500Mi, 1T); throws on anything else. */
export function quotaBytes(quantity: string): number {
  const m = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti|K|M|G|T|)$/.exec(quantity.trim());
  if (!m) throw new Error(`"${quantity}" is not a storage quota (e.g. 20Gi, 500Mi)`);
  return Math.round(Number(m[1]) * UNITS[m[2]!]!);
}

/** The file count a quota allows: FILES.filesPerGiB for each GiB, at least 1000. */
export function quotaFiles(bytes: number): number {
  return Math.max(1000, Math.round((bytes / 2 ** 30) * FILES.filesPerGiB));
}

/** What SFTPGo must hold for one desa. */
export interface FilesDesa {
  slug: string;
  user: string;
  admin: string;
  group: string;
  home: string;
  quotaSize: number;
  quotaFiles: number;
  password: string;
  adminPassword: string;
}

/** The desas whose file space is granted: an active bucket whose access Secret carries the file-space passwords. */
export function desiredFiles(buckets: readonly Bucket[], homes: string): FilesDesa[] {
  return buckets
    .filter((b) => b.active && b.filesPassword && b.filesAdminPassword && b.quota)
    .map((b) => {
      const size = quotaBytes(b.quota);
      return { slug: b.slug, user: FILES.user(b.slug), admin: FILES.admin(b.slug), group: FILES.group(b.slug), home: join(homes, b.slug), quotaSize: size, quotaFiles: quotaFiles(size), password: b.filesPassword, adminPassword: b.filesAdminPassword };
    });
}

/** The protocols a desa's login may not use: SFTP and FTP are off; the web client (HTTP) and WebDAV (DAV) are the way in. */
const DENIED_PROTOCOLS = ['SSH', 'FTP'];

/** What an admin scoped to one desa may do: its own users (its role's), their connections and quota scans. */
export const DESA_ADMIN_PERMISSIONS = ['add_users', 'edit_users', 'del_users', 'view_users', 'view_conns', 'close_conns', 'quota_scans'] as const;

/** The user SFTPGo gets (REST /users), without its password. */
export function userBody(d: FilesDesa) {
  return {
    username: d.user,
    status: 1,
    home_dir: d.home,
    permissions: { '/': ['*'] },
    quota_size: d.quotaSize,
    quota_files: d.quotaFiles,
    role: d.group,
    groups: [{ name: d.group, type: 1 }],
    // Share links stay allowed (no "shares-disabled" in web_client): with a password and an expiry.
    filters: { denied_protocols: DENIED_PROTOCOLS, web_client: [] as string[] },
    description: `Desa ${d.slug}`,
  };
}

/** The group: what the users the desa's admin adds get (it adds them to this group as their primary one). */
export function groupBody(d: FilesDesa) {
  return { name: d.group, description: `Desa ${d.slug}`, user_settings: { filters: { denied_protocols: DENIED_PROTOCOLS } } };
}

export function adminBody(d: FilesDesa) {
  return { username: d.admin, status: 1, permissions: [...DESA_ADMIN_PERMISSIONS], role: d.group, groups: [{ name: d.group, options: { add_to_users_as: 1 } }], description: `Desa ${d.slug}` };
}

/**
 * A login's password as SFTPGo stores it, hashed here: PBKDF2-SHA256 with a random salt, which SFTPGo
 * accepts pre-hashed for users (`$pbkdf2-b64salt-sha256$`). Few iterations, as Dovecot's salted SHA-512
 * (mail.ts): the passwords are 198-bit random strings (stacks/secrets.ts), which no stretching makes
 * harder to guess, and SFTPGo's own bcrypt would make the first sync of 187 desa take minutes.
 */
export function userPasswordHash(password: string, salt: Buffer = randomBytes(16)): string {
  const iterations = 1000;
  return `$pbkdf2-b64salt-sha256$${iterations}$${salt.toString('base64')}$${pbkdf2Sync(password, salt, iterations, 32, 'sha256').toString('base64')}`;
}

/**
 * A desa admin's password as SFTPGo stores it, hashed here: argon2id (`$argon2id$v=19$m=…,t=…,p=…$salt$key`,
 * unpadded base64), the one algorithm beside bcrypt SFTPGo takes pre-hashed for admins. Light parameters
 * (4 MiB, one pass) for the same reason as userPasswordHash: desa generates these passwords (198 bits);
 * SFTPGo's own bcrypt took most of a first sync's time for 187 desa. A password an admin later sets
 * in SFTPGo's pages is hashed by SFTPGo itself, with its defaults.
 */
export function adminPasswordHash(password: string, salt: Buffer = randomBytes(16)): string {
  const params = { memory: 4096, passes: 1, parallelism: 1 };
  const key = argon2Sync('argon2id', { message: password, nonce: salt, tagLength: 32, ...params });
  const b64 = (x: Buffer) => x.toString('base64').replace(/=+$/, '');
  return `$argon2id$v=19$m=${params.memory},t=${params.passes},p=${params.parallelism}$${b64(salt)}$${b64(key)}`;
}

const digest = (password: string) => createHash('sha256').update(password).digest('hex');

export interface SftpgoUser {
  username: string;
  role?: string;
  home_dir?: string;
  quota_size?: number;
  quota_files?: number;
  used_quota_size?: number;
  used_quota_files?: number;
  groups?: { name: string; type: number }[];
  filters?: { denied_protocols?: string[] };
}

/** Whether SFTPGo's user already is what userBody says (the fields desa sets). */
export function userMatches(have: SftpgoUser, want: ReturnType<typeof userBody>): boolean {
  return (
    have.role === want.role &&
    have.home_dir === want.home_dir &&
    have.quota_size === want.quota_size &&
    have.quota_files === want.quota_files &&
    JSON.stringify((have.groups ?? []).map((g) => [g.name, g.type])) === JSON.stringify(want.groups.map((g) => [g.name, g.type])) &&
    JSON.stringify([...(have.filters?.denied_protocols ?? [])].sort()) === JSON.stringify([...want.filters.denied_protocols].sort())
  );
}

export interface FilesUsage {
  slug: string;
  bytes: number;
  files: number;
  quotaBytes: number;
  quotaFiles: number;
}

export interface FilesReport {
  /** Desas with a login. */
  active: number;
  /** Logins and admins deleted by this run (offboarding). */
  revoked: number;
  /** Homes removed (--delete-data). */
  deleted: number;
  /** Requests that changed something. */
  changed: number;
  usage: FilesUsage[];
}

/** SFTPGo's REST API, as desa's admin (a token per sync); each request gives up after `timeoutMs`. */
export function filesApi(port: number, adminPassword: string, timeoutMs = 30_000) {
  const base = `http://127.0.0.1:${port}/api/v2`;
  let token: string | null = null;
  const call = async (method: string, path: string, body?: unknown): Promise<unknown> => {
    if (!token) {
      const r = await fetch(`${base}/token`, { headers: { authorization: `Basic ${Buffer.from(`${FILES_ADMIN.username}:${adminPassword}`).toString('base64')}` }, signal: AbortSignal.timeout(timeoutMs) });
      if (!r.ok) throw new Error(`SFTPGo refused desa's admin login (HTTP ${r.status})`);
      token = ((await r.json()) as { access_token: string }).access_token;
    }
    const r = await fetch(`${base}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await r.text();
    if (!r.ok && !(method === 'DELETE' && r.status === 404)) {
      // SFTPGo's error names the field; never the body sent (it may hold a password).
      let why = text.slice(0, 300);
      try {
        const j = JSON.parse(text) as { error?: string; message?: string };
        why = [j.message, j.error].filter(Boolean).join(': ');
      } catch {}
      throw new Error(`SFTPGo ${method} ${path.replace(/\?.*$/, '')}: HTTP ${r.status} ${why}`);
    }
    return text ? (JSON.parse(text) as unknown) : null;
  };
  /** Every item of a list endpoint (500 a page). */
  const list = async <T>(path: string): Promise<T[]> => {
    const out: T[] = [];
    for (let offset = 0; ; offset += 500) {
      const page = (await call('GET', `${path}?limit=500&offset=${offset}`)) as T[];
      out.push(...page);
      if (page.length < 500) return out;
    }
  };
  return { call, list };
}

type SyncState = { users: Record<string, string>; admins: Record<string, string> };

export async function applyFiles(s: LocalServices, buckets: readonly Bucket[], deleteData: ReadonlySet<string>): Promise<FilesReport> {
  const homes = join(s.dir, FILES_DIRS.homes);
  const want = desiredFiles(buckets, homes);
  const api = filesApi(s.ports.files, readServiceSecret(s.dir, FILES_ADMIN.secret));
  const stateFile = join(s.dir, FILES_DIRS.config, 'sync-state.json');
  const state: SyncState = existsSync(stateFile) ? (JSON.parse(readFileSync(stateFile, 'utf8')) as SyncState) : { users: {}, admins: {} };
  const [users, admins, groups, roles] = await Promise.all([
    api.list<SftpgoUser>('/users'),
    api.list<{ username: string; role?: string }>('/admins'),
    api.list<{ name: string }>('/groups'),
    api.list<{ name: string }>('/roles'),
  ]);
  const userBy = new Map(users.map((u) => [u.username, u]));
  const adminBy = new Map(admins.map((a) => [a.username, a]));
  const groupSet = new Set(groups.map((g) => g.name));
  const roleSet = new Set(roles.map((r) => r.name));
  let changed = 0;

  const one = async (d: FilesDesa) => {
    if (!roleSet.has(d.group)) {
      await api.call('POST', '/roles', { name: d.group, description: `Desa ${d.slug}` });
      changed++;
    }
    if (!groupSet.has(d.group)) {
      await api.call('POST', '/groups', groupBody(d));
      changed++;
    }
    const body = userBody(d);
    const have = userBy.get(d.user);
    const pw = digest(d.password);
    if (!have) {
      await api.call('POST', '/users', { ...body, password: userPasswordHash(d.password) });
      changed++;
    } else if (!userMatches(have, body) || state.users[d.user] !== pw) {
      // PUT replaces the user; the password only when it changed (a rotation).
      await api.call('PUT', `/users/${encodeURIComponent(d.user)}`, { ...body, ...(state.users[d.user] !== pw ? { password: userPasswordHash(d.password) } : {}) });
      changed++;
    }
    state.users[d.user] = pw;
    const apw = digest(d.adminPassword);
    const admin = adminBody(d);
    const haveAdmin = adminBy.get(d.admin);
    if (!haveAdmin) {
      await api.call('POST', '/admins', { ...admin, password: adminPasswordHash(d.adminPassword) });
      changed++;
    } else if (haveAdmin.role !== d.group || state.admins[d.admin] !== apw) {
      await api.call('PUT', `/admins/${encodeURIComponent(d.admin)}`, { ...admin, password: adminPasswordHash(d.adminPassword) });
      changed++;
    }
    state.admins[d.admin] = apw;
  };
  const queue = [...want];
  const worker = async () => {
    for (let d = queue.shift(); d; d = queue.shift()) await one(d);
  };
  await Promise.all([worker(), worker(), worker(), worker()]);

  // Offboarding: every login and admin of a desa's role that is no longer granted goes at once (the
  // users its admin added too); the role, the group and the home stay (data), the home until --delete-data.
  const granted = new Set(want.map((d) => d.group));
  const desaRole = (role: string | undefined) => role !== undefined && role.startsWith('desa-') && !granted.has(role);
  let revoked = 0;
  for (const a of admins) {
    if (a.username !== FILES_ADMIN.username && desaRole(a.role)) {
      await api.call('DELETE', `/admins/${encodeURIComponent(a.username)}`);
      delete state.admins[a.username];
      revoked++;
    }
  }
  for (const u of users) {
    if (desaRole(u.role)) {
      await api.call('DELETE', `/users/${encodeURIComponent(u.username)}`);
      delete state.users[u.username];
      revoked++;
    }
  }
  changed += revoked;
  let deleted = 0;
  const active = new Set(want.map((d) => d.slug));
  for (const slug of deleteData) {
    const home = join(homes, slug);
    if (!active.has(slug) && /^[a-z0-9-]+$/.test(slug) && existsSync(home)) {
      rmSync(home, { recursive: true, force: true });
      deleted++;
    }
  }
  writeIfChanged(stateFile, `${JSON.stringify(state, null, 1)}\n`, 0o600);

  const now = changed > 0 ? new Map((await api.list<SftpgoUser>('/users')).map((u) => [u.username, u])) : userBy;
  const usage = want.map((d): FilesUsage => {
    const u = now.get(d.user);
    return { slug: d.slug, bytes: u?.used_quota_size ?? 0, files: u?.used_quota_files ?? 0, quotaBytes: d.quotaSize, quotaFiles: d.quotaFiles };
  });
  return { active: want.length, revoked, deleted, changed, usage };
}

/** One desa's usage as SFTPGo measures it, with the quota it enforces (null: none). */
export interface FilesMeasured {
  slug: string;
  bytes: number;
  files: number;
  quotaBytes: number | null;
  quotaFiles: number | null;
}

/**
 * The usage of every desa's login among SFTPGo's users (REST /users): the login whose role is its desa's
 * (username FILES.user(slug), role FILES.group(slug)); logins a desa's admin added have quotas of their
 * own and are left out. The quota is the one SFTPGo enforces; null when it has none (0: unlimited).
 */
export function desaUsage(users: readonly SftpgoUser[]): FilesMeasured[] {
  return users
    .filter((u) => u.role !== undefined && u.role === FILES.group(u.username))
    .map((u) => ({ slug: u.username, bytes: u.used_quota_size ?? 0, files: u.used_quota_files ?? 0, quotaBytes: u.quota_size || null, quotaFiles: u.quota_files || null }))
    .sort((a, b) => a.slug.localeCompare(b.slug));
}

/**
 * Reads, changing nothing, the usage of every desa login from a running SFTPGo: one listing of its users
 * as desa's admin. Throws when SFTPGo does not answer a request within `timeoutMs` (the caller decides
 * what an unknown usage means); no message carries the admin password.
 */
export async function readFilesUsage(s: LocalServices, timeoutMs = 5_000): Promise<FilesMeasured[]> {
  const api = filesApi(s.ports.files, readServiceSecret(s.dir, FILES_ADMIN.secret), timeoutMs);
  return desaUsage(await api.list<SftpgoUser>('/users'));
}
