// TLS on every front door of the local servers (issue 13), after a real `desa up` on the local cluster
// (DESA_CLUSTER_PORT_BASE=14790; its servers on 14800+): the wildcard certificate ordered from the local
// ACME CA (Pebble) by DNS-01 through the local PowerDNS is served by the sites (HTTPS, plain HTTP
// redirecting), IMAPS, and STARTTLS on IMAP and submission, and verifies against the local CA's root
// only, for the names people use. Passwords never travel before TLS. A second run orders nothing.
import { execa } from 'execa';
import { ImapFlow } from 'imapflow';
import { X509Certificate } from 'node:crypto';
import { Resolver } from 'node:dns/promises';
import { readFileSync, statSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { checkServerIdentity, connect as tlsConnect, type PeerCertificate } from 'node:tls';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readLocalServices, readState, type ServicePorts } from '../cli/servers/state.ts';
import { STACK_TRACE } from './helpers/cli.ts';
import { DESA_BIN, keepUnits, shippedText, tempInventory } from './helpers/inventory.ts';

const ENV = { NO_COLOR: '1', CI: 'true', DESA_CLUSTER_PORT_BASE: '14790', DESA_ETCD_UNSAFE_NO_FSYNC: 'true' };
const D = 'desa.bekasikab.go.id';
const MAIL = `mail.${D}`;
const outputs: string[] = [];

async function desa(args: string[]) {
  const r = await execa(DESA_BIN, args, { env: ENV, extendEnv: true, reject: false, stdin: 'ignore', timeout: 600_000 });
  outputs.push(String(r.stdout), String(r.stderr));
  expect(String(r.stderr)).not.toMatch(STACK_TRACE);
  return { code: r.exitCode ?? -1, stdout: String(r.stdout), stderr: String(r.stderr) };
}

/** GET / with the desa's Host over HTTPS (SNI), trusting only `ca`. */
function httpsGet(port: number, host: string, ca: string[] | undefined): Promise<{ status: number; body: string; cert: PeerCertificate; authorized: boolean }> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest({ host: '127.0.0.1', port, path: '/', servername: host, headers: { Host: host }, ...(ca ? { ca } : {}) }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      const socket = res.socket as import('node:tls').TLSSocket;
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, cert: socket.getPeerCertificate(), authorized: socket.authorized }));
    });
    req.on('error', reject);
    req.end();
  });
}

function httpGet(port: number, host: string): Promise<{ status: number; location: string | undefined }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path: '/surat?no=12', headers: { Host: host } }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, location: res.headers.location }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** A line-oriented conversation on a socket: send a line, wait for an answer that matches. */
function conversation(socket: Socket) {
  let buffer = '';
  const waiters: { re: RegExp; resolve: (s: string) => void }[] = [];
  socket.setEncoding('utf8');
  socket.on('data', (d: string) => {
    buffer += d;
    for (const w of [...waiters]) {
      if (w.re.test(buffer)) {
        const got = buffer;
        buffer = '';
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(got);
      }
    }
  });
  const expectLine = (re: RegExp) =>
    new Promise<string>((resolve, reject) => {
      if (re.test(buffer)) {
        const got = buffer;
        buffer = '';
        return resolve(got);
      }
      const t = setTimeout(() => reject(new Error(`no answer matching ${re} (got: ${buffer})`)), 10_000);
      waiters.push({ re, resolve: (s) => (clearTimeout(t), resolve(s)) });
    });
  return { say: (line: string) => socket.write(`${line}\r\n`), expectLine };
}

const connectFrom = (port: number, localAddress = '127.0.0.1') =>
  new Promise<Socket>((resolve, reject) => {
    const s = connect({ host: '127.0.0.1', port, localAddress }, () => resolve(s));
    s.once('error', reject);
  });

/** TLS over an existing socket (after STARTTLS), trusting only `ca`; the peer's certificate. */
const upgrade = (socket: Socket, ca: string[], servername: string) =>
  new Promise<{ cert: PeerCertificate; authorized: boolean; error: string | null }>((resolve, reject) => {
    const t = tlsConnect({ socket, ca, servername, rejectUnauthorized: false }, () => {
      resolve({ cert: t.getPeerCertificate(), authorized: t.authorized, error: t.authorizationError ? String(t.authorizationError) : null });
      t.end();
    });
    t.once('error', reject);
  });

