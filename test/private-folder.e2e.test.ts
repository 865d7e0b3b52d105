// A checkout inside a folder only its owner may enter (Debian's 0700 home folders, /root), issue 12:
// `desa up` as root gives mailboxes that log in, names that resolve and sites that open, without
// anyone changing that folder's permissions: the servers' files go to a folder of the project's own
// (DESA_SERVICES_HOME, /var/lib/desa by default) that .desa/services links to. Real cluster and
// servers, DESA_CLUSTER_PORT_BASE=13790 (servers on 13800+).
import { execa } from 'execa';
import { ImapFlow } from 'imapflow';
import { Resolver } from 'node:dns/promises';
import { chmodSync, copyFileSync, existsSync, lstatSync, mkdirSync, mkdtempSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readLocalServices } from '../cli/servers/state.ts';
import { STACK_TRACE } from './helpers/cli.ts';
import { DESA_BIN, keepUnits, OFFICIAL_CSV, shippedText } from './helpers/inventory.ts';
import { httpsGet, imapTls, localCa } from './helpers/tls.ts';

const D = 'desa.bekasikab.go.id';


describe.skipIf(userInfo().uid !== 0)('a checkout in a 0700 folder, as root', () => {
  let home: string;
  let checkout: string;
  let file: string;
  let env: Record<string, string>;
  let started = false;
  const desa = async (args: string[]) => {
    const r = await execa(DESA_BIN, [...args, '--file', file], { env, extendEnv: true, reject: false, stdin: 'ignore', timeout: 900_000 });
    expect(String(r.stderr)).not.toMatch(STACK_TRACE);
    return { code: r.exitCode ?? -1, stdout: String(r.stdout), stderr: String(r.stderr) };
  };

  beforeAll(() => {
    // A home folder as Debian makes it (DIR_MODE=0700), the checkout inside.
    const priv = mkdtempSync(join(tmpdir(), 'home-budi-'));
    chmodSync(priv, 0o700);
    checkout = join(priv, 'desa');
    mkdirSync(join(checkout, 'data'), { recursive: true });
    copyFileSync(OFFICIAL_CSV, join(checkout, 'data/kepmendagri-2025-bekasi.csv'));
    file = join(checkout, 'desa.yaml');
    writeFileSync(file, keepUnits(shippedText(), ['sumberjaya', 'karangmukti']));
    // Short, like /var/lib/desa: the servers' unix sockets go under it.
    home = mkdtempSync('/tmp/dsh-');
    chmodSync(home, 0o755);
    env = { NO_COLOR: '1', CI: 'true', DESA_CLUSTER_PORT_BASE: '13790', DESA_ETCD_UNSAFE_NO_FSYNC: 'true', DESA_SERVICES_HOME: home };
  });

  afterAll(async () => {
    if (started) await desa(['cluster', 'down', '--reset']);
    rmSync(home, { recursive: true, force: true });
  }, 150_000);

  it('desa up succeeds, the folder is left as it was, and the servers run from one they can reach', async () => {
    started = true;
    const r = await desa(['up', '--json']);
    expect(r.code, r.stderr.slice(-3000)).toBe(0);
    expect(r.stderr).not.toMatch(/not traversable|chmod/);
    const summary = JSON.parse(r.stdout) as { services: { mailboxes: number; sites: number; records: number; skipped: unknown[] } };
    expect(summary.services).toMatchObject({ mailboxes: 6, sites: 2, skipped: [] });
    expect(statSync(join(checkout, '..')).mode & 0o777).toBe(0o700);
    const link = join(checkout, '.desa', 'services');
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(realpathSync(link).startsWith(`${home}/services-`)).toBe(true);
  }, 900_000);

  it('mailboxes log in, names resolve, sites open', async () => {
    const ports = readLocalServices(join(checkout, '.desa', 'services'))!.ports;
    const out = await desa(['outputs', 'sumberjaya', '--show-secrets', '--json']);
    const pass = (JSON.parse(out.stdout) as { outputs: { mailPasswords: Record<string, string> } }).outputs.mailPasswords[`sumberjaya.operator@${D}`]!;
    // Over TLS, trusting only the local CA: the servers' files (the certificate among them) live in the
    // traversable folder the link points at.
    const ca = localCa(join(checkout, '.desa', 'services'));
    const client = new ImapFlow({ host: '127.0.0.1', port: ports.imaps, ...imapTls(ca, `sumberjaya.operator@${D}`), auth: { user: `sumberjaya.operator@${D}`, pass }, logger: false });
    await client.connect();
    expect((await client.list()).map((b) => b.path)).toEqual(['INBOX']);
    await client.logout();
    const dns = new Resolver({ timeout: 3000, tries: 1 });
    dns.setServers([`127.0.0.1:${ports.dns}`]);
    for (const slug of ['sumberjaya', 'karangmukti']) {
      expect(await dns.resolve4(`${slug}.${D}`)).toEqual(['127.0.0.1']);
      const page = await httpsGet(ports.https, `${slug}.${D}`, ca);
      expect(page.status).toBe(200);
      expect(page.body).toMatch(new RegExp(slug === 'sumberjaya' ? 'Sumberjaya' : 'Karangmukti'));
    }
  }, 120_000);

  it('`desa cluster down --reset` deletes the servers\' folder too', async () => {
    const real = realpathSync(join(checkout, '.desa', 'services'));
    expect((await desa(['cluster', 'down', '--reset'])).code).toBe(0);
    started = false;
    expect(existsSync(real)).toBe(false);
    expect(existsSync(join(checkout, '.desa', 'services'))).toBe(false);
  }, 150_000);
});
