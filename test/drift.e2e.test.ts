// State and reality (issue 12), on the real local cluster and servers (DESA_CLUSTER_PORT_BASE=12790; its
// servers on 12800+): objects deleted by hand are named by `desa drift` (exit 5) and re-created by
// `desa up --refresh`; a cluster reset with `desa cluster down --reset` is noticed by `desa up`, which
// re-creates every object and re-applies them to the new servers, while `desa status` never claims what
// the cluster lacks; two `desa up` of the same stacks at once wait for each other, naming the holder,
// and corrupt nothing. The tests build on each other, in order.
import { execa } from 'execa';
import { ImapFlow } from 'imapflow';
import { Resolver } from 'node:dns/promises';
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cacheDir } from '../cli/paths.ts';
import { readLocalServices } from '../cli/servers/state.ts';
import { kubectlPath, readPins } from '../cli/toolchain/pins.ts';
import { STACK_TRACE } from './helpers/cli.ts';
import { DESA_BIN, keepUnits, ROOT, shippedText, tempInventory } from './helpers/inventory.ts';
import { httpsGet, imapTls, localCa } from './helpers/tls.ts';

const ENV = { NO_COLOR: '1', CI: 'true', DESA_CLUSTER_PORT_BASE: '12790', DESA_ETCD_UNSAFE_NO_FSYNC: 'true' };
const D = 'desa.bekasikab.go.id';
const UNITS = ['setia-asih', 'sumberjaya', 'karangmukti'];

interface StackJson {
  stack: string;
  result: string;
  note?: string;
  error?: string;
  changes: { create: number; update: number; delete: number; same: number } | null;
  drift?: { kind: string; type: string; name: string }[];
}

async function desa(args: string[], env: Record<string, string> = {}) {
  const r = await execa(DESA_BIN, args, { env: { ...ENV, ...env }, extendEnv: true, reject: false, stdin: 'ignore', timeout: 900_000 });
  expect(String(r.stderr)).not.toMatch(STACK_TRACE);
  return { code: r.exitCode ?? -1, stdout: String(r.stdout), stderr: String(r.stderr) };
}

