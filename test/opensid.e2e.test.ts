// OpenSID for real, as a village operator uses it: after a real `desa up` on a fresh local cluster (ports
// from DESA_CLUSTER_PORT_BASE=17790, its servers on 17800+) with two desa on OpenSID and one on profil,
// headless Chromium opens each OpenSID at its host (plain HTTP redirects to HTTPS) and sees the desa's name, logs in with the
// administrator password from the credential sheet (and is refused admin/sid304); a real MySQL client
// (the mariadb CLI) is refused one desa's database with the other's account; one desa's PHP cannot read
// the other's folder. Then rotation, a template switch profil → opensid → profil, and offboarding (the
// dump and files kept, gone after --delete-data). The release is the vendored one (../shared/vendor).
// The tests build on each other, in order.
import { execa } from 'execa';
import { createHash, X509Certificate } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, chownSync } from 'node:fs';
import { Resolver } from 'node:dns/promises';
import { request } from 'node:http';
import { join, resolve } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cacheDir } from '../cli/paths.ts';
import { readLocalServices, type ServicePorts } from '../cli/servers/state.ts';
import { lookupUser } from '../cli/servers/system.ts';
import { kubectlPath, readPins } from '../cli/toolchain/pins.ts';
import { STACK_TRACE } from './helpers/cli.ts';
import { fastcgi } from './helpers/fastcgi.ts';
import { DESA_BIN, edit, keepUnits, ROOT, shippedText, tempInventory } from './helpers/inventory.ts';
import { httpsGet, localCa } from './helpers/tls.ts';
import { CHROMIUM } from './helpers/offline-browser.ts';
import { text } from './fixtures/credentials.ts';

const RELEASE = resolve(ROOT, '../shared/vendor/opensid-2410.0.0.tar.gz');
const SHA256 = 'c02380a5524efe9d66785492409e4ef1266bafb84423ecb6f25ace027ff91cfe';
const ENV: Record<string, string> = { NO_COLOR: '1', CI: 'true', DESA_CLUSTER_PORT_BASE: '17790', DESA_ETCD_UNSAFE_NO_FSYNC: 'true', DESA_OPENSID_SOURCE: RELEASE, DESA_OPENSID_SHA256: SHA256 };
const D = 'desa.bekasikab.go.id';
const outputs: string[] = [];
/** Every generated password seen, for the leak search at the end. */
const seen = new Set<string>();
/** Skipped only on a machine without the vendored release or Chromium, outside CI; in CI a missing one fails. */
const missing = (!existsSync(RELEASE) || !existsSync(CHROMIUM)) && !process.env.CI;

async function desa(args: string[]) {
  const r = await execa(DESA_BIN, args, { env: ENV, extendEnv: true, reject: false, stdin: 'ignore', timeout: 900_000 });
  outputs.push(String(r.stdout), String(r.stderr));
  expect(String(r.stderr)).not.toMatch(STACK_TRACE);
  return { code: r.exitCode ?? -1, stdout: String(r.stdout), stderr: String(r.stderr) };
}

interface Account {
  database: string;
  username: string;
  password: string;
  adminPassword: string;
}

/** Plain HTTP with the desa's Host: the status, body and Location. */
function get(port: number, host: string, path = '/'): Promise<{ status: number; body: string; location: string | undefined }> {
  return new Promise((res, rej) => {
    const req = request({ host: '127.0.0.1', port, path, headers: { Host: host } }, (r) => {
      let body = '';
      r.setEncoding('utf8');
      r.on('data', (c: string) => (body += c));
      r.on('end', () => res({ status: r.statusCode ?? 0, body, location: r.headers.location }));
    });
    req.on('error', rej);
    req.end();
  });
}

async function dnsCode(r: Resolver, name: string): Promise<string> {
  try {
    return JSON.stringify(await r.resolve4(name));
  } catch (e) {
    return (e as NodeJS.ErrnoException).code ?? 'error';
  }
}

