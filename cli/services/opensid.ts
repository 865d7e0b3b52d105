// OpenSID on the local servers: for each OpenSID desa of the cluster (its contract Secret), a system user
// opensid_<code>, a MariaDB database and account, its own folder (the release hard-linked read-only, its
// writable folders its own), desa/config/config.php and database.php, a PHP-FPM pool running as that
// user with open_basedir on the folder, and an nginx server block for its host. The database is seeded
// by OpenSID's own seeder (its web installer refuses PHP 8.2.x patch releases, and is skipped once desa/
// exists), then provision.php sets the identity, the generated administrator password and telemetry
// off. Only then is the desa "ready", and the sync publishes its name. A desa that goes keeps a dump of
// its database and its files until destroy --delete-data.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';
import { describeError } from '../../core/errors.ts';
import { ROOT } from '../paths.ts';
import { run } from '../process.ts';
import { applyFiles } from '../servers/apply.ts';
import { makeFolder, tail, writeIfChanged } from '../servers/files.ts';
import { TLS_FILES } from '../servers/tls-files.ts';
import { WEB_USER } from '../servers/web.ts';
import type { LocalServices } from '../servers/state.ts';
import { lookupUser } from '../servers/system.ts';
import type { OpensidSite } from './desired.ts';
import { type DbAdmin, dbAdmin } from './opensid-db.ts';
import { configPhp, databasePhp, poolConf, serverConf, type SiteLayout, siteLayout, WRITABLE } from './opensid-files.ts';
import { prepareRelease, type Release, type ReleaseSource } from './opensid-release.ts';
import { fingerprint, knownSites, readSiteState, type SiteState, writeSiteState } from './opensid-state.ts';

export { knownSites } from './opensid-state.ts';

export const PROVISION_PHP = join(ROOT, 'templates', 'opensid', 'provision.php');

export interface OpensidReport {
  /** The release served, or null when no OpenSID desa is. */
  release: { id: string; version: string } | null;
  /** Each OpenSID desa of desa.yaml: ready (served, its name published) or failed, with why; the seconds its provisioning took here; `upgraded` when it moved to another release in this run. */
  sites: { slug: string; host: string; state: 'ready' | 'failed'; seeded: boolean; upgraded?: boolean; seconds?: number; error?: string }[];
  /** Seconds spent on the release (checked and unpacked the first time, nothing after). */
  releaseSeconds?: number;
  /** Offboarded in this run: the site is gone, the dump and files are kept. */
  kept: { slug: string; dump: string }[];
  /** Removed with their data (destroy --delete-data). */
  deleted: string[];
}

export interface OpensidOptions {
  services: LocalServices;
  /** The inventory's domain (for the servers' reload). */
  domain: string;
  env: NodeJS.ProcessEnv;
  release: ReleaseSource | null;
  sites: readonly OpensidSite[];
  deleteData: ReadonlySet<string>;
  identity: { root: boolean; self: { user: string } };
}

async function ensureSystemUser(name: string, slug: string, env: NodeJS.ProcessEnv): Promise<void> {
  if (lookupUser(name)) return;
  await run('useradd', ['--system', '--no-create-home', '--home-dir', '/nonexistent', '--shell', '/usr/sbin/nologin', '--user-group', '--comment', `OpenSID ${slug} (desa)`, name], {
    env: withSbinPath(env),
    what: `useradd ${name}`,
  });
}

async function removeSystemUser(name: string, env: NodeJS.ProcessEnv): Promise<void> {
  if (!lookupUser(name)) return;
  // Its pool was removed and PHP-FPM reloaded: its last processes may take a moment to end.
  for (let i = 0; ; i++) {
    try {
      await run('userdel', [name], { env: withSbinPath(env), what: `userdel ${name}` });
      return;
    } catch (e) {
      if (i >= 20) throw e;
      await sleep(500);
    }
  }
}

