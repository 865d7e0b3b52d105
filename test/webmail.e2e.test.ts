// Webmail as a village operator uses it: after a real `desa up` of two desa on a fresh local cluster
// (ports from DESA_CLUSTER_PORT_BASE=18790, its servers on 18800+), headless Chromium opens Roundcube at
// https://webmail.<domain> on the local nginx (the browser maps every name of the domain to 127.0.0.1 and
// accepts exactly the key of the certificate the local CA issued; Node checks its chain), logs in
// as one desa's operator with the password the stack generated, sees in the inbox a message another desa
// sent through SMTP submission, replies from the browser, and the reply arrives in the other desa's
// mailbox (read over IMAP). A wrong password, and another desa's, fail with Roundcube's error; the login
// `<slug>.<role>` without the domain works; after `desa rotate` only the new password does. The tests
// build on each other, in order.
import { execa } from 'execa';
import { ImapFlow } from 'imapflow';
import { createHash, X509Certificate } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readLocalServices, type ServicePorts } from '../cli/servers/state.ts';
import { STACK_TRACE } from './helpers/cli.ts';
import { DESA_BIN, keepUnits, shippedText, tempInventory } from './helpers/inventory.ts';
import { CHROMIUM } from './helpers/offline-browser.ts';
import { httpsGet, imapTls, localCa, submissionTls } from './helpers/tls.ts';

const ENV = { NO_COLOR: '1', CI: 'true', DESA_CLUSTER_PORT_BASE: '18790', DESA_ETCD_UNSAFE_NO_FSYNC: 'true' };
const D = 'desa.bekasikab.go.id';
const outputs: string[] = [];
/** Skipped only on a machine without Chromium or Roundcube, outside CI; in CI a missing one fails. */
const missing = (!existsSync(CHROMIUM) || !existsSync('/usr/share/roundcube/index.php')) && !process.env.CI;

async function desa(args: string[]) {
  const r = await execa(DESA_BIN, args, { env: ENV, extendEnv: true, reject: false, stdin: 'ignore', timeout: 900_000 });
  outputs.push(String(r.stdout), String(r.stderr));
  expect(String(r.stderr)).not.toMatch(STACK_TRACE);
  return { code: r.exitCode ?? -1, stdout: String(r.stdout), stderr: String(r.stderr) };
}

/** Whether a message with this subject is in the INBOX within 15 s (delivery is asynchronous). */
async function arrives(port: number, ca: string[], user: string, pass: string, subject: string): Promise<{ from: string } | null> {
  const client = new ImapFlow({ host: '127.0.0.1', port, ...imapTls(ca, user), auth: { user, pass }, logger: false });
  await client.connect();
  try {
    for (let i = 0; i < 75; i++) {
      const lock = await client.getMailboxLock('INBOX');
      try {
        const uids = (await client.search({ subject }, { uid: true })) || [];
        if (uids.length > 0) {
          const m = await client.fetchOne(String(uids[0]), { envelope: true }, { uid: true });
          return { from: m ? (m.envelope?.from?.[0]?.address ?? '') : '' };
        }
      } finally {
        lock.release();
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    return null;
  } finally {
    await client.logout();
  }
}

/** The proportional memory (PSS, KiB) of webmail's PHP-FPM master and of each of its workers, from /proc. */
function webmailPss(services: string): { master: number; workers: number[] } {
  const pss = (pid: number) => Number(/^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'))?.[1] ?? 0);
  const master = Number(readFileSync(join(services, 'roundcube', 'run', 'fpm.pid'), 'utf8').trim());
  const workers: number[] = [];
  for (const d of readdirSync('/proc').filter((x) => /^\d+$/.test(x))) {
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === master) workers.push(pss(Number(d)));
    } catch {
      // gone meanwhile
    }
  }
  return { master: pss(master), workers };
}

/**
 * The served certificate's key, as Chromium pins it (base64 SHA-256 of the SubjectPublicKeyInfo): the
 * browser accepts that key and no other, since it cannot be given the local CA as a root here; that the
 * chain verifies against the local CA is checked with Node in the first test.
 */
function servedKeyPin(services: string): string {
  const leaf = new X509Certificate(readFileSync(join(services, 'tls', 'site.pem')));
  return createHash('sha256').update(leaf.publicKey.export({ type: 'spki', format: 'der' })).digest('base64');
}

/** A plain-HTTP GET with a Host header: the status and Location. */
function plainGet(port: number, host: string): Promise<{ status: number; location: string | undefined }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/', headers: { Host: host } }, (res) => {
      res.resume();
      resolve({ status: res.statusCode ?? 0, location: res.headers.location });
    });
    req.on('error', reject);
    req.end();
  });
}

