// Each desa's services work: after a real `desa up` on the local cluster (ports from
// DESA_CLUSTER_PORT_BASE=25790; its loopback servers on 25800+), real clients log in to the mailboxes
// (IMAPS, SMTP submission after STARTTLS), store files in the bucket (S3), resolve the names (DNS) and open
// the site (HTTPS) with the credentials the stacks generated, trusting only the local CA (issue 13). One desa cannot reach another's, and an offboarded
// desa loses access while its data stays until --delete-data. The tests build on each other, in order.
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { execa } from 'execa';
import { ImapFlow } from 'imapflow';
import { dkimVerify } from 'mailauth';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { Resolver } from 'node:dns/promises';
import { request } from 'node:http';
import { connect } from 'node:net';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readLocalServices, type ServicePorts } from '../cli/servers/state.ts';
import { STACK_TRACE } from './helpers/cli.ts';
import { DESA_BIN, edit, keepUnits, shippedText, tempInventory } from './helpers/inventory.ts';
import { httpsGet, imapTls, localCa, submissionTls } from './helpers/tls.ts';

const ENV = { NO_COLOR: '1', CI: 'true', DESA_CLUSTER_PORT_BASE: '25790', DESA_ETCD_UNSAFE_NO_FSYNC: 'true' };
const D = 'desa.bekasikab.go.id';
const outputs: string[] = [];
const retired: string[] = [];
/** The local CA's root, read after the first desa up: every TLS client here trusts it and nothing else. */
let ca: string[] = [];

interface Secrets {
  mailPasswords: Record<string, string>;
  storageCredentials: { bucket: string; accessKeyId: string; secretAccessKey: string };
}

async function desa(args: string[]) {
  const r = await execa(DESA_BIN, args, { env: ENV, extendEnv: true, reject: false, stdin: 'ignore', timeout: 600_000 });
  outputs.push(String(r.stdout), String(r.stderr));
  expect(String(r.stderr)).not.toMatch(STACK_TRACE);
  return { code: r.exitCode ?? -1, stdout: String(r.stdout), stderr: String(r.stderr) };
}

async function imapLogin(port: number, user: string, pass: string): Promise<ImapFlow> {
  const client = new ImapFlow({ host: '127.0.0.1', port, ...imapTls(ca, user), auth: { user, pass }, logger: false });
  await client.connect();
  return client;
}

/** `tlsFor`: the address whose mail host the certificate must name (the user's own, unless its domain is gone). */
async function imapRefused(port: number, user: string, pass: string, tlsFor = user): Promise<string> {
  const client = new ImapFlow({ host: '127.0.0.1', port, ...imapTls(ca, tlsFor), auth: { user, pass }, logger: false });
  client.on('error', () => {});
  try {
    await client.connect();
  } catch (e) {
    return String((e as { authenticationFailed?: boolean; responseText?: string }).responseText ?? (e as Error).message);
  } finally {
    client.close();
  }
  throw new Error(`IMAP login of ${user} succeeded`);
}

/** Whether a message with this subject shows in the INBOX within 10 s (delivery is asynchronous). */
async function arrives(client: ImapFlow, subject: string): Promise<boolean> {
  for (let i = 0; i < 50; i++) {
    const lock = await client.getMailboxLock('INBOX');
    try {
      if (((await client.search({ subject })) || []).length > 0) return true;
    } finally {
      lock.release();
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return false;
}

const smtp = (port: number, user: string, pass: string) =>
  nodemailer.createTransport({ host: '127.0.0.1', port, ...submissionTls(ca, user), auth: { user, pass }, connectionTimeout: 10_000 });

const s3 = (port: number, accessKeyId: string, secretAccessKey: string) =>
  new S3Client({ endpoint: `http://127.0.0.1:${port}`, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId, secretAccessKey } });

async function s3Error(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    return (e as Error).name;
  }
  throw new Error('the S3 request succeeded');
}