describe('state and reality', () => {
  let file: string;
  let dir: string;
  let kubeconfig: string;
  let clusterStarted = false;
  const kubectl = (args: string[]) => execa(kubectlPath(cacheDir(), readPins(ROOT)), ['--kubeconfig', kubeconfig, ...args], { reject: false, timeout: 180_000 });
  const json = async (args: string[], code = 0) => {
    const r = await desa([...args, '--file', file, '--json']);
    expect(r.code, r.stderr.slice(-3000)).toBe(code);
    return JSON.parse(r.stdout) as { ok: boolean; stacks: StackJson[]; services?: { mailboxes: number; records: number; sites: number; skipped: unknown[] } };
  };
  const secretOf = async (slug: string, role: string): Promise<string> => {
    const r = await desa(['outputs', slug, '--file', file, '--show-secrets', '--json']);
    expect(r.code, r.stderr).toBe(0);
    return (JSON.parse(r.stdout) as { outputs: { mailPasswords: Record<string, string> } }).outputs.mailPasswords[`${slug}.${role}@${D}`]!;
  };
  /** The servers serve the desa: the operator logs in over IMAP, the name resolves, the site opens. */
  const served = async (slug: string) => {
    const ports = readLocalServices(join(dir, '.desa', 'services'))!.ports;
    const ca = localCa(join(dir, '.desa', 'services'));
    const user = `${slug}.operator@${D}`;
    const client = new ImapFlow({ host: '127.0.0.1', port: ports.imaps, ...imapTls(ca, user), auth: { user, pass: await secretOf(slug, 'operator') }, logger: false });
    await client.connect();
    await client.logout();
    const dns = new Resolver({ timeout: 3000, tries: 1 });
    dns.setServers([`127.0.0.1:${ports.dns}`]);
    expect(await dns.resolve4(`${slug}.${D}`)).toEqual(['127.0.0.1']);
    const page = await httpsGet(ports.https, `${slug}.${D}`, ca);
    expect(page.status).toBe(200);
  };

  beforeAll(() => {
    ({ file, dir } = tempInventory(keepUnits(shippedText(), UNITS)));
    kubeconfig = join(dir, '.desa', 'cluster', 'admin.kubeconfig');
  });

  afterAll(async () => {
    if (clusterStarted) await desa(['cluster', 'down', '--file', file]);
  }, 150_000);

  it('provisions three desa; drift finds nothing (exit 0)', async () => {
    clusterStarted = true;
    const up = await json(['up']);
    expect(up.stacks.map((s) => s.result)).toEqual(['succeeded', 'succeeded', 'succeeded', 'succeeded']);
    const r = await desa(['drift', '--file', file]);
    expect(r.code, r.stderr.slice(-3000)).toBe(0);
    expect(r.stdout).toContain('4 stack(s): 0 differ from their state, 4 match.');
  }, 900_000);

  it('a namespace and a mailbox Secret deleted with kubectl: drift names both, exit 5', async () => {
    expect((await kubectl(['delete', 'namespace', 'desa-karangmukti', '--wait=true', '--timeout=150s'])).exitCode).toBe(0);
    expect((await kubectl(['-n', 'desa-platform', 'delete', 'secret', 'mailbox-sumberjaya-operator'])).exitCode).toBe(0);
    const r = await desa(['drift', '--file', file]);
    expect(r.code, r.stderr.slice(-3000)).toBe(5);
    expect(r.stdout).toMatch(/karangmukti\s+gone from the cluster: .*Namespace desa-karangmukti/);
    expect(r.stdout).toMatch(/sumberjaya\s+gone from the cluster: .*Secret desa-platform\/mailbox-sumberjaya-operator/);
    expect(r.stdout).toContain('Repair: desa up --refresh --only');
    expect(r.stderr).toMatch(/Drift: 2 stack\(s\) differ/);
    const j = await json(['drift'], 5);
    const gone = (stack: string) => j.stacks.find((s) => s.stack === stack)!.drift!.filter((d) => d.kind === 'gone').map((d) => `${d.type} ${d.name}`);
    expect(gone('karangmukti')).toContain('Namespace desa-karangmukti');
    expect(gone('sumberjaya')).toEqual(['Secret desa-platform/mailbox-sumberjaya-operator']);
    expect(gone('setia-asih')).toEqual([]);
  }, 300_000);

  it('a Secret added by hand in a desa namespace, and a page edited by hand, are named too', async () => {
    expect((await kubectl(['-n', 'desa-sumberjaya', 'create', 'secret', 'generic', 'catatan', '--from-literal=a=b'])).exitCode).toBe(0);
    expect((await kubectl(['-n', 'desa-sumberjaya', 'patch', 'configmap', 'profil-content', '--type', 'merge', '-p', '{"data":{"index.html":"diubah"}}'])).exitCode).toBe(0);
    const r = await desa(['drift', '--only', 'sumberjaya', '--file', file]);
    expect(r.code).toBe(5);
    expect(r.stdout).toMatch(/changed by hand: ConfigMap desa-sumberjaya\/profil-content \(data/);
    expect(r.stdout).toMatch(/added by hand: Secret desa-sumberjaya\/catatan/);
    const j = await json(['drift', '--only', 'sumberjaya'], 5);
    const drift = j.stacks.find((s) => s.stack === 'sumberjaya')!.drift!;
    expect(drift).toContainEqual({ kind: 'added', type: 'Secret', name: 'desa-sumberjaya/catatan' });
    expect(drift.find((d) => d.kind === 'changed')).toMatchObject({ type: 'ConfigMap', name: 'desa-sumberjaya/profil-content' });
    expect((await kubectl(['-n', 'desa-sumberjaya', 'delete', 'secret', 'catatan'])).exitCode).toBe(0);
  }, 300_000);

  it('`desa up --refresh` repairs; the servers serve them again; drift is then clean', async () => {
    const up = await json(['up', '--refresh']);
    expect(up.ok).toBe(true);
    expect(up.stacks.find((s) => s.stack === 'karangmukti')!.changes!.create).toBeGreaterThan(0);
    expect((await kubectl(['get', 'namespace', 'desa-karangmukti'])).exitCode).toBe(0);
    expect((await kubectl(['-n', 'desa-platform', 'get', 'secret', 'mailbox-sumberjaya-operator'])).exitCode).toBe(0);
    await served('sumberjaya');
    await served('karangmukti');
    const page = await kubectl(['-n', 'desa-sumberjaya', 'get', 'configmap', 'profil-content', '-o', 'jsonpath={.data.index\\.html}']);
    expect(page.stdout).toContain('Sumberjaya'); // the page edited by hand is the desa's own again
    const r = await desa(['drift', '--file', file]);
    expect(r.code, r.stdout + r.stderr.slice(-3000)).toBe(0);
  }, 900_000);

  it('after `desa cluster down --reset`, status claims nothing; `desa up` re-creates every object and the servers serve them', async () => {
    const before = (await kubectl(['get', 'secrets,configmaps,ingresses,deployments,services', '-A', '-l', 'app.kubernetes.io/part-of=desa', '-o', 'name'])).stdout.split('\n').filter(Boolean).sort();
    expect(before.length).toBeGreaterThan(10);
    expect((await desa(['cluster', 'down', '--reset', '--file', file])).code).toBe(0);
    const status = await desa(['status', '--file', file, '--json']);
    const doc = JSON.parse(status.stdout) as { counts: { provisioned: number; clusterGone: number }; units: { slug: string; provisioned: boolean; url: string | null }[] };
    expect(doc.counts).toMatchObject({ provisioned: 0, clusterGone: 3 });
    expect(doc.units.every((u) => !u.provisioned && u.url === null)).toBe(true);
    expect((await desa(['status', '--file', file])).stdout).toMatch(/sumberjaya\s+Tambun Selatan\s+cluster reset/);

    const up = await desa(['up', '--file', file]);
    expect(up.code, up.stderr.slice(-3000)).toBe(0);
    expect(up.stdout).toMatch(/sumberjaya\s+.*created.*refreshed first: the cluster at https:\/\/127\.0\.0\.1:12793 was reset or replaced/);
    expect(up.stdout).toMatch(/services on this machine: 6 mailbox\(es\)/);
    const after = (await kubectl(['get', 'secrets,configmaps,ingresses,deployments,services', '-A', '-l', 'app.kubernetes.io/part-of=desa', '-o', 'name'])).stdout.split('\n').filter(Boolean).sort();
    expect(after).toEqual(before);
    const again = JSON.parse((await desa(['status', '--file', file, '--json'])).stdout) as typeof doc;
    expect(again.counts).toMatchObject({ provisioned: 3, clusterGone: 0 });
    await served('sumberjaya');
    await served('karangmukti');
    // And the next run skips them again: nothing hides behind the fingerprint any more.
    const quiet = await json(['up']);
    expect(quiet.stacks.filter((s) => s.stack !== 'platform').every((s) => s.changes!.create + s.changes!.update + s.changes!.delete === 0)).toBe(true);
    expect((await desa(['drift', '--file', file])).code).toBe(0);
  }, 900_000);

  it('two `desa up --refresh` one second apart: the later one waits, naming the holder; both succeed; nothing is corrupted', async () => {
    const first = desa(['up', '--refresh', '--file', file]);
    await new Promise((r) => setTimeout(r, 1000));
    const second = await desa(['up', '--refresh', '--file', file]);
    const one = await first;
    expect(one.code, one.stderr.slice(-2000)).toBe(0);
    expect(second.code, second.stderr.slice(-2000)).toBe(0);
    const both = one.stderr + second.stderr;
    // Whether the runs overlapped depends on the machine's load (in one CI run the first had finished
    // before the second opened a stack); when they did, the later one waited and named the holder.
    if (/waiting for another run/.test(both)) {
      expect(both).toMatch(/waiting for another run that holds it: process \d+ \(.*desa up --refresh.*\) of \S+ on this machine/);
    }
    expect(both).not.toContain('code: -2');
    expect((await desa(['drift', '--file', file])).code).toBe(0);
    const quiet = await json(['up', '--refresh']);
    expect(quiet.stacks.every((s) => s.changes!.create + s.changes!.delete === 0)).toBe(true);
  }, 900_000);

  it('two `desa up` started together on a stopped cluster: one starts it, the other waits for that; both succeed', async () => {
    expect((await desa(['cluster', 'down', '--file', file])).code).toBe(0);
    const later = async () => (await new Promise((r) => setTimeout(r, 200)), desa(['up', '--file', file]));
    const [a, b] = await Promise.all([desa(['up', '--file', file]), later()]);
    expect(a.code, a.stderr.slice(-2000)).toBe(0);
    expect(b.code, b.stderr.slice(-2000)).toBe(0);
    expect(a.stderr + b.stderr).toMatch(/waiting for process \d+ \(`desa up --file .*`\), which is starting the local cluster/);
    expect((await desa(['drift', '--file', file])).code).toBe(0);
  }, 600_000);

  it('a stack held by another live process past --lock-wait: the error says who, since when, and what to do (exit 4)', async () => {
    const holder = spawn('sleep', ['120'], { stdio: 'ignore' });
    const locks = join(dir, '.desa', 'state', '.pulumi', 'locks', 'organization', 'desa', 'sumberjaya');
    mkdirSync(locks, { recursive: true });
    const since = new Date().toISOString();
    writeFileSync(join(locks, 'b1946ac9-2f2e-4d9c-9d28-6d0f5e3a1c11.json'), JSON.stringify({ pid: holder.pid, username: 'budi', hostname: hostname(), timestamp: since }));
    try {
      const r = await desa(['up', '--only', 'sumberjaya', '--lock-wait', '2', '--file', file]);
      expect(r.code).toBe(4);
      const line = r.stdout.split('\n').find((l) => l.startsWith('sumberjaya'))!;
      expect(line).toMatch(new RegExp(`FAILED after .*: another run holds stack sumberjaya \\(waited [23]s\\): process ${holder.pid} \\(sleep 120\\) of budi on this machine \\(.*\\) since .* \\(\\d+s ago\\)\\. Let it finish, then run again`));
    } finally {
      holder.kill();
    }
    // Once that process is gone, its lock is a leftover: the next run cancels it and goes on.
    await new Promise((r) => setTimeout(r, 500));
    expect((await desa(['up', '--only', 'sumberjaya', '--file', file])).code).toBe(0);
  }, 300_000);
});
