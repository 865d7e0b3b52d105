// `desa status`, `desa outputs` and `desa report` on real stack state: the real `desa up --only
// sumberjaya` on a temp copy of the inventory (local cluster on DESA_CLUSTER_PORT_BASE=28790), then the
// commands read that state, and copies of it. Secrets stay hidden unless --show-secrets, and then match
// what the cluster holds.
import { execa } from 'execa';
import { cpSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cacheDir } from '../cli/paths.ts';
import { kubectlPath, readPins } from '../cli/toolchain/pins.ts';
import { STACK_TRACE } from './helpers/cli.ts';
import { DESA_BIN, ROOT, tempInventory } from './helpers/inventory.ts';

const ENV = { NO_COLOR: '1', CI: 'true', DESA_CLUSTER_PORT_BASE: '28790', DESA_ETCD_UNSAFE_NO_FSYNC: 'true', DESA_SERVICES: 'off' };
const OPERATOR = 'sumberjaya.operator@desa.bekasikab.go.id';
/** Everything printed without --show-secrets: the password must appear in none of it. */
const masked: string[] = [];

async function desa(args: string[], env: Record<string, string> = {}, timeout = 120_000) {
  const r = await execa(DESA_BIN, args, { env: { ...ENV, ...env }, extendEnv: true, reject: false, timeout, stdin: 'ignore' });
  if (!args.includes('--show-secrets')) masked.push(r.stdout, r.stderr);
  expect(r.stderr).not.toMatch(STACK_TRACE);
  return { code: r.exitCode ?? -1, stdout: r.stdout, stderr: r.stderr };
}

interface StatusJson {
  counts: { units: number; provisioned: number; stacks: number };
  platform: { provisioned: boolean } | null;
  units: { slug: string; provisioned: boolean; url: string | null; mailboxes: number | null; outputs: Record<string, unknown> | null }[];
}
interface ReportJson {
  services: { source: string };
  units: { slug: string; services: { source: string; email: { accounts: number }; subdomain: { host: string } } }[];
}

