// `desa check` against what a real `desa up` provisioned on the local cluster (DESA_CLUSTER_PORT_BASE=
// 15790; its loopback servers on 15800+): every desa ready after up; then the DNS server stopped, a site
// broken, a mailbox Secret deleted and a link recorded as down, and each row names its reason; the exit
// code says not ready; `desa report` shows the readiness of the last check. The tests build on each other.
import { execa } from 'execa';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cacheDir } from '../cli/paths.ts';
import { readState } from '../cli/servers/state.ts';
import { kubectlPath, readPins } from '../cli/toolchain/pins.ts';
import { STACK_TRACE } from './helpers/cli.ts';
import { DESA_BIN, edit, keepUnits, ROOT, shippedText, tempInventory } from './helpers/inventory.ts';

const ENV = { NO_COLOR: '1', CI: 'true', DESA_CLUSTER_PORT_BASE: '15790', DESA_ETCD_UNSAFE_NO_FSYNC: 'true' };
const D = 'desa.bekasikab.go.id';
const UNITS = ['lambangsari', 'sumberjaya', 'karangmukti', 'setia-asih'];
const outputs: string[] = [];

async function desa(args: string[], timeout = 120_000) {
  const r = await execa(DESA_BIN, args, { env: ENV, extendEnv: true, reject: false, stdin: 'ignore', timeout });
  outputs.push(String(r.stdout), String(r.stderr));
  expect(String(r.stderr)).not.toMatch(STACK_TRACE);
  return { code: r.exitCode ?? -1, stdout: String(r.stdout), stderr: String(r.stderr) };
}

interface CheckJson {
  ok: boolean;
  durationMs: number;
  counts: { units: number; ready: number; notReady: number };
  units: { slug: string; ready: boolean; checks: Record<string, { state: string; detail: string }> }[];
}

const states = (doc: CheckJson, slug: string) => Object.fromEntries(Object.entries(doc.units.find((u) => u.slug === slug)!.checks).map(([k, v]) => [k, v.state]));
const detail = (doc: CheckJson, slug: string, check: string) => doc.units.find((u) => u.slug === slug)!.checks[check]!.detail;