const mib = (kib: number) => (kib / 1024).toFixed(1);
const describePss = (m: { master: number; workers: number[] }) =>
  `${mib(m.master + m.workers.reduce((a, b) => a + b, 0))} MiB (master ${mib(m.master)}, ${m.workers.length} worker(s) ${m.workers.map(mib).join(' + ') || '-'})`;

describe.skipIf(missing)('webmail: Roundcube at webmail.<domain>, as a desa operator uses it', () => {
  let file: string;
  let dir: string;
  let services: string;
  let ports: ServicePorts;
  let browser: Browser;
  let clusterStarted = false;
  const passwords: Record<string, string> = {};
  const address = (slug: string, role: string) => `${slug}.${role}@${D}`;
  const password = (slug: string, role: string) => passwords[address(slug, role)]!;
  const webmail = () => `https://webmail.${D}:${ports.https}/`;
  let ca: string[];
  const subject = `Undangan musrenbang ${Date.now()}`;

  beforeAll(async () => {
    ({ file, dir } = tempInventory(keepUnits(shippedText(), ['sumberjaya', 'karangmukti'])));
    services = join(dir, '.desa', 'services');
    clusterStarted = true;
    const r = await desa(['up', '--file', file, '--json']);
    expect(r.code, r.stderr).toBe(0);
    ports = readLocalServices(services)!.ports;
    ca = localCa(services);
    for (const slug of ['sumberjaya', 'karangmukti']) {
      // Asked for on purpose: not recorded with the outputs searched for leaks below.
      const o = await execa(DESA_BIN, ['outputs', slug, '--file', file, '--show-secrets', '--json'], { env: ENV, extendEnv: true, reject: false });
      expect(o.exitCode, String(o.stderr)).toBe(0);
      Object.assign(passwords, (JSON.parse(String(o.stdout)) as { outputs: { mailPasswords: Record<string, string> } }).outputs.mailPasswords);
    }
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', `--host-resolver-rules=MAP *.${D} 127.0.0.1`, `--ignore-certificate-errors-spki-list=${servedKeyPin(services)}`],
      timeout: 60_000,
    });
  }, 1_200_000);

  afterAll(async () => {
    await browser?.close();
    if (clusterStarted) await desa(['cluster', 'down', '--file', file]);
  }, 180_000);

  async function page(): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
    const p = await context.newPage();
    // Nothing leaves the machine.
    await p.route('**/*', (route) => (new URL(route.request().url()).hostname.endsWith(D) ? route.continue() : route.abort()));
    return p;
  }

  /** Roundcube's login form, filled and sent; the page it lands on. */
  async function login(user: string, pass: string): Promise<Page> {
    const p = await page();
    await p.goto(webmail(), { waitUntil: 'domcontentloaded' });
    await p.locator('#rcmloginuser').fill(user);
    await p.locator('#rcmloginpwd').fill(pass);
    await Promise.all([p.waitForLoadState('domcontentloaded'), p.locator('#rcmloginsubmit').click()]);
    return p;
  }

  it('is served over HTTPS with the local CA\'s certificate for webmail.<domain>; plain HTTP answers 301 to it', async () => {
    const host = `webmail.${D}`;
    const r = await httpsGet(ports.https, host, ca);
    expect(r.status).toBe(200);
    expect(r.body).toContain('rcmloginuser');
    expect(await plainGet(ports.http, host)).toEqual({ status: 301, location: `https://${host}:${ports.https}/` });
  }, 60_000);

  it('opens at webmail.<domain> in Bahasa Indonesia, named for the Kabupaten, even for an English browser', async () => {
    const p = await page();
    const r = await p.goto(webmail(), { waitUntil: 'domcontentloaded' });
    expect(r?.status()).toBe(200);
    expect(await p.locator('html').getAttribute('lang')).toBe('id');
    expect(await p.title()).toContain('Webmail Kabupaten Bekasi');
    expect((await p.locator('#rcmloginsubmit').textContent())?.trim()).toBe('Masuk');
    // Elastic, Roundcube's current skin.
    expect(await p.locator('link[rel="stylesheet"][href*="skins/elastic/"]').count()).toBeGreaterThan(0);
    await p.context().close();
  }, 60_000);

  it('a wrong password, and another desa\'s password, fail with Roundcube\'s error', async () => {
    for (const pass of [`${password('sumberjaya', 'operator')}x`, password('karangmukti', 'operator')]) {
      const p = await login(address('sumberjaya', 'operator'), pass);
      await expect.poll(() => p.locator('#messagestack').innerText(), { timeout: 15_000 }).toContain('Login gagal.');
      expect(await p.locator('#rcmloginuser').isVisible()).toBe(true);
      expect(p.url()).not.toContain('_task=mail');
      await p.context().close();
    }
  }, 60_000);

  it('the operator sees, in the inbox, a message another desa sent through submission, and replies from the browser; the reply arrives', async () => {
    const from = address('karangmukti', 'kepala-desa');
    const to = address('sumberjaya', 'operator');
    const smtp = nodemailer.createTransport({ host: '127.0.0.1', port: ports.submission, ...submissionTls(ca, from), auth: { user: from, pass: password('karangmukti', 'kepala-desa') } });
    expect((await smtp.sendMail({ from, to, subject, text: 'Mohon hadir pada musyawarah perencanaan pembangunan desa.' })).accepted).toEqual([to]);

    const idle = webmailPss(services);
    const p = await login(to, password('sumberjaya', 'operator'));
    const row = p.locator('#messagelist tbody tr', { hasText: subject });
    await expect.poll(() => row.count(), { timeout: 30_000 }).toBe(1);
    expect(await p.locator('#messagelist').innerText()).toContain('karangmukti.kepala-desa');
    // The folder list in Bahasa Indonesia.
    expect(await p.locator('#mailboxlist').innerText()).toContain('Kotak Masuk');
    const shot = join(dir, 'webmail-inbox.png');
    await p.screenshot({ path: shot, fullPage: true });
    console.log(`[webmail] inbox screenshot: ${shot}`);
    const afterLogin = webmailPss(services);
    // Idle is the master alone: the pool is ondemand, its workers exit after 60 s without a request.
    console.log(`[webmail] PHP-FPM PSS before the login: ${describePss(idle)}; after it: ${describePss(afterLogin)}`);

    // Select it: it shows in the preview beside the list; reply from the toolbar, write, send.
    try {
      await row.click();
      const preview = p.frameLocator('#messagecontframe');
      await expect.poll(() => preview.locator('#messagebody').innerText().catch(() => ''), { timeout: 30_000 }).toContain('musyawarah');
      await Promise.all([p.waitForURL(/_action=compose/, { timeout: 30_000 }), p.locator('a.reply:visible').first().click()]);
      await p.locator('#composebody').fill('Terima kasih, kami akan hadir.\n\nOperator Desa Sumberjaya');
      const send = p.locator('a.send:visible, button.send:visible').first();
      expect((await send.textContent())?.trim()).toBe('Kirim');
      await send.click();
      await expect.poll(() => p.locator('#messagestack').innerText().catch(() => ''), { timeout: 30_000 }).toContain('Pesan berhasil dikirim.');
    } catch (e) {
      await p.screenshot({ path: join(dir, 'webmail-failed.png'), fullPage: true });
      writeFileSync(join(dir, 'webmail-failed.html'), await p.content());
      throw e;
    }
    await p.context().close();

    // It arrives in Karangmukti's mailbox, from Sumberjaya's operator (read with the recipient's own login).
    const reply = await arrives(ports.imaps, ca, from, password('karangmukti', 'kepala-desa'), `Re: ${subject}`);
    expect(reply).toEqual({ from: to });
  }, 180_000);

  it('logs in as <slug>.<role>, without the domain, and sees that mailbox', async () => {
    const p = await login('karangmukti.kepala-desa', password('karangmukti', 'kepala-desa'));
    const row = p.locator('#messagelist tbody tr', { hasText: `Re: ${subject}` });
    await expect.poll(() => row.count(), { timeout: 30_000 }).toBe(1);
    expect(await p.locator('#messagelist').innerText()).toContain('sumberjaya.operator');
    await p.context().close();
  }, 60_000);

  it('desa rotate reaches webmail at once: the old password is refused there, the new one logs in', async () => {
    const old = password('sumberjaya', 'operator');
    const r = await desa(['rotate', 'sumberjaya', '--account', 'operator', '--file', file]);
    expect(r.code, r.stderr).toBe(0);
    const o = await execa(DESA_BIN, ['outputs', 'sumberjaya', '--file', file, '--show-secrets', '--json'], { env: ENV, extendEnv: true, reject: false });
    const fresh = (JSON.parse(String(o.stdout)) as { outputs: { mailPasswords: Record<string, string> } }).outputs.mailPasswords[address('sumberjaya', 'operator')]!;
    expect(fresh).not.toBe(old);
    passwords[`${address('sumberjaya', 'operator')} (before rotation)`] = old;
    passwords[address('sumberjaya', 'operator')] = fresh;
    const refused = await login('sumberjaya.operator', old);
    await expect.poll(() => refused.locator('#messagestack').innerText(), { timeout: 15_000 }).toContain('Login gagal.');
    await refused.context().close();
    const p = await login('sumberjaya.operator', fresh);
    await expect.poll(() => p.locator('#messagelist tbody tr', { hasText: subject }).count(), { timeout: 30_000 }).toBe(1);
    await p.context().close();
  }, 180_000);

  it('keeps its secret to itself: the des_key is made once (0600) and appears in no output and no file PHP reads; no password in its files', () => {
    const key = join(services, 'secrets', 'roundcube-des-key');
    expect(statSync(key).mode & 0o777).toBe(0o600);
    const desKey = readFileSync(key, 'utf8').trim();
    expect(desKey).toMatch(/^[0-9a-f]{24}$/);
    expect(statSync(join(services, 'roundcube', 'php-fpm.conf')).mode & 0o777).toBe(0o600);
    const config = readFileSync(join(services, 'roundcube', 'config', 'config.inc.php'), 'utf8');
    expect(config).not.toContain(desKey);
    expect(config).toMatch(/^\$config\['plugins'\] = \[\];$/m);
    for (const out of outputs) expect(out).not.toContain(desKey);
    // Its database (sessions hold the IMAP password encrypted), temp files and logs: no password in plain text.
    const files = (d: string): string[] => readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(d, e.name)) : e.isFile() ? [join(d, e.name)] : []));
    for (const f of [...files(join(services, 'roundcube')), join(services, 'log', 'roundcube.log'), join(services, 'log', 'nginx.log')].filter(existsSync)) {
      const text = readFileSync(f, 'latin1');
      for (const pass of Object.values(passwords)) expect(text.includes(pass), `${f} holds a mailbox password`).toBe(false);
    }
  });
});