/** Plain HTTP: a desa's name answers 301 to HTTPS; any other name 404. */
function get(port: number, host: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/', headers: { Host: host } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
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

describe('the services a desa gets, with real clients', () => {
  let file: string;
  let dir: string;
  let ports: ServicePorts;
  let dns: Resolver;
  const secrets: Record<string, Secrets> = {};
  let clusterStarted = false;
  // Sumberjaya also has a treasurer's mailbox with an alias and a small quota.
  const write = (units: string[]) =>
    writeFileSync(
      file,
      edit(
        keepUnits(shippedText(), units),
        '    connectivity:\n',
        '    services:\n      email:\n        accounts: [kepala-desa, sekretaris-desa, operator, { role: bendahara, aliases: [keuangan], quota: 1Mi }]\n    connectivity:\n',
        'slug: sumberjaya',
      ),
    );
  const readSecrets = async (slug: string): Promise<Secrets> => {
    // Asked for on purpose: not recorded with the outputs searched for leaks below.
    const r = await execa(DESA_BIN, ['outputs', slug, '--file', file, '--show-secrets', '--json'], { env: ENV, extendEnv: true, reject: false });
    expect(r.exitCode, String(r.stderr)).toBe(0);
    return (JSON.parse(String(r.stdout)) as { outputs: Secrets }).outputs;
  };

  beforeAll(async () => {
    ({ file, dir } = tempInventory());
    write(['setia-asih', 'sumberjaya', 'karangmukti']);
    clusterStarted = true;
    const r = await desa(['up', '--file', file, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const summary = JSON.parse(r.stdout);
    expect(summary.services).toMatchObject({ mailboxes: 7, aliases: 1, buckets: { active: 2, revoked: 0 }, sites: 3, skipped: [] });
    ports = readLocalServices(join(dir, '.desa', 'services'))!.ports;
    ca = localCa(join(dir, '.desa', 'services'));
    dns = new Resolver({ timeout: 3000, tries: 1 });
    dns.setServers([`127.0.0.1:${ports.dns}`]);
    for (const slug of ['sumberjaya', 'karangmukti']) secrets[slug] = await readSecrets(slug);
  }, 900_000);

  afterAll(async () => {
    if (clusterStarted) await desa(['cluster', 'down', '--file', file]);
  }, 120_000);

  const address = (slug: string, role: string) => `${slug}.${role}@${D}`;
  const password = (slug: string, role: string) => secrets[slug]!.mailPasswords[address(slug, role)]!;

  it('mail: the generated password logs in over IMAP; a wrong one, and another desa\'s, do not', async () => {
    const client = await imapLogin(ports.imaps, address('sumberjaya', 'operator'), password('sumberjaya', 'operator'));
    const boxes = (await client.list()).map((b) => b.path);
    expect(boxes).toEqual(['INBOX']);
    await client.logout();
    expect(await imapRefused(ports.imaps, address('sumberjaya', 'operator'), `${password('sumberjaya', 'operator')}x`)).toMatch(/AUTHENTICATIONFAILED|Authentication failed/i);
    expect(await imapRefused(ports.imaps, address('sumberjaya', 'operator'), password('karangmukti', 'operator'))).toMatch(/AUTHENTICATIONFAILED|Authentication failed/i);
    expect(await imapRefused(ports.imaps, address('setia-asih', 'operator'), 'anything')).toMatch(/AUTHENTICATIONFAILED|Authentication failed/i);
  });

  it('mail: SMTP submission with the credentials delivers to another desa; sending as another desa is refused', async () => {
    const from = address('sumberjaya', 'kepala-desa');
    const to = address('karangmukti', 'sekretaris-desa');
    const subject = `Undangan musrenbang ${Date.now()}`;
    const sent = await smtp(ports.submission, from, password('sumberjaya', 'kepala-desa')).sendMail({ from, to, subject, text: 'Salam dari Sumberjaya.' });
    expect(sent.accepted).toEqual([to]);
    await expect(smtp(ports.submission, from, 'salah').sendMail({ from, to, subject: 'x', text: 'x' })).rejects.toThrow(/535|auth/i);
    await expect(smtp(ports.submission, from, password('sumberjaya', 'kepala-desa')).sendMail({ from: to, to: from, subject: 'x', text: 'x' })).rejects.toThrow(
      /553|not owned/i,
    );
    // It arrives in the recipient's INBOX, read with the recipient's own credentials, signed with the
    // platform's DKIM key: the signature verifies against the key published in the zone.
    const inbox = await imapLogin(ports.imaps, to, password('karangmukti', 'sekretaris-desa'));
    let source: Buffer | undefined;
    try {
      expect(await arrives(inbox, subject)).toBe(true);
      const lock = await inbox.getMailboxLock('INBOX');
      try {
        const [uid] = (await inbox.search({ subject }, { uid: true })) || [];
        const message = await inbox.fetchOne(String(uid), { source: true }, { uid: true });
        source = message ? message.source : undefined;
      } finally {
        lock.release();
      }
    } finally {
      await inbox.logout();
    }
    const zone = (name: string, rrtype: string) => (rrtype === 'TXT' ? dns.resolveTxt(name) : dns.resolve(name, rrtype as 'A'));
    const verified = await dkimVerify(source!, { resolver: zone as never });
    expect(verified.results.map((r) => [r.signingDomain, r.selector, r.status.result])).toEqual([[D, 'mail', 'pass']]);
  });

  it('mail: an alias delivers to its mailbox, and the mailbox quota is enforced', async () => {
    const treasurer = address('sumberjaya', 'bendahara');
    const from = address('karangmukti', 'operator');
    const subject = `Laporan keuangan ${Date.now()}`;
    await smtp(ports.submission, from, password('karangmukti', 'operator')).sendMail({ from, to: `sumberjaya.keuangan@${D}`, subject, text: 'APBDes.' });
    const client = await imapLogin(ports.imaps, treasurer, password('sumberjaya', 'bendahara'));
    try {
      expect(await arrives(client, subject)).toBe(true);
      expect(await client.getQuota('INBOX')).toMatchObject({ storage: { limit: 1024 * 1024 } });
      const big = `From: ${treasurer}\r\nSubject: arsip\r\n\r\n${'x'.repeat(1100 * 1024)}\r\n`;
      await expect(client.append('INBOX', big)).rejects.toMatchObject({ serverResponseCode: 'OVERQUOTA' });
      const small = await client.append('INBOX', `From: ${treasurer}\r\nSubject: catatan\r\n\r\nkecil\r\n`);
      expect(small).toBeTruthy();
    } finally {
      await client.logout();
    }
  });

  it('storage: the desa key writes, lists and reads its bucket, and is denied another desa\'s', async () => {
    const own = secrets.sumberjaya!.storageCredentials;
    const other = secrets.karangmukti!.storageCredentials;
    const client = s3(ports.s3, own.accessKeyId, own.secretAccessKey);
    const body = 'Surat keputusan kepala desa no. 12/2026';
    await client.send(new PutObjectCommand({ Bucket: own.bucket, Key: 'arsip/sk-12-2026.txt', Body: body }));
    const list = await client.send(new ListObjectsV2Command({ Bucket: own.bucket }));
    expect(list.Contents?.map((o) => o.Key)).toEqual(['arsip/sk-12-2026.txt']);
    const got = await client.send(new GetObjectCommand({ Bucket: own.bucket, Key: 'arsip/sk-12-2026.txt' }));
    expect(await got.Body!.transformToString()).toBe(body);
    expect(await s3Error(client.send(new ListObjectsV2Command({ Bucket: other.bucket })))).toBe('AccessDenied');
    expect(await s3Error(client.send(new PutObjectCommand({ Bucket: other.bucket, Key: 'x', Body: 'x' })))).toBe('AccessDenied');
    expect(await s3Error(client.send(new CreateBucketCommand({ Bucket: 'desa-baru' })))).toBe('AccessDenied');
    expect(await s3Error(s3(ports.s3, own.accessKeyId, other.secretAccessKey).send(new ListObjectsV2Command({ Bucket: own.bucket })))).toBe('SignatureDoesNotMatch');
  });

  it('storage: usage is reported against the quota', async () => {
    const r = await desa(['up', '--file', file, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const usage = JSON.parse(r.stdout).services.buckets.usage;
    expect(usage).toEqual([
      { bucket: 'desa-karangmukti', quota: '20Gi', bytes: 0, objects: 0 },
      { bucket: 'desa-sumberjaya', quota: '20Gi', bytes: 'Surat keputusan kepala desa no. 12/2026'.length, objects: 1 },
    ]);
  });

  it('dns: every desa host answers from the zone, with MX, SPF, DMARC and DKIM for the mail domain', async () => {
    for (const slug of ['sumberjaya', 'karangmukti', 'setia-asih']) expect(await dns.resolve4(`${slug}.${D}`)).toEqual(['127.0.0.1']);
    expect(await dns.resolveMx(D)).toEqual([{ exchange: `mail.${D}`, priority: 10, type: 'MX' }]);
    expect(await dns.resolve4(`mail.${D}`)).toEqual(['127.0.0.1']);
    expect((await dns.resolveTxt(D)).map((t) => t.join(''))).toEqual(['v=spf1 mx -all']);
    expect((await dns.resolveTxt(`_dmarc.${D}`)).map((t) => t.join(''))).toEqual(['v=DMARC1; p=quarantine; adkim=s; aspf=s']);
    const dkim = (await dns.resolveTxt(`mail._domainkey.${D}`)).map((t) => t.join(''));
    expect(dkim).toHaveLength(1);
    expect(dkim[0]).toMatch(/^v=DKIM1; k=rsa; p=MIIBIjAN[A-Za-z0-9+/=]+$/);
    expect(await dnsCode(dns, `tidak-ada.${D}`)).toBe('ENOTFOUND');
  });

  it('site: the desa host serves its profile page with its name and kecamatan', async () => {
    const page = await httpsGet(ports.https, `sumberjaya.${D}`, ca);
    expect(page.status).toBe(200);
    expect(page.body).toContain('Sumberjaya');
    expect(page.body).toContain('Tambun Selatan');
    const kel = await httpsGet(ports.https, `setia-asih.${D}`, ca);
    expect(kel.status).toBe(200);
    expect(kel.body).toContain('Setia Asih');
    expect(kel.body).toContain('Tarumajaya');
    expect((await httpsGet(ports.https, `tidak-ada.${D}`, ca)).status).toBe(404);
    // Plain HTTP sends a desa's name to HTTPS.
    expect((await get(ports.http, `sumberjaya.${D}`)).status).toBe(301);
  });

  it('rotation: the new password and key work at once, the old ones no longer', async () => {
    const before = secrets.sumberjaya!;
    const r = await desa(['rotate', 'sumberjaya', '--account', 'operator', 'storage', '--file', file]);
    expect(r.code, r.stderr).toBe(0);
    const after = await readSecrets('sumberjaya');
    const op = address('sumberjaya', 'operator');
    expect(after.mailPasswords[op]).not.toBe(before.mailPasswords[op]);
    expect(await imapRefused(ports.imaps, op, before.mailPasswords[op]!)).toMatch(/AUTHENTICATIONFAILED|Authentication failed/i);
    (await imapLogin(ports.imaps, op, after.mailPasswords[op]!)).close();
    // The other accounts keep their passwords.
    (await imapLogin(ports.imaps, address('sumberjaya', 'kepala-desa'), password('sumberjaya', 'kepala-desa'))).close();
    const { bucket, accessKeyId } = after.storageCredentials;
    expect(await s3Error(s3(ports.s3, accessKeyId, before.storageCredentials.secretAccessKey).send(new ListObjectsV2Command({ Bucket: bucket })))).toBe('SignatureDoesNotMatch');
    const list = await s3(ports.s3, accessKeyId, after.storageCredentials.secretAccessKey).send(new ListObjectsV2Command({ Bucket: bucket }));
    expect(list.Contents?.map((o) => o.Key)).toEqual(['arsip/sk-12-2026.txt']);
    secrets.sumberjaya = after;
    // The old values were real secrets too: the leak search below looks for them as well.
    retired.push(before.mailPasswords[op]!, before.storageCredentials.secretAccessKey);
  });

  it('offboarding: a desa removed from desa.yaml loses its logins, name and site; its data stays', async () => {
    write(['setia-asih', 'sumberjaya']);
    const r = await desa(['up', '--file', file, '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).services.buckets).toMatchObject({ active: 1, revoked: 1 });
    expect(await imapRefused(ports.imaps, address('karangmukti', 'operator'), password('karangmukti', 'operator'))).toMatch(/AUTHENTICATIONFAILED|Authentication failed/i);
    await expect(
      smtp(ports.submission, address('karangmukti', 'operator'), password('karangmukti', 'operator')).sendMail({ from: address('karangmukti', 'operator'), to: address('sumberjaya', 'operator'), subject: 'x', text: 'x' }),
    ).rejects.toThrow(/535|auth/i);
    const gone = secrets.karangmukti!.storageCredentials;
    expect(await s3Error(s3(ports.s3, gone.accessKeyId, gone.secretAccessKey).send(new ListObjectsV2Command({ Bucket: gone.bucket })))).toBe('InvalidAccessKeyId');
    expect(await dnsCode(dns, `karangmukti.${D}`)).toBe('ENOTFOUND');
    expect((await httpsGet(ports.https, `karangmukti.${D}`, ca)).status).toBe(404);
    // Data kept: the mail delivered before and the bucket stay on disk.
    const services = join(dir, '.desa', 'services');
    expect(readdirSync(join(services, 'mail', 'mail', D))).toContain('karangmukti.sekretaris-desa');
    expect(existsSync(join(services, 's3', 'data', 'desa-karangmukti'))).toBe(true);
    // The desa still in desa.yaml is untouched.
    (await imapLogin(ports.imaps, address('sumberjaya', 'operator'), password('sumberjaya', 'operator'))).close();
  });

  it('offboarding with --delete-data removes the mail and the bucket too', async () => {
    const r = await desa(['destroy', '--only', 'karangmukti', '--delete-data', '--yes', '--file', file, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const services = join(dir, '.desa', 'services');
    expect(readdirSync(join(services, 'mail', 'mail', D)).filter((n) => n.startsWith('karangmukti.'))).toEqual([]);
    expect(existsSync(join(services, 's3', 'data', 'desa-karangmukti'))).toBe(false);
    expect(existsSync(join(services, 's3', 'data', 'desa-sumberjaya'))).toBe(true);
  });

  it('no password or key appears in any output or file, but the S3 server\'s own 0600 account file', () => {
    const values = [...Object.values(secrets).flatMap((s) => [...Object.values(s.mailPasswords), s.storageCredentials.secretAccessKey]), ...retired];
    expect(values.length).toBe(11);
    for (const out of outputs) for (const v of values) expect(out.includes(v)).toBe(false);
    const iam = join(dir, '.desa', 'services', 's3', 'iam', 'users.json');
    const files = readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => join(e.parentPath, e.name))
      .filter((f) => f !== iam);
    expect(files.length).toBeGreaterThan(50);
    for (const f of files) {
      const content = readFileSync(f);
      for (const v of values) expect(content.includes(v), `${f} holds a secret`).toBe(false);
    }
    // S3 signatures need the server to know the key: it keeps it in its own account file, for its user only.
    expect(statSync(iam).mode & 0o077).toBe(0);
    expect(readFileSync(iam, 'utf8')).toContain(secrets.sumberjaya!.storageCredentials.secretAccessKey);
  });

  it('a new domain in desa.yaml reaches every server at the next desa up; nothing of the old one is served', async () => {
    const NEW = 'desa.contoh.go.id';
    const services = join(dir, '.desa', 'services');
    const shown = outputs.length;
    writeFileSync(file, edit(readFileSync(file, 'utf8'), `  domain: ${D}\n`, `  domain: ${NEW}\n`));
    const r = await desa(['up', '--file', file, '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).services).toMatchObject({ mailboxes: 4, buckets: { active: 1 }, sites: 2, skipped: [] });
    // Every config that names the domain was rendered again, and the running servers re-read it.
    for (const f of ['mail/dovecot.conf', 'postfix/etc/main.cf', 'web/nginx.conf', 'dkim/KeyTable', 'dkim/SigningTable']) {
      const text = readFileSync(join(services, f), 'utf8');
      expect(text, f).toContain(NEW.split('.')[1]);
      expect(text.includes(D) || text.includes(D.replaceAll('.', '\\.')), f).toBe(false);
    }
    expect(readFileSync(join(services, 'log', 'dovecot.log'), 'utf8')).toMatch(/SIGHUP received - reloading configuration/);
    const banner = await new Promise<string>((resolve, reject) => {
      const c = connect(ports.smtp, '127.0.0.1');
      c.once('data', (d) => (resolve(String(d)), c.end()));
      c.once('error', reject);
    });
    expect(banner).toMatch(new RegExp(`^220 mail\\.${NEW.replaceAll('.', '\\.')} `));
    // Mailboxes, names and sites under the new domain; the old ones are gone.
    const after = await readSecrets('sumberjaya');
    const op = `sumberjaya.operator@${NEW}`;
    (await imapLogin(ports.imaps, op, after.mailPasswords[op]!)).close();
    expect(await imapRefused(ports.imaps, address('sumberjaya', 'operator'), after.mailPasswords[op]!, op)).toMatch(/AUTHENTICATIONFAILED|Authentication failed/i);
    expect(await dns.resolve4(`sumberjaya.${NEW}`)).toEqual(['127.0.0.1']);
    expect(await dns.resolveMx(NEW)).toEqual([{ exchange: `mail.${NEW}`, priority: 10, type: 'MX' }]);
    // The old zone is gone: the server answers for it no more (REFUSED), or not with a name (NXDOMAIN).
    expect(['EREFUSED', 'ENOTFOUND']).toContain(await dnsCode(dns, `sumberjaya.${D}`));
    // The certificate was ordered again for the new names: the site verifies under the new domain.
    expect((await httpsGet(ports.https, `sumberjaya.${NEW}`, ca)).status).toBe(200);
    expect((await get(ports.http, `sumberjaya.${D}`)).status).toBe(404);
    // Mail sent now is signed for the new domain, and the signature verifies against the new zone.
    const from = `sumberjaya.kepala-desa@${NEW}`;
    const subject = `Domain baru ${Date.now()}`;
    await smtp(ports.submission, from, after.mailPasswords[from]!).sendMail({ from, to: op, subject, text: 'Alamat baru.' });
    const inbox = await imapLogin(ports.imaps, op, after.mailPasswords[op]!);
    let source: Buffer | undefined;
    try {
      expect(await arrives(inbox, subject)).toBe(true);
      const lock = await inbox.getMailboxLock('INBOX');
      try {
        const [uid] = (await inbox.search({ subject }, { uid: true })) || [];
        const message = await inbox.fetchOne(String(uid), { source: true }, { uid: true });
        source = message ? message.source : undefined;
      } finally {
        lock.release();
      }
    } finally {
      await inbox.logout();
    }
    const zone = (name: string, rrtype: string) => (rrtype === 'TXT' ? dns.resolveTxt(name) : dns.resolve(name, rrtype as 'A'));
    const verified = await dkimVerify(source!, { resolver: zone as never });
    expect(verified.results.map((v) => [v.signingDomain, v.selector, v.status.result])).toEqual([[NEW, 'mail', 'pass']]);
    // Still no secret in what desa printed.
    for (const out of outputs.slice(shown)) for (const v of Object.values(after.mailPasswords)) expect(out.includes(v)).toBe(false);
  });
});