const withSbinPath = (env: NodeJS.ProcessEnv) => ({ ...env, PATH: `${env.PATH ?? '/usr/bin:/bin'}:/usr/sbin:/sbin` });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const seconds = (t0: number) => Math.round((performance.now() - t0) / 100) / 10;
const chownR = (owner: string, paths: string[], env: NodeJS.ProcessEnv) => run('chown', ['-R', owner, ...paths], { env, what: 'chown of an OpenSID folder' });

/**
 * The desa's app folder from the release: hard links to the release's files (read-only, shared on disk),
 * real copies of the folders it writes to, owned by its user. On a new release the writable folders
 * (its data) move over from the old app folder, then the two are swapped.
 */
async function buildApp(l: SiteLayout, release: Release, user: string, env: NodeJS.ProcessEnv): Promise<void> {
  const next = `${l.app}.next`;
  rmSync(next, { recursive: true, force: true });
  await run('cp', ['-al', `${release.dir}/.`, next], { env, timeout: 600_000, what: `linking the OpenSID release into ${next}` });
  const owned: string[] = [];
  for (const w of WRITABLE) {
    const path = join(next, w);
    rmSync(path, { recursive: true, force: true });
    const old = join(l.app, w);
    if (existsSync(old)) renameSync(old, path);
    else if (existsSync(join(release.dir, w))) await run('cp', ['-a', join(release.dir, w), path], { env, what: `copying ${w}` });
    else mkdirSync(path, { recursive: true });
    owned.push(path);
  }
  await chownR(`${user}:${user}`, owned, env);
  if (existsSync(l.app)) {
    const previous = `${l.app}.previous`;
    rmSync(previous, { recursive: true, force: true });
    renameSync(l.app, previous);
    renameSync(next, l.app);
    rmSync(previous, { recursive: true, force: true });
  } else renameSync(next, l.app);
}

/** The desa's folder, files and database account: everything but the servers' reload and the seeding. */
async function prepareSite(o: OpensidOptions, db: DbAdmin, site: OpensidSite, release: Release, l: SiteLayout, state: SiteState | null): Promise<{ restored: boolean }> {
  const { env } = o;
  const user = site.username;
  // Remembered before anything is made, so that a desa that goes before it was ever ready is cleaned up too.
  if (!state) writeSiteState(l.state, { slug: site.slug, username: user, database: site.database, release: null, password: null, admin: null, provisioned: false, offboarded: null });
  await ensureSystemUser(user, site.slug, env);
  const passwordChanged = state?.password !== fingerprint(site.slug, site.password) || state.offboarded !== null;
  if (passwordChanged || !state) await db.ensureAccount(site.database, user, site.password);

  // The desa's folder: its user and the web server's group, nobody else (other desa's PHP included).
  const acct = lookupUser(user)!;
  const web = lookupUser(WEB_USER);
  makeFolder(l.root, 0o750, { uid: acct.uid, gid: web?.gid ?? acct.gid });
  makeFolder(l.tmp, 0o700, acct);
  makeFolder(l.log, 0o750, acct);
  if (!existsSync(l.app) || state?.release !== release.id) await buildApp(l, release, user, env);

  const owner = { owner: acct };
  const config = join(l.app, 'desa', 'config');
  makeFolder(config, 0o755, acct);
  if (!existsSync(join(config, 'config.php'))) writeIfChanged(join(config, 'config.php'), configPhp(site), 0o644, owner);
  // OpenSID encrypts the password in this file itself: written when absent or when the password changed.
  if (passwordChanged || !existsSync(join(config, 'database.php'))) writeIfChanged(join(config, 'database.php'), databasePhp(site, o.services.ports.mariadb), 0o600, owner);
  // OpenSID reads desa/app_key on every request once desa/ exists (its seeder replaces it).
  const appKey = join(l.app, 'desa', 'app_key');
  if (!existsSync(appKey)) writeIfChanged(appKey, `base64:${randomBytes(32).toString('base64')}`, 0o600, owner);

  // A desa offboarded earlier comes back with its data: its last dump, into its empty database.
  if ((await db.tables(site.database)) === 0) {
    const dump = latestDump(l.kept);
    if (dump) {
      await db.restore(site.database, dump);
      return { restored: true };
    }
  }
  return { restored: false };
}