describe('desa check on what desa up provisioned', () => {
  let file: string;
  let dir: string;
  let kubeconfig: string;
  let clusterStarted = false;
  const secrets: string[] = [];

  beforeAll(async () => {
    ({ file, dir } = tempInventory());
    // Sumberjaya's link is known (connected); the others' is not.
    const text = edit(keepUnits(shippedText(), UNITS), '      status: unknown\n', '      status: connected\n      connectedOn: 2023-05-01\n      technology: fibre\n', 'slug: sumberjaya');
    writeFileSync(file, text);
    clusterStarted = true;
    const r = await desa(['up', '--file', file], 900_000);
    expect(r.code, r.stderr).toBe(0);
    kubeconfig = join(dir, '.desa', 'cluster', 'admin.kubeconfig');
    // The generated values, to prove none is printed or written by the check.
    const got = await execa(kubectlPath(cacheDir(), readPins(ROOT)), ['--kubeconfig', kubeconfig, '-n', 'desa-platform', 'get', 'secrets', '-o', 'json'], { reject: false });
    expect(got.exitCode, got.stderr).toBe(0);
    for (const s of JSON.parse(got.stdout).items as { data?: Record<string, string> }[]) {
      for (const key of ['password', 'secretAccessKey']) if (s.data?.[key]) secrets.push(Buffer.from(s.data[key], 'base64').toString('utf8'));
    }
    expect(secrets.length).toBeGreaterThanOrEqual(10);
  }, 950_000);

  afterAll(async () => {
    if (clusterStarted) await desa(['cluster', 'down', '--file', file]);
  }, 120_000);

  it('after up, every desa is ready: name, certificate, site over HTTPS, every mailbox over IMAPS, storage, link', async () => {
    const r = await desa(['check', '--file', file, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as CheckJson;
    expect(doc).toMatchObject({ ok: true, counts: { units: 4, ready: 4, notReady: 0 } });
    expect(states(doc, 'sumberjaya')).toEqual({ provisioned: 'ok', dns: 'ok', tls: 'ok', site: 'ok', mail: 'ok', storage: 'ok', link: 'ok' });
    expect(detail(doc, 'sumberjaya', 'dns')).toBe(`sumberjaya.${D} → 127.0.0.1`);
    expect(detail(doc, 'sumberjaya', 'mail')).toBe('3 mailboxes log in');
    expect(detail(doc, 'sumberjaya', 'site')).toBe(`https://sumberjaya.${D}/ names Sumberjaya`);
    // The wildcard of the local CA (Pebble's default profile: 90 days), trusted through its root only.
    expect(detail(doc, 'sumberjaya', 'tls')).toMatch(/^valid, 8\d days left \(until \d{4}-\d\d-\d\d\)$/);
    expect(detail(doc, 'sumberjaya', 'link')).toBe('connected since 2023-05-01 (fibre), per desa.yaml');
    // Lambangsari runs its own app, address unknown: no subdomain to probe, which is not a failure.
    expect(states(doc, 'lambangsari')).toMatchObject({ dns: 'n/a', site: 'n/a', mail: 'ok', storage: 'ok', link: 'n/a' });
    // Setia Asih is a kelurahan without mailboxes or storage: nothing to log in to, not a failure.
    expect(states(doc, 'setia-asih')).toMatchObject({ dns: 'ok', site: 'ok', mail: 'n/a', storage: 'n/a' });
    expect(doc.durationMs).toBeLessThan(10_000);

    const text = await desa(['check', '--file', file]);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/^SLUG +READY +PROVISIONED +DNS +TLS +SITE +MAIL +STORAGE +LINK$/m);
    expect(text.stdout).toMatch(/^sumberjaya +yes +ok +ok +ok +ok +ok +ok +ok$/m);
    expect(text.stderr).toMatch(/4 desa checked in [\d.]+ s: all ready\./);
  });

  it('desa report shows the readiness of the last check', async () => {
    const r = await desa(['report', '--file', file, '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.readiness).toMatchObject({ ready: 4, notReady: 0, notChecked: 0 });
    expect(report.units.find((u: { slug: string }) => u.slug === 'sumberjaya').readiness).toMatchObject({ state: 'ready', failing: [] });
  });

  it('the DNS server stopped, a site broken, a mailbox Secret gone, a link down: each row names its reason, exit 6', async () => {
    const services = join(dir, '.desa', 'services');
    const pid = readState(services)!.pids.pdns!;
    process.kill(pid, 'SIGTERM');
    for (let i = 0; i < 100 && existsSync(`/proc/${pid}`); i++) await new Promise((res) => setTimeout(res, 100));
    expect(existsSync(`/proc/${pid}`)).toBe(false);
    writeFileSync(join(services, 'web', 'sites', 'sumberjaya', 'index.html'), '<h1>Sedang dalam perbaikan</h1>\n');
    const del = await execa(kubectlPath(cacheDir(), readPins(ROOT)), ['--kubeconfig', kubeconfig, '-n', 'desa-platform', 'delete', 'secret', 'mailbox-lambangsari-operator'], { reject: false });
    expect(del.exitCode, del.stderr).toBe(0);
    writeFileSync(file, edit(readFileSync(file, 'utf8'), '      status: unknown\n', '      status: not-connected\n', 'slug: karangmukti'));

    const r = await desa(['check', '--file', file, '--json']);
    expect(r.code).toBe(6);
    const doc = JSON.parse(r.stdout) as CheckJson;
    expect(doc).toMatchObject({ ok: false, counts: { units: 4, ready: 0, notReady: 4 } });
    expect(states(doc, 'sumberjaya')).toMatchObject({ dns: 'fail', site: 'fail', mail: 'ok', storage: 'ok', link: 'ok' });
    expect(detail(doc, 'sumberjaya', 'dns')).toMatch(/^the DNS server 127\.0\.0\.1:15803 does not answer: nothing listens there \(pdns is stopped/);
    expect(detail(doc, 'sumberjaya', 'site')).toBe(`https://sumberjaya.${D}/ answers, but its page does not name Sumberjaya`);
    expect(states(doc, 'lambangsari')).toMatchObject({ dns: 'n/a', mail: 'fail', storage: 'ok' });
    expect(detail(doc, 'lambangsari', 'mail')).toBe(`1 of 3 mailboxes cannot log in: lambangsari.operator@${D}: no credential in the cluster (its mailbox Secret is missing)`);
    expect(states(doc, 'karangmukti')).toMatchObject({ dns: 'fail', site: 'ok', link: 'fail' });
    expect(detail(doc, 'karangmukti', 'link')).toBe('not connected, per desa.yaml');
    expect(states(doc, 'setia-asih')).toMatchObject({ dns: 'fail', site: 'ok' });

    const text = await desa(['check', '--file', file]);
    expect(text.code).toBe(6);
    expect(text.stdout).toMatch(/^sumberjaya +NO +ok +FAIL +ok +FAIL +ok +ok +ok\n {4}dns: the DNS server .+\n {4}site: .+does not name Sumberjaya$/m);
    expect(text.stderr).toMatch(/error: 4 desa checked in [\d.]+ s: 0 ready, 4 not ready\./);

    const report = JSON.parse((await desa(['report', '--file', file, '--format', 'json'])).stdout);
    expect(report.readiness).toMatchObject({ ready: 0, notReady: 4 });
    expect(report.units.find((u: { slug: string }) => u.slug === 'sumberjaya').readiness.failing).toEqual(['dns', 'site']);
  });

  it('no password or key appears in what the check printed or kept', () => {
    const kept = readFileSync(join(dir, '.desa', 'check.json'), 'utf8');
    for (const v of secrets) {
      expect(kept.includes(v)).toBe(false);
      for (const out of outputs) expect(out.includes(v)).toBe(false);
    }
  });
});