/** Implicit TLS on a port, trusting only `ca`. */
const handshake = (port: number, ca: string[], servername: string) =>
  new Promise<{ cert: PeerCertificate; authorized: boolean; error: string | null }>((resolve, reject) => {
    const t = tlsConnect({ host: '127.0.0.1', port, ca, servername, rejectUnauthorized: false }, () => {
      resolve({ cert: t.getPeerCertificate(), authorized: t.authorized, error: t.authorizationError ? String(t.authorizationError) : null });
      t.end();
    });
    t.once('error', reject);
  });

describe('TLS on the front doors of the local servers, from the local ACME CA', () => {
  let file: string;
  let dir: string;
  let services: string;
  let ports: ServicePorts;
  let ca: string[];
  let issueSeconds = NaN;
  let upSeconds = NaN;
  let passwords: Record<string, string> = {};
  let started = false;

  beforeAll(async () => {
    ({ file, dir } = tempInventory(keepUnits(shippedText(), ['sumberjaya', 'karangmukti'])));
    started = true;
    const t0 = performance.now();
    const r = await desa(['up', '--file', file, '--json']);
    upSeconds = (performance.now() - t0) / 1000;
    expect(r.code, r.stderr).toBe(0);
    // What the run said about the order: the reason and the time the CA took.
    expect(r.stderr).toMatch(/ordering the certificate for \*\.desa\.bekasikab\.go\.id, desa\.bekasikab\.go\.id from the local CA by DNS-01: no certificate from the local CA yet/);
    issueSeconds = Number(/the local CA issued the certificate for .* in ([\d.]+) s/.exec(r.stderr)?.[1]);
    services = join(dir, '.desa', 'services');
    ports = readLocalServices(services)!.ports;
    ca = [readFileSync(join(services, 'tls', 'local-ca.pem'), 'utf8')];
    const o = await execa(DESA_BIN, ['outputs', 'sumberjaya', '--file', file, '--show-secrets', '--json'], { env: ENV, extendEnv: true, reject: false });
    expect(o.exitCode, String(o.stderr)).toBe(0);
    passwords = (JSON.parse(String(o.stdout)) as { outputs: { mailPasswords: Record<string, string> } }).outputs.mailPasswords;
  }, 900_000);

  afterAll(async () => {
    if (started) await desa(['cluster', 'down', '--file', file]);
  }, 120_000);

  it('the wildcard was issued by DNS-01 in seconds (the figure is printed), its keys kept 0600', () => {
    console.log(`[tls] the local CA issued *.${D} + ${D} in ${issueSeconds.toFixed(2)} s (the whole first desa up: ${upSeconds.toFixed(0)} s)`);
    expect(issueSeconds).toBeGreaterThan(0);
    expect(issueSeconds).toBeLessThan(60);
    const chain = readFileSync(join(services, 'tls', 'site.pem'), 'utf8').match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g)!.map((p) => new X509Certificate(p));
    expect(chain[0]!.subjectAltName).toBe(`DNS:*.${D}, DNS:${D}`);
    // Leaf, then the intermediate Pebble signs with, which the root in local-ca.pem signed.
    expect(chain.length).toBeGreaterThan(1);
    expect(chain[0]!.verify(chain[1]!.publicKey)).toBe(true);
    expect(chain.at(-1)!.verify(new X509Certificate(ca[0]!).publicKey)).toBe(true);
    for (const key of ['site.key', 'account.key']) expect(statSync(join(services, 'tls', key)).mode & 0o777, key).toBe(0o600);
    // The challenge record is gone from the zone once the order is done.
    const state = JSON.parse(readFileSync(join(services, 'tls', 'certificate.json'), 'utf8')) as { names: string[]; serial: string };
    expect(state.names).toEqual([`*.${D}`, D]);
    // Pebble's memory, for the report.
    const pid = readState(services)!.pids.pebble!;
    const rss = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    console.log(`[tls] Pebble RSS: ${(Number(rss) / 1024).toFixed(1)} MiB`);
  });

  it("site: https://<slug>.<domain> verifies against the local CA and covers the host; not against the system's roots", async () => {
    const page = await httpsGet(ports.https, `sumberjaya.${D}`, ca);
    expect(page.authorized).toBe(true);
    expect(page.status).toBe(200);
    expect(page.body).toContain('Sumberjaya');
    expect(checkServerIdentity(`sumberjaya.${D}`, page.cert)).toBeUndefined();
    expect(checkServerIdentity(`karangmukti.${D}`, page.cert)).toBeUndefined();
    // Trusted only because the local CA's root is: with the system's roots the handshake fails.
    await expect(httpsGet(ports.https, `sumberjaya.${D}`, undefined)).rejects.toThrow(/certificate|self.signed|issuer/i);
    expect((await httpsGet(ports.https, `tidak-ada.${D}`, ca)).status).toBe(404);
  });

  it('DNS: the zone allows only the local CA (CAA), and webmail and files resolve, asked of the local PowerDNS', async () => {
    const dns = new Resolver({ timeout: 2000, tries: 1 });
    dns.setServers([`127.0.0.1:${ports.dns}`]);
    const caa = (await dns.resolveCaa(D)).map((r) => Object.fromEntries(Object.entries(r).filter(([k]) => k !== 'type')));
    expect(caa).toEqual(expect.arrayContaining([{ critical: 0, issue: 'pebble.desa.local' }, { critical: 0, issuewild: 'pebble.desa.local' }]));
    expect(caa).toHaveLength(2);
    expect(await dns.resolve4(`webmail.${D}`)).toEqual(['127.0.0.1']);
    expect(await dns.resolve4(`files.${D}`)).toEqual(['127.0.0.1']);
  });

  it('site: plain HTTP answers 301 to the same address over HTTPS', async () => {
    expect(await httpGet(ports.http, `sumberjaya.${D}`)).toEqual({ status: 301, location: `https://sumberjaya.${D}:${ports.https}/surat?no=12` });
  });

  it('mail: IMAPS and STARTTLS on IMAP and submission serve the certificate, verified for the mail host; logins work over TLS', async () => {
    const imaps = await handshake(ports.imaps, ca, MAIL);
    expect(imaps).toMatchObject({ authorized: true, error: null });
    expect(checkServerIdentity(MAIL, imaps.cert)).toBeUndefined();

    const user = `sumberjaya.operator@${D}`;
    const overImaps = new ImapFlow({ host: '127.0.0.1', port: ports.imaps, secure: true, tls: { ca, servername: MAIL }, auth: { user, pass: passwords[user]! }, logger: false });
    await overImaps.connect();
    expect((await overImaps.list()).map((b) => b.path)).toEqual(['INBOX']);
    await overImaps.logout();
    const overStartTls = new ImapFlow({ host: '127.0.0.1', port: ports.imap, secure: false, tls: { ca, servername: MAIL }, auth: { user, pass: passwords[user]! }, logger: false });
    await overStartTls.connect();
    await overStartTls.logout();

    const from = `sumberjaya.kepala-desa@${D}`;
    const sent = await nodemailer
      .createTransport({ host: '127.0.0.1', port: ports.submission, secure: false, requireTLS: true, tls: { ca, servername: MAIL }, auth: { user: from, pass: passwords[from]! } })
      .sendMail({ from, to: `karangmukti.operator@${D}`, subject: 'Undangan', text: 'Salam.' });
    expect(sent.accepted).toEqual([`karangmukti.operator@${D}`]);
  });

  it('mail: the certificate after STARTTLS on IMAP and on submission verifies and covers the mail host', async () => {
    const imap = await connectFrom(ports.imap);
    const i = conversation(imap);
    await i.expectLine(/\r\n$/);
    i.say('a STARTTLS');
    await i.expectLine(/^a OK/m);
    imap.removeAllListeners('data');
    const imapTls = await upgrade(imap, ca, MAIL);
    expect(imapTls).toMatchObject({ authorized: true, error: null });
    expect(checkServerIdentity(MAIL, imapTls.cert)).toBeUndefined();

    const smtp = await connectFrom(ports.submission);
    const s = conversation(smtp);
    await s.expectLine(/^220 /m);
    s.say('EHLO uji.example');
    expect(await s.expectLine(/^250 /m)).toMatch(/STARTTLS/);
    s.say('STARTTLS');
    await s.expectLine(/^220 /m);
    smtp.removeAllListeners('data');
    const smtpTls = await upgrade(smtp, ca, MAIL);
    expect(smtpTls).toMatchObject({ authorized: true, error: null });
    expect(checkServerIdentity(MAIL, smtpTls.cert)).toBeUndefined();
  });

  it('mail: IMAP LOGIN and SMTP AUTH before TLS are refused, even with the right password; the MX port takes mail without TLS', async () => {
    const user = `sumberjaya.operator@${D}`;
    // From another address than the server's (127.0.0.2, as a client on another machine would be):
    // Dovecot counts a client whose address equals its own as secured.
    const imap = conversation(await connectFrom(ports.imap, '127.0.0.2'));
    expect(await imap.expectLine(/\r\n$/)).toMatch(/LOGINDISABLED/);
    imap.say(`a LOGIN "${user}" "${passwords[user]}"`);
    expect(await imap.expectLine(/^a (OK|NO|BAD)/m)).toMatch(/^a NO .*(PRIVACYREQUIRED|Plaintext authentication disallowed)/m);

    const from = `sumberjaya.kepala-desa@${D}`;
    const smtp = conversation(await connectFrom(ports.submission, '127.0.0.2'));
    await smtp.expectLine(/^220 /m);
    smtp.say('EHLO uji.example');
    const features = await smtp.expectLine(/^250 /m);
    expect(features).toMatch(/STARTTLS/);
    expect(features).not.toMatch(/AUTH/);
    smtp.say(`AUTH PLAIN ${Buffer.from(`\0${from}\0${passwords[from]}`).toString('base64')}`);
    expect(await smtp.expectLine(/^\d{3} /m)).toMatch(/^530 5\.7\.0 Must issue a STARTTLS command first/m);
    await expect(
      nodemailer.createTransport({ host: '127.0.0.1', port: ports.submission, secure: false, ignoreTLS: true, auth: { user: from, pass: passwords[from]! } }).sendMail({ from, to: from, subject: 'x', text: 'x' }),
    ).rejects.toThrow(/530|STARTTLS|auth/i);

    // Inbound mail from another server, in plain text: offered TLS, not required.
    const mx = conversation(await connectFrom(ports.smtp, '127.0.0.2'));
    await mx.expectLine(/^220 /m);
    mx.say('EHLO mail.contoh.example');
    expect(await mx.expectLine(/^250 /m)).toMatch(/STARTTLS/);
    mx.say('MAIL FROM:<warga@contoh.example>');
    await mx.expectLine(/^250 /m);
    mx.say(`RCPT TO:<sumberjaya.operator@${D}>`);
    await mx.expectLine(/^250 /m);
    mx.say('DATA');
    await mx.expectLine(/^354 /m);
    mx.say('Subject: surat warga\r\n\r\nSalam.\r\n.');
    expect(await mx.expectLine(/^\d{3} /m)).toMatch(/^250 /m);
    mx.say('QUIT');
  });

  it('a second desa up orders no new certificate: the serial is unchanged, and nothing was ordered', async () => {
    const before = new X509Certificate(readFileSync(join(services, 'tls', 'site.pem'))).serialNumber;
    const r = await desa(['up', '--file', file, '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toMatch(/ordering the certificate/);
    expect(new X509Certificate(readFileSync(join(services, 'tls', 'site.pem'))).serialNumber).toBe(before);
    expect((await httpsGet(ports.https, `karangmukti.${D}`, ca)).authorized).toBe(true);
  });

  it('desa cluster status and desa doctor name the local CA file', async () => {
    const caFile = join(services, 'tls', 'local-ca.pem');
    const status = await desa(['cluster', 'status', '--file', file]);
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout).toContain(`local CA: ${caFile}`);
    const json = await desa(['cluster', 'status', '--file', file, '--json']);
    expect(JSON.parse(json.stdout).localCa).toBe(caFile);
    const doctor = await desa(['doctor', '--file', file]);
    expect(doctor.stdout).toContain(`local CA: ${caFile}`);
    expect(doctor.stdout).toMatch(/Pebble \(local ACME CA\)\s+v2\.10\.3/);
  });

  it('desa plan counts the certificate budget: with the wildcard held, nothing to order and one issued this week', async () => {
    // The local cluster's start (which plan does too) keeps or orders the local CA's wildcard itself, so
    // a plan here never orders; the refusal (exit 7) is covered by cli/engine/certificate-budget.test.ts.
    const plan = await desa(['plan', '--file', file, '--json', '--allow-certificates', '0']);
    expect(plan.code, plan.stderr).toBe(0);
    expect(JSON.parse(plan.stdout).certificates).toMatchObject({ registeredDomain: 'bekasikab.go.id', allowance: 50, limit: 0, limitFrom: '--allow-certificates', wouldOrder: 0, issuedThisWeek: 1, withinLimit: true });
    const text = await desa(['plan', '--file', file]);
    expect(text.stdout).toContain('Certificates: this run would order 0 new certificates (1 issued in the last 7 days); bekasikab.go.id shares 50 a week with every other service under it, and desa may use 10 (desa.yaml).');
  });

  it('no private key and no password appears in any output', () => {
    for (const out of outputs) {
      expect(out).not.toMatch(/PRIVATE KEY/);
      for (const v of Object.values(passwords)) expect(out.includes(v)).toBe(false);
    }
  });
});