/** A release unpacked here before (a desa's last), when its folder is still there. */
function keptRelease(dir: string, id: string): Release | null {
  const path = join(dir, 'opensid', 'releases', id);
  const helper = join(path, 'donjo-app', 'helpers', 'opensid_helper.php');
  if (!existsSync(helper)) return null;
  const version = /define\('VERSION',\s*'([^']+)'\)/.exec(readFileSync(helper, 'utf8'))?.[1] ?? 'unknown';
  return { id, dir: path, version };
}

function latestDump(kept: string): string | null {
  if (!existsSync(kept)) return null;
  const dumps = readdirSync(kept).filter((f) => f.endsWith('.sql')).sort();
  return dumps.length ? join(kept, dumps.at(-1)!) : null;
}

/** GET through nginx with the desa's Host: answers once the new server block and pool are in place. */
/**
 * GET over HTTPS with the desa's name (SNI), as people reach it (plain HTTP only redirects). Verified
 * against the local CA, or, before its first certificate, the self-signed stand-in the servers serve.
 */
function get(dir: string, port: number, host: string, path: string, timeoutMs: number): Promise<{ status: number; body: string }> {
  const ca = [TLS_FILES.ca, TLS_FILES.cert].map((f) => join(dir, f)).filter((f) => existsSync(f)).map((f) => readFileSync(f, 'utf8'));
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, servername: host, ca, headers: { Host: host, 'User-Agent': 'desa (provisioning)' }, timeout: timeoutMs }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('timeout', () => req.destroy(new Error(`no answer in ${timeoutMs / 1000}s`)));
    req.on('error', reject);
    req.end();
  });
}

/** Why a page failed: the last lines of the desa's PHP and OpenSID logs (never the line OpenSID writes with the encrypted password). */
function logTail(l: SiteLayout): string {
  const logs = join(l.app, 'storage', 'logs');
  const latest = existsSync(logs) ? readdirSync(logs).filter((f) => f.startsWith('log-')).sort().at(-1) : undefined;
  return [join(l.log, 'php-error.log'), ...(latest ? [join(logs, latest)] : [])]
    .map((f) => tail(f, 8).split('\n').filter((line) => line && !line.includes('updateConfigFile')).join('\n'))
    .filter(Boolean)
    .join('\n');
}

/**
 * Seeds the empty database with OpenSID's own seeder: the first request of its login page runs it (it
 * creates desa/'s folders too, as the desa's user); on a new release, the same request runs its
 * migrations. Retried while the reloaded servers take the new server block and pool (404 from the
 * default server or the profil pattern, 502 before the socket).
 */
async function seed(o: OpensidOptions, site: OpensidSite, l: SiteLayout): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    let status = 0;
    let error = '';
    try {
      ({ status } = await get(o.services.dir, o.services.ports.https, site.host, '/index.php/siteman', 600_000));
    } catch (e) {
      error = (e as Error).message;
    }
    if (status === 200) return;
    if ((status === 0 || status === 301 || status === 404 || status === 502) && Date.now() < deadline) {
      await sleep(250);
      continue;
    }
    throw new Error(`OpenSID did not answer its login page for ${site.host} (its seeder or its migrations): ${status ? `HTTP ${status}` : error}\n${logTail(l)}`.trim());
  }
}

/** provision.php with the desa's own database account; its JSON answer. */
async function provision(o: OpensidOptions, site: OpensidSite, set: { identity: boolean; admin: boolean; telemetryOff: boolean }): Promise<{ tables: number; admin: string | null }> {
  const input = JSON.stringify({
    db: { host: '127.0.0.1', port: o.services.ports.mariadb, name: site.database, user: site.username, password: site.password },
    identity: set.identity ? site.identity : null,
    adminUsername: site.adminUsername,
    adminPassword: set.admin ? site.adminPassword : null,
    telemetryOff: set.telemetryOff,
  });
  const r = await run('php', [PROVISION_PHP], { env: o.env, input, what: `provisioning OpenSID for ${site.slug} (provision.php)` });
  return JSON.parse(r.stdout) as { tables: number; admin: string | null };
}