describe('desa status, outputs and report on real stack state', () => {
  let file: string;
  let dir: string;
  let clusterStarted = false;
  let password = '';

  beforeAll(async () => {
    ({ file, dir } = tempInventory());
    clusterStarted = true;
    const r = await desa(['up', '--file', file, '--only', 'sumberjaya'], {}, 400_000);
    expect(r.code, r.stderr).toBe(0);
    const kubeconfig = join(dir, '.desa', 'cluster', 'admin.kubeconfig');
    const secret = await execa(
      kubectlPath(cacheDir(), readPins(ROOT)),
      ['--kubeconfig', kubeconfig, '-n', 'desa-platform', 'get', 'secret', 'mailbox-sumberjaya-operator', '-o', 'jsonpath={.data.password}'],
      { reject: false, timeout: 60_000 },
    );
    expect(secret.exitCode, secret.stderr).toBe(0);
    password = Buffer.from(secret.stdout, 'base64').toString('utf8');
    expect(password.length).toBeGreaterThanOrEqual(16);
  }, 450_000);

  afterAll(async () => {
    if (clusterStarted) await desa(['cluster', 'down', '--file', file], {}, 120_000);
  }, 150_000);

  it('status: the platform and sumberjaya provisioned, the others not', async () => {
    const r = await desa(['status', '--file', file]);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toMatch(/^platform provisioned \d{4}-\d\d-\d\d \d\d:\d\d; 1 of 187 desa provisioned$/);
    const row = (slug: string) => lines.find((l) => l.startsWith(`${slug} `))?.split(/\s{2,}/);
    expect(row('sumberjaya')).toEqual(['sumberjaya', 'Tambun Selatan', 'provisioned', expect.stringMatching(/^\d{4}-/), 'https://sumberjaya.desa.bekasikab.go.id/', 'profil', '3']);
    expect(row('lambangsari')).toEqual(['lambangsari', 'Tambun Selatan', 'not provisioned', '-', '-', '-', '-']);
  });

  it('status --json: a parseable document, secrets as "[secret]"', async () => {
    const r = await desa(['status', '--file', file, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as StatusJson;
    expect(doc.counts).toMatchObject({ units: 187, provisioned: 1, stacks: 2 });
    expect(doc.platform?.provisioned).toBe(true);
    const sumberjaya = doc.units.find((u) => u.slug === 'sumberjaya')!;
    expect(sumberjaya).toMatchObject({ provisioned: true, url: 'https://sumberjaya.desa.bekasikab.go.id/', mailboxes: 3 });
    expect(sumberjaya.outputs).toMatchObject({ mailPasswords: '[secret]', storageCredentials: '[secret]', bucket: 'desa-sumberjaya' });
    expect(doc.units.find((u) => u.slug === 'lambangsari')).toMatchObject({ provisioned: false, outputs: null });
  });

  it('outputs: key: value lines, the passwords hidden', async () => {
    const r = await desa(['outputs', 'sumberjaya', '--file', file]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.split('\n')).toEqual(expect.arrayContaining(['url: https://sumberjaya.desa.bekasikab.go.id/', 'mailPasswords: [secret]', 'siteTemplate: profil']));
  });

  it('outputs: not provisioned is exit 1 with the command to run; an unknown slug is exit 2 with a suggestion', async () => {
    const none = await desa(['outputs', 'lambangsari', '--file', file]);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('`desa up --only lambangsari`');
    const typo = await desa(['outputs', 'sumberjya', '--file', file]);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain('Did you mean `sumberjaya`?');
    expect((await desa(['status', '--file', file, '--only', 'sumberjya'])).code).toBe(2);
  });

  it('report --format json: services from the stack for sumberjaya, from desa.yaml for the others; --no-state: all from desa.yaml', async () => {
    const r = await desa(['report', '--file', file, '--format', 'json', '--as-of', '2026-01-01']);
    expect(r.code, r.stderr).toBe(0);
    const data = JSON.parse(r.stdout) as ReportJson;
    const services = (slug: string) => data.units.find((u) => u.slug === slug)!.services;
    expect(data.services.source).toBe('stacks');
    expect(services('sumberjaya')).toMatchObject({ source: 'stacks', email: { accounts: 3 }, subdomain: { host: 'sumberjaya.desa.bekasikab.go.id' } });
    expect(services('lambangsari').source).toBe('inventory');
    const plain = JSON.parse((await desa(['report', '--file', file, '--format', 'json', '--no-state'])).stdout) as ReportJson;
    expect(new Set(plain.units.map((u) => u.services.source))).toEqual(new Set(['inventory']));
  });

  it('reads a copy of the state named by PULUMI_BACKEND_URL=file://…, gzipped checkpoints too', async () => {
    const copy = join(dir, 'state-copy');
    cpSync(join(dir, '.desa', 'state'), copy, { recursive: true });
    const stacks = join(copy, '.pulumi', 'stacks', 'desa');
    for (const f of readdirSync(stacks).filter((n) => n.endsWith('.json'))) {
      writeFileSync(join(stacks, `${f}.gz`), gzipSync(readFileSync(join(stacks, f))));
      rmSync(join(stacks, f));
    }
    const r = await desa(['status', '--file', file, '--json', '--only', 'sumberjaya'], { PULUMI_BACKEND_URL: `file://${copy}` });
    expect(r.code, r.stderr).toBe(0);
    expect((JSON.parse(r.stdout) as StatusJson).units).toEqual([expect.objectContaining({ slug: 'sumberjaya', provisioned: true })]);
  });

  it('no state yet: status says so (exit 0); an invalid desa.yaml is exit 3', async () => {
    const fresh = tempInventory();
    const r = await desa(['status', '--file', fresh.file]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('Nothing provisioned yet');
    expect(r.stderr).toContain('run `desa up`');
    const bad = tempInventory('version: 1\nunits: 3\n');
    expect((await desa(['status', '--file', bad.file])).code).toBe(3);
  });

  it('the password appears in nothing printed so far', () => {
    expect(masked.length).toBeGreaterThan(10);
    for (const text of masked) expect(text.includes(password)).toBe(false);
  });

  it('--show-secrets: a warning, and the password the cluster holds', async () => {
    const r = await desa(['outputs', 'sumberjaya', '--file', file, '--show-secrets', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/warning: --show-secrets/);
    const doc = JSON.parse(r.stdout) as { outputs: { mailPasswords: Record<string, string>; url: string } };
    expect(doc.outputs.mailPasswords[OPERATOR]).toBe(password);
    expect(doc.outputs.url).toBe('https://sumberjaya.desa.bekasikab.go.id/');

    const status = await desa(['status', '--file', file, '--only', 'sumberjaya', '--show-secrets']);
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout).toContain(password);
    expect(status.stdout).toMatch(/^ {4}mailPasswords: \{/m);
  }, 120_000);
});