describe.skipIf(missing)('OpenSID for real: two desa on OpenSID and one on profil', () => {
  let file: string;
  let dir: string;
  let services: string;
  let ports: ServicePorts;
  let dns: Resolver;
  let browser: Browser;
  let kubeconfig: string;
  let clusterStarted = false;
  const accounts: Record<string, Account> = {};
  let firstRun: { services: { opensid: { sites: { slug: string; state: string; seeded: boolean; seconds: number }[]; release: { version: string }; releaseSeconds: number } } };

  const inventory = (opensid: string[], units = ['lambangjaya', 'sumberjaya', 'karangmukti']) => {
    let t = keepUnits(shippedText(), units);
    for (const slug of opensid) t = edit(t, `    slug: ${slug}\n`, `    slug: ${slug}\n    services:\n      site:\n        template: opensid\n`);
    writeFileSync(file, t);
  };
  const host = (slug: string) => `${slug}.${D}`;
  const url = (slug: string, path = '/') => `https://${host(slug)}:${ports.https}${path}`;

  /** The desa's OpenSID Secret, as the stack left it in the cluster (what the sync provisions from). */
  async function account(slug: string): Promise<Account> {
    const kubectl = kubectlPath(cacheDir(process.env), readPins(ROOT));
    const r = await execa(kubectl, ['--kubeconfig', kubeconfig, 'get', 'secret', '-n', 'desa-platform', `opensid-${slug}`, '-o', 'json'], { reject: false });
    expect(r.exitCode, String(r.stderr)).toBe(0);
    const data = (JSON.parse(String(r.stdout)) as { data: Record<string, string> }).data;
    const v = (k: string) => Buffer.from(data[k]!, 'base64').toString('utf8');
    const a = { database: v('database'), username: v('username'), password: v('password'), adminPassword: v('adminPassword') };
    seen.add(a.password).add(a.adminPassword);
    return a;
  }

  /** The administrator's login as the credential sheet gives it: `desa credentials`, read from its HTML. */
  async function sheetLogin(slug: string): Promise<{ url: string; username: string; password: string }> {
    const out = join(dir, `kredensial-${slug}.html`);
    const r = await desa(['credentials', slug, '--file', file, '--out', out, '--force']);
    expect(r.code, r.stderr).toBe(0);
    expect(statSync(out).mode & 0o077).toBe(0);
    const html = readFileSync(out, 'utf8');
    const box = /<article class="account" id="opensid">([\s\S]*?)<\/article>/.exec(html)?.[1] ?? '';
    const password = text(/<span class="secret">((?:<span>.*?<\/span>)+)<\/span>/.exec(box)?.[1] ?? '');
    const fields = text(box.replaceAll('</dd>', '\n').replaceAll('</dt>', '\t'));
    return { url: /https?:\/\/\S+\/index\.php\/siteman/.exec(fields)?.[0] ?? '', username: /Nama pengguna\t(\S+)/.exec(fields)?.[1] ?? '', password };
  }

  /** The served certificate's key, as Chromium pins it (base64 SHA-256 of its SubjectPublicKeyInfo). */
  const servedKeyPin = () => createHash('sha256').update(new X509Certificate(readFileSync(join(services, 'tls', 'site.pem'))).publicKey.export({ type: 'spki', format: 'der' })).digest('base64');

  async function page(): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const p = await context.newPage();
    // Nothing leaves the machine: OpenSID's pages name some outside resources (maps, fonts).
    await p.route('**/*', (route) => (new URL(route.request().url()).hostname.endsWith(D) ? route.continue() : route.abort()));
    return p;
  }

  /** Logs in at the desa's login page; the page it lands on. */
  async function login(slug: string, username: string, password: string): Promise<Page> {
    const p = await page();
    await p.goto(url(slug, '/index.php/siteman'), { waitUntil: 'domcontentloaded' });
    await p.locator('input[name="username"]').fill(username);
    await p.locator('input[name="password"]').fill(password);
    // The form posts to siteman/auth, which redirects: to the dashboard, or back to the login page.
    await Promise.all([p.waitForNavigation({ timeout: 60_000, waitUntil: 'domcontentloaded' }), p.locator('button[type="submit"]').click()]);
    return p;
  }

  /** A real MySQL client on the local MariaDB; the password through the environment. */
  const mysql = (a: Pick<Account, 'username' | 'password'>, database: string, sql: string) =>
    execa('mariadb', ['--no-defaults', '-h', '127.0.0.1', '-P', String(ports.mariadb), '-u', a.username, '--batch', '--skip-column-names', database, '-e', sql], { env: { MYSQL_PWD: a.password }, reject: false });

  beforeAll(async () => {
    ({ file, dir } = tempInventory());
    services = join(dir, '.desa', 'services');
    inventory(['lambangjaya', 'sumberjaya']);
    clusterStarted = true;
    const r = await desa(['up', '--file', file, '--json']);
    expect(r.code, `${r.stderr}\n${r.stdout.slice(-3000)}`).toBe(0);
    firstRun = JSON.parse(r.stdout);
    ports = readLocalServices(services)!.ports;
    kubeconfig = join(dir, '.desa', 'cluster', 'admin.kubeconfig');
    dns = new Resolver({ timeout: 3000, tries: 1 });
    dns.setServers([`127.0.0.1:${ports.dns}`]);
    for (const slug of ['lambangjaya', 'sumberjaya']) accounts[slug] = await account(slug);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      // Chromium cannot be given the local CA as a root here: it accepts the served certificate's key only
      // (as test/webmail.e2e.test.ts); that the chain verifies against the local CA is checked with Node.
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', `--host-resolver-rules=MAP *.${D} 127.0.0.1`, `--ignore-certificate-errors-spki-list=${servedKeyPin()}`],
      timeout: 60_000,
    });
  }, 1_200_000);

  afterAll(async () => {
    await browser?.close();
    if (clusterStarted) await desa(['cluster', 'down', '--file', file]);
    // The system users the sync made for the desa left on OpenSID (their pools stopped with the servers).
    for (const user of ['opensid_3216062003', 'opensid_3216062010', 'opensid_3216102008']) if (lookupUser(user)) await execa('userdel', [user], { reject: false });
  }, 180_000);

  it('desa up seeds both OpenSID databases with OpenSID\'s own seeder and publishes their names once ready', async () => {
    const o = firstRun.services.opensid;
    expect(o.release.version).toBe('2410.0.0');
    expect(o.sites.map((s) => [s.slug, s.state, s.seeded])).toEqual([
      ['lambangjaya', 'ready', true],
      ['sumberjaya', 'ready', true],
    ]);
    // Cold: the release checked and unpacked once, then each desa prepared and seeded.
    console.log(`[opensid] cold: release ${o.releaseSeconds}s, ${o.sites.map((s) => `${s.slug} ${s.seconds}s`).join(', ')}`);
    for (const slug of ['lambangjaya', 'sumberjaya', 'karangmukti']) expect(await dns.resolve4(host(slug))).toEqual(['127.0.0.1']);
    // The profil desa beside them keeps its page.
    const profil = await httpsGet(ports.https, host('karangmukti'), localCa(services));
    expect([profil.status, profil.body.includes('Karangmukti')]).toEqual([200, true]);
    // Each desa has its own database, named by its code without dots.
    expect([accounts.lambangjaya!.database, accounts.sumberjaya!.database]).toEqual(['opensid_3216062003', 'opensid_3216062010']);
  });

  it("the home page at each desa's host shows that desa's name", async () => {
    for (const [slug, name] of [['lambangjaya', 'Lambangjaya'], ['sumberjaya', 'Sumberjaya']] as const) {
      const p = await page();
      // Plain HTTP answers 301 to the same address over HTTPS, before any PHP runs.
      expect(await get(ports.http, host(slug), '/index.php/siteman?x=1')).toMatchObject({ status: 301, location: `https://${host(slug)}:${ports.https}/index.php/siteman?x=1` });
      const verified = await httpsGet(ports.https, host(slug), localCa(services));
      expect(verified.status).toBe(200);
      const r = await p.goto(url(slug).replace('https://', 'http://').replace(`:${ports.https}`, `:${ports.http}`), { waitUntil: 'domcontentloaded' });
      expect(r?.status()).toBe(200);
      // Followed to HTTPS, and OpenSID's own links to its pages are https (it sees HTTPS=on).
      expect(p.url()).toBe(url(slug));
      const links = await p.locator(`a[href*="//${host(slug)}"]`).evaluateAll((as) => as.map((a) => (a as unknown as { href: string }).href));
      expect(links.length).toBeGreaterThan(0);
      expect(links.filter((h) => !h.startsWith(`https://${host(slug)}:${ports.https}/`))).toEqual([]);
      expect(await p.title()).toContain(`Desa ${name}`);
      // What a visitor reads (the theme writes its header in capitals): the desa, and its identity from the
      // official data, kecamatan and kabupaten from desa.yaml, the provinsi from the code.
      const shown = (await p.locator('body').innerText()).toUpperCase();
      expect(shown).toContain(`WEBSITE RESMI DESA ${name.toUpperCase()}`);
      expect(shown).toContain('KEC. TAMBUN SELATAN KAB. BEKASI PROV. JAWA BARAT');
      expect(await p.title()).toBe(`Website Resmi Desa ${name} Kecamatan Tambun Selatan Kabupaten Bekasi`);
      await p.context().close();
    }
  });

  it('the administrator logs in with the password from the credential sheet and sees the dashboard; admin/sid304 is refused', async () => {
    for (const [slug, name] of [['lambangjaya', 'Lambangjaya'], ['sumberjaya', 'Sumberjaya']] as const) {
      const sheet = await sheetLogin(slug);
      expect(sheet).toEqual({ url: `https://${host(slug)}/index.php/siteman`, username: 'admin', password: accounts[slug]!.adminPassword });

      const refused = await login(slug, 'admin', 'sid304');
      expect(new URL(refused.url()).pathname).toBe('/index.php/siteman');
      await refused.goto(url(slug, '/index.php/beranda'), { waitUntil: 'domcontentloaded' });
      expect(new URL(refused.url()).pathname).toBe('/index.php/siteman');
      await refused.context().close();

      const p = await login(slug, sheet.username, sheet.password);
      // The dashboard, not OpenSID's "change your weak password" page.
      expect(new URL(p.url()).pathname).toMatch(/^\/index\.php\/(main|beranda)$/);
      expect(await p.title()).toContain(`Sistem Informasi Desa ${name}`);
      expect(await p.locator('a[href$="/siteman/logout"], a[href*="siteman/logout"]').count()).toBeGreaterThan(0);
      await p.context().close();
    }
  });

  it("one desa's database account is refused the other's database (the mariadb client); its own works, telemetry is off", async () => {
    const a = accounts.lambangjaya!;
    const b = accounts.sumberjaya!;
    const own = await mysql(a, a.database, "SELECT value FROM setting_aplikasi WHERE `key` = 'enable_track'");
    expect(own.exitCode, String(own.stderr)).toBe(0);
    expect(String(own.stdout).trim()).toBe('0');
    const cross = await mysql(a, b.database, 'SELECT COUNT(*) FROM user');
    expect(cross.exitCode).not.toBe(0);
    expect(String(cross.stderr)).toMatch(/ERROR 1044 .*Access denied for user 'opensid_3216062003'@'127\.0\.0\.1' to database 'opensid_3216062010'/);
    const wrong = await mysql({ username: a.username, password: b.password }, a.database, 'SELECT 1');
    expect(String(wrong.stderr)).toMatch(/ERROR 1045 .*Access denied/);
    // No account sees any database but its own.
    const list = await mysql(b, b.database, 'SHOW DATABASES');
    expect(String(list.stdout).trim().split('\n')).toEqual(['information_schema', 'opensid_3216062010']);
  });

  it("one desa's PHP cannot read the other's folder: not through its own pool, not as its system user", async () => {
    const sites = join(services, 'opensid', 'sites');
    const theirs = join(sites, 'sumberjaya', 'app', 'desa', 'config', 'database.php');
    const probe = join(sites, 'lambangjaya', 'tmp', 'probe.php');
    writeFileSync(
      probe,
      `<?php\necho @file_get_contents(${JSON.stringify(theirs)}) === false ? 'other: refused' : 'other: READ', "\\n";\necho @file_get_contents(${JSON.stringify(join(sites, 'lambangjaya', 'app', 'desa', 'config', 'config.php'))}) === false ? 'own: refused' : 'own: read', "\\n";\necho 'user: ', posix_getpwuid(posix_geteuid())['name'], "\\n";\n`,
    );
    const user = lookupUser('opensid_3216062003')!;
    chownSync(probe, user.uid, user.gid);
    try {
      const r = await fastcgi(join(services, 'php', 'run', 'lambangjaya.sock'), probe);
      expect(r.stdout).toContain('other: refused');
      expect(r.stdout).toContain('own: read');
      expect(r.stdout).toContain('user: opensid_3216062003');
    } finally {
      rmSync(probe, { force: true });
    }
    // Without open_basedir, the system refuses it all the same: the folder is the other desa's user's and the web server's.
    const direct = await execa('runuser', ['-u', 'opensid_3216062003', '--', 'php', '-r', `var_dump(@file_get_contents(${JSON.stringify(theirs)}));`], { reject: false });
    expect(String(direct.stdout).trim()).toBe('bool(false)');
    expect(statSync(join(sites, 'sumberjaya')).mode & 0o007).toBe(0);
    // And no desa's pool socket is open to another desa's user.
    expect(statSync(join(services, 'php', 'run', 'sumberjaya.sock')).mode & 0o077).toBe(0);
  });

  it('desa rotate replaces the database and administrator passwords, and they work at once', async () => {
    const before = accounts.lambangjaya!;
    const r = await desa(['rotate', 'lambangjaya', '--file', file]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('OpenSID database (lambangjaya)');
    expect(r.stderr).toContain(`OpenSID administrator (${host('lambangjaya')})`);
    const after = await account('lambangjaya');
    expect(after.password).not.toBe(before.password);
    expect(after.adminPassword).not.toBe(before.adminPassword);
    expect(String((await mysql(before, before.database, 'SELECT 1')).stderr)).toMatch(/ERROR 1045/);
    expect((await mysql(after, after.database, 'SELECT 1')).exitCode).toBe(0);
    // OpenSID itself uses the new database password (its pages still open), and the new sheet's login works.
    expect((await httpsGet(ports.https, host('lambangjaya'), localCa(services))).status).toBe(200);
    const sheet = await sheetLogin('lambangjaya');
    expect(sheet.password).toBe(after.adminPassword);
    const p = await login('lambangjaya', 'admin', sheet.password);
    expect(new URL(p.url()).pathname).toMatch(/^\/index\.php\/(main|beranda)$/);
    await p.context().close();
    accounts.lambangjaya = after;
  });

  it('another release (here the same one, given as an unpacked folder) rebuilds each desa\'s folder and keeps its data', async () => {
    const folder = join(dir, 'opensid-folder');
    await execa('mkdir', ['-p', folder]);
    await execa('tar', ['-xzf', RELEASE, '-C', folder, '--strip-components=1']);
    const upload = join(services, 'opensid', 'sites', 'lambangjaya', 'app', 'desa', 'upload', 'surat-keputusan.txt');
    writeFileSync(upload, 'SK Kepala Desa');
    ENV.DESA_OPENSID_SOURCE = folder;
    ENV.DESA_OPENSID_SHA256 = '';
    const r = await desa(['up', '--file', file, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const o = JSON.parse(r.stdout).services.opensid;
    expect(o.release.id).toMatch(/^folder-/);
    expect(o.sites.map((x: { slug: string; state: string; upgraded?: boolean }) => [x.slug, x.state, x.upgraded])).toEqual([
      ['lambangjaya', 'ready', true],
      ['sumberjaya', 'ready', true],
    ]);
    expect(readFileSync(upload, 'utf8')).toBe('SK Kepala Desa');
    const home = await httpsGet(ports.https, host('lambangjaya'), localCa(services));
    expect([home.status, home.body.includes('Website Resmi Desa Lambangjaya')]).toEqual([200, true]);
    expect((await mysql(accounts.lambangjaya!, accounts.lambangjaya!.database, 'SELECT COUNT(*) FROM user')).stdout.trim()).toBe('1');
  });

  it('a template switch profil → opensid → profil with desa up: OpenSID comes and goes, the profile page returns', async () => {
    inventory(['lambangjaya', 'sumberjaya', 'karangmukti']);
    const up = await desa(['up', '--file', file, '--json']);
    expect(up.code, up.stderr).toBe(0);
    const site = (JSON.parse(up.stdout).services.opensid.sites as { slug: string; state: string; seconds: number }[]).find((s) => s.slug === 'karangmukti')!;
    expect(site.state).toBe('ready');
    // Warm: the release already unpacked, the servers running.
    console.log(`[opensid] warm: karangmukti ${site.seconds}s`);
    seen.add((await account('karangmukti')).adminPassword);
    const home = await httpsGet(ports.https, host('karangmukti'), localCa(services));
    expect(home.status).toBe(200);
    expect(home.body).toContain('Website Resmi Desa Karangmukti');

    inventory(['lambangjaya', 'sumberjaya']);
    const back = await desa(['up', '--file', file, '--json']);
    expect(back.code, back.stderr).toBe(0);
    expect(JSON.parse(back.stdout).services.opensid.kept.map((k: { slug: string }) => k.slug)).toEqual(['karangmukti']);
    const profil = await httpsGet(ports.https, host('karangmukti'), localCa(services));
    expect(profil.status).toBe(200);
    expect(profil.body).not.toContain('OpenSID');
    expect(profil.body).toContain('Karangmukti');
    expect(readdirSync(join(services, 'opensid', 'kept', 'karangmukti')).filter((f) => f.endsWith('.sql'))).toHaveLength(1);
  });

  it('offboarding: the site and name go, the database dump and the files stay; --delete-data removes them', async () => {
    writeFileSync(file, keepUnits(readFileSync(file, 'utf8'), ['lambangjaya', 'karangmukti']));
    const r = await desa(['up', '--file', file, '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect((await httpsGet(ports.https, host('sumberjaya'), localCa(services))).status).toBe(404);
    expect(await dnsCode(dns, host('sumberjaya'))).toBe('ENOTFOUND');
    expect(String((await mysql(accounts.sumberjaya!, 'opensid_3216062010', 'SELECT 1')).stderr)).toMatch(/ERROR 1045/);
    const kept = join(services, 'opensid', 'kept', 'sumberjaya');
    const [dump] = readdirSync(kept);
    expect(dump).toMatch(/^sumberjaya-.*\.sql$/);
    expect(statSync(join(kept, dump!)).mode & 0o077).toBe(0);
    const sql = readFileSync(join(kept, dump!), 'utf8');
    expect(sql).toContain('CREATE TABLE `config`');
    expect(sql).toContain("'Sumberjaya'");
    expect(existsSync(join(services, 'opensid', 'sites', 'sumberjaya', 'app', 'desa', 'config', 'config.php'))).toBe(true);
    // The desa still in desa.yaml is untouched.
    expect((await httpsGet(ports.https, host('lambangjaya'), localCa(services))).status).toBe(200);

    const gone = await desa(['destroy', '--only', 'sumberjaya', '--delete-data', '--yes', '--file', file, '--json']);
    expect(gone.code, gone.stderr).toBe(0);
    expect(existsSync(kept)).toBe(false);
    expect(existsSync(join(services, 'opensid', 'sites', 'sumberjaya'))).toBe(false);
    expect(lookupUser('opensid_3216062010')).toBeNull();
    expect(existsSync(join(services, 'opensid', 'sites', 'lambangjaya'))).toBe(true);
  });

  it('no password appears in any output, nor in any file but the sheets asked for and each desa\'s own database.php', () => {
    expect(seen.size).toBeGreaterThanOrEqual(6);
    for (const out of outputs) for (const v of seen) expect(out.includes(v)).toBe(false);
    // The release's own files are not searched (100 MB each, read-only, written before any password existed).
    const skip = (f: string) => /\/(opensid\/(releases|downloads)|opensid-folder)\//.test(f) || (/\/opensid\/sites\/[^/]+\/app\//.test(f) && !/\/app\/(desa|storage)\//.test(f));
    const files = readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => join(e.parentPath, e.name))
      .filter((f) => !skip(f) && !/kredensial-[a-z-]+\.html$/.test(f) && !f.endsWith('/desa/config/database.php'));
    expect(files.length).toBeGreaterThan(50);
    for (const f of files) {
      const content = readFileSync(f);
      for (const v of seen) expect(content.includes(v), `${f} holds a password`).toBe(false);
    }
  });

  it('cluster down --reset stops the servers and removes the system users of the desa left on OpenSID', async () => {
    // Lambangjaya is served, Karangmukti was offboarded (its user kept with its files).
    expect([lookupUser('opensid_3216062003'), lookupUser('opensid_3216102008')].every(Boolean)).toBe(true);
    const r = await desa(['cluster', 'down', '--reset', '--file', file]);
    expect(r.code, r.stderr).toBe(0);
    clusterStarted = false;
    expect(r.stderr).toContain('removed the system user opensid_3216062003');
    expect([lookupUser('opensid_3216062003'), lookupUser('opensid_3216102008')]).toEqual([null, null]);
    expect(existsSync(services)).toBe(false);
  });
});