/** A desa that went: its site is already gone (pool and server block pruned); its database is dumped, then dropped with its account. */
async function offboard(o: OpensidOptions, db: DbAdmin, slug: string, state: SiteState, l: SiteLayout): Promise<string | null> {
  let dump: string | null = null;
  if (await db.databaseExists(state.database)) {
    makeFolder(join(o.services.dir, 'opensid', 'kept'), 0o700);
    makeFolder(l.kept, 0o700);
    dump = join(l.kept, `${slug}-${new Date().toISOString().replaceAll(':', '').replace(/\.\d+Z$/, 'Z')}.sql`);
    await db.dump(state.database, dump);
    await db.dropDatabase(state.database);
  }
  await db.dropAccount(state.username);
  return dump;
}

/** Everything of a desa goes: database, account, folder, dumps, system user (destroy --delete-data). */
async function remove(o: OpensidOptions, db: DbAdmin, state: SiteState, l: SiteLayout): Promise<void> {
  await db.dropDatabase(state.database);
  await db.dropAccount(state.username);
  rmSync(l.root, { recursive: true, force: true });
  rmSync(l.kept, { recursive: true, force: true });
  await removeSystemUser(state.username, o.env);
  rmSync(l.state, { force: true });
}

export async function applyOpensid(o: OpensidOptions): Promise<OpensidReport> {
  const dir = o.services.dir;
  makeFolder(join(dir, 'opensid'), 0o755);
  makeFolder(join(dir, 'opensid', 'sites'), 0o755);
  makeFolder(join(dir, 'opensid', 'state'), 0o700);
  const db = dbAdmin({ dir, root: o.identity.root, self: o.identity.self, env: o.env });
  const report: OpensidReport = { release: null, sites: [], kept: [], deleted: [] };
  const failed = (site: OpensidSite, e: unknown) => {
    const { summary, detail } = describeError(e);
    report.sites.push({ slug: site.slug, host: site.host, state: 'failed', seeded: false, error: detail ? `${summary}\n${detail}` : summary });
  };

  // 1. The release, once for every desa.
  let release: Release | null = null;
  let releaseError: unknown = null;
  if (o.sites.length > 0) {
    try {
      if (!o.release?.source) throw new Error('no OpenSID release is configured (desa:opensid.source; on the local cluster DESA_OPENSID_SOURCE and DESA_OPENSID_SHA256)');
      const t0 = performance.now();
      release = await prepareRelease(dir, o.release, o.env);
      report.release = { id: release.id, version: release.version };
      report.releaseSeconds = seconds(t0);
    } catch (e) {
      releaseError = e;
    }
  }

  // 2. Each desa's user, database account, folder and files. Without a usable release, a desa already
  //    provisioned keeps the one it has (and is served as it was); a new one fails with why.
  const prepared: { site: OpensidSite; l: SiteLayout; state: SiteState | null; restored: boolean; release: Release; ms: number }[] = [];
  for (const site of o.sites) {
    const l = siteLayout(dir, site.slug);
    const state = readSiteState(l.state);
    const kept = state?.release ? keptRelease(dir, state.release) : null;
    const own = release ?? kept;
    if (!own) {
      failed(site, releaseError);
      continue;
    }
    try {
      const t0 = performance.now();
      const { restored } = await prepareSite(o, db, site, own, l, state);
      prepared.push({ site, l, state, restored, release: own, ms: performance.now() - t0 });
    } catch (e) {
      failed(site, e);
    }
  }

  // 3. Their pools and server blocks; those of desa no longer served are pruned. The servers re-read them.
  const supervisor = { dir, env: o.env };
  await applyFiles(supervisor, 'php-fpm', 'pools', prepared.map((p) => ({ path: p.l.pool, content: poolConf(p.site, p.l), mode: 0o644 })), { domain: o.domain, prune: join('php', 'pools') });
  await applyFiles(supervisor, 'nginx', 'opensid', prepared.map((p) => ({ path: p.l.server, content: serverConf(p.site, p.l, o.services.ports), mode: 0o644 })), {
    domain: o.domain,
    prune: join('web', 'opensid'),
  });

  // 4. Seeding when the database is empty, then what provision.php applies; then the desa is ready.
  for (const { site, l, state, restored, release, ms } of prepared) {
    const t1 = performance.now();
    try {
      const adminHash = fingerprint(site.slug, site.adminPassword);
      const fresh = !state?.provisioned || state.offboarded !== null;
      let seeded = false;
      if (fresh && !restored && (await db.tables(site.database)) === 0) {
        await seed(o, site, l);
        seeded = true;
      }
      // Another release under a provisioned desa: its data moved over (buildApp); the first request runs
      // OpenSID's own migrations (Setting_model::init → cek_migrasi) before the desa counts as ready.
      const upgraded = !fresh && state!.release !== release.id;
      if (upgraded) await seed(o, site, l);
      const first = seeded || (!state?.provisioned && !restored);
      const admin = first || restored || state?.admin !== adminHash;
      if (first || admin) {
        const r = await provision(o, site, { identity: first, admin, telemetryOff: first });
        if (r.tables === 0) throw new Error(`the database ${site.database} is still empty after OpenSID's seeder ran\n${logTail(l)}`.trim());
        if (r.admin === 'missing') throw new Error(`OpenSID's administrator "${site.adminUsername}" is not in ${site.database}: its password was not set`);
      }
      writeSiteState(l.state, { slug: site.slug, username: site.username, database: site.database, release: release.id, password: fingerprint(site.slug, site.password), admin: adminHash, provisioned: true, offboarded: null });
      // Its own preparation and seeding; the servers' reload, shared by all, is not counted.
      report.sites.push({ slug: site.slug, host: site.host, state: 'ready', seeded, ...(upgraded ? { upgraded } : {}), seconds: Math.round((ms + performance.now() - t1) / 100) / 10 });
    } catch (e) {
      // What was prepared is remembered (the next run retries the rest), but not as provisioned.
      writeSiteState(l.state, { slug: site.slug, username: site.username, database: site.database, release: release.id, password: fingerprint(site.slug, site.password), admin: state?.admin ?? null, provisioned: false, offboarded: null });
      failed(site, e);
    }
  }

  // 5. Desa no longer served: offboarded (dump and files kept), or removed with --delete-data.
  const wanted = new Set(o.sites.map((s) => s.slug));
  for (const slug of knownSites(dir)) {
    if (wanted.has(slug)) continue;
    const l = siteLayout(dir, slug);
    const state = readSiteState(l.state);
    if (!state) continue;
    if (o.deleteData.has(slug)) {
      await remove(o, db, state, l);
      report.deleted.push(slug);
    } else if (state.offboarded === null) {
      const dump = await offboard(o, db, slug, state, l);
      writeSiteState(l.state, { ...state, offboarded: new Date().toISOString() });
      report.kept.push({ slug, dump: dump ?? '' });
    }
  }
  report.sites.sort((a, b) => (a.slug < b.slug ? -1 : 1));
  return report;
}

/**
 * The system users of every desa ever on OpenSID here, removed (`desa cluster down --reset`, once the
 * servers have stopped): the folder they own is about to go with the rest of the services folder.
 */
export async function removeOpensidUsers(dir: string, env: NodeJS.ProcessEnv): Promise<string[]> {
  const removed: string[] = [];
  for (const slug of knownSites(dir)) {
    const state = readSiteState(siteLayout(dir, slug).state);
    if (!state || !/^opensid_\d{10}$/.test(state.username) || !lookupUser(state.username)) continue;
    await removeSystemUser(state.username, env);
    removed.push(state.username);
  }
  return removed;
}

/** Whether anything of OpenSID is, or was, served here (a sync without either has nothing to do). */
export const opensidInUse = (dir: string, sites: readonly OpensidSite[]) => sites.length > 0 || knownSites(dir).length > 0;
