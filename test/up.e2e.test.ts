// The real `desa up` on a temp copy of the inventory: the real Pulumi engine against the real local
// cluster (ports from DESA_CLUSTER_PORT_BASE=27790, so other clusters are not disturbed). Platform and one
// desa are created, checked with kubectl, then a second run changes nothing.
import { execa } from 'execa';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cacheDir } from '../cli/engine/paths.ts';
import { kubectlPath, readPins } from '../cli/engine/toolchain.ts';
import { STACK_TRACE } from './helpers/cli.ts';
import { DESA_BIN, ROOT, tempInventory } from './helpers/inventory.ts';

const ENV = { NO_COLOR: '1', CI: 'true', DESA_CLUSTER_PORT_BASE: '27790', DESA_ETCD_UNSAFE_NO_FSYNC: 'true' };
const outputs: string[] = [];

async function desa(args: string[], timeout = 300_000) {
  const r = await execa(DESA_BIN, args, { env: ENV, extendEnv: true, reject: false, timeout, stdin: 'ignore' });
  outputs.push(r.stdout, r.stderr);
  return { code: r.exitCode ?? -1, stdout: r.stdout, stderr: r.stderr };
}

interface Summary {
  ok: boolean;
  stacks: { stack: string; result: string; changes: { create: number; update: number; delete: number; same: number } | null }[];
}

describe('desa up', () => {
  let file: string;
  let dir: string;
  let kubeconfig: string;
  let clusterStarted = false;
  const kubectl = (args: string[]) =>
    execa(kubectlPath(cacheDir(), readPins(ROOT)), ['--kubeconfig', kubeconfig, ...args], { reject: false, timeout: 60_000 });

  beforeAll(() => {
    ({ file, dir } = tempInventory());
    kubeconfig = join(dir, '.desa', 'cluster', 'admin.kubeconfig');
  });

  afterAll(async () => {
    if (clusterStarted) await desa(['cluster', 'down', '--file', file], 120_000);
  }, 150_000);

  it('creates the platform and one desa on the local cluster (exit 0)', async () => {
    clusterStarted = true;
    const r = await desa(['up', '--file', file, '--only', 'sumberjaya', '--json']);
    expect(r.stderr).not.toMatch(STACK_TRACE);
    expect(r.code, r.stderr).toBe(0);
    const s = JSON.parse(r.stdout) as Summary;
    expect(s.ok).toBe(true);
    expect(s.stacks.map((x) => [x.stack, x.result])).toEqual([
      ['platform', 'succeeded'],
      ['sumberjaya', 'succeeded'],
    ]);
    for (const x of s.stacks) expect(x.changes!.create).toBeGreaterThan(0);
    expect(r.stderr).toMatch(/\[sumberjaya\] done: \d+ created in [\d.]+s/);
  }, 300_000);

  it('the desa runs in its namespace: labels, the profil deployment ready, its ingress host', async () => {
    const ns = await kubectl(['get', 'namespace', 'desa-sumberjaya', '-o', 'jsonpath={.metadata.labels.desa\\.bekasikab\\.go\\.id/code}']);
    expect(ns.stdout, ns.stderr).toBe('32.16.06.2010');
    const dep = await kubectl(['-n', 'desa-sumberjaya', 'get', 'deployment', 'profil', '-o', 'jsonpath={.status.readyReplicas}/{.spec.replicas}']);
    expect(dep.stdout, dep.stderr).toBe('1/1');
    const ing = await kubectl(['-n', 'desa-sumberjaya', 'get', 'ingress', '-o', 'jsonpath={.items[*].spec.rules[*].host}']);
    expect(ing.stdout.split(' '), ing.stderr).toContain('sumberjaya.desa.bekasikab.go.id');
  }, 120_000);

  it('a second run changes nothing', async () => {
    const r = await desa(['up', '--file', file, '--only', 'sumberjaya', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const s = JSON.parse(r.stdout) as Summary;
    for (const x of s.stacks) {
      expect(x.result).toBe('succeeded');
      expect(x.changes).toMatchObject({ create: 0, update: 0, delete: 0 });
      expect(x.changes!.same).toBeGreaterThan(0);
    }
  }, 300_000);

  it('keeps the generated passphrase private and never prints a secret', async () => {
    expect(statSync(join(dir, '.desa', 'passphrase')).mode & 0o777).toBe(0o600);
    const secret = await kubectl(['-n', 'desa-platform', 'get', 'secret', 'mailbox-sumberjaya-operator', '-o', 'json']);
    expect(secret.exitCode, secret.stderr).toBe(0);
    const data = (JSON.parse(secret.stdout) as { data: Record<string, string> }).data;
    expect(Object.keys(data)).toContain('password');
    const password = Buffer.from(data.password!, 'base64').toString('utf8');
    expect(password.length).toBeGreaterThanOrEqual(16);
    for (const text of outputs) expect(text.includes(password)).toBe(false);
  }, 60_000);

  it('cluster down stops it', async () => {
    const r = await desa(['cluster', 'down', '--file', file], 120_000);
    expect(r.code, r.stderr).toBe(0);
    clusterStarted = false;
  }, 150_000);
});
