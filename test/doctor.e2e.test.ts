// `desa doctor` as a user runs it: what was found, where, and an exit code that says whether `desa up`
// can run. The control-plane binaries are cached on developer machines and built by bootstrap in CI.
import { execa } from 'execa';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ToolReport } from '../cli/toolchain/doctor.ts';
import { STACK_TRACE } from './helpers/cli.ts';
import { DESA_BIN, ROOT } from './helpers/inventory.ts';

const CLUSTER_BINARIES = ['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kubectl', 'kwok'];

async function doctor(args: string[], env: Record<string, string> = {}) {
  const r = await execa(DESA_BIN, ['doctor', ...args], { cwd: ROOT, env: { NO_COLOR: '1', CI: 'true', ...env }, reject: false, timeout: 120_000 });
  return { code: r.exitCode ?? -1, stdout: r.stdout, stderr: r.stderr };
}


describe('desa doctor', () => {
  it('--json lists every tool with version and source; exit 0 exactly when nothing required is missing', async () => {
    const r = await doctor(['--json']);
    expect(r.stderr).not.toMatch(STACK_TRACE);
    const out = JSON.parse(r.stdout) as { ok: boolean; missing: string[]; tools: ToolReport[]; cluster: Record<string, unknown> | null };
    expect(r.code).toBe(out.ok ? 0 : 4);
    expect(out.tools.map((t) => t.id)).toEqual([
      'node',
      'node-path',
      'pulumi',
      'pulumi-language-nodejs',
      'kubernetes-plugin',
      ...CLUSTER_BINARIES,
      'dovecot',
      'postfix',
      'opendkim',
      'roundcube',
      'pdns',
      'nginx',
      'mariadb',
      'php-fpm',
      'versitygw',
      'sftpgo',
      'pebble',
      'go',
      'chromium',
    ]);
    for (const t of out.tools) {
      expect(Object.keys(t)).toEqual(expect.arrayContaining(['id', 'name', 'required', 'found', 'version', 'path', 'source']));
      if (t.found) expect(t.path && t.source, t.id).toBeTruthy();
      else if (t.required) expect(t.fix, t.id).toBeTruthy();
    }
    expect(out.missing).toEqual(out.tools.filter((t) => t.required && !t.found).map((t) => t.id));
    const byId = Object.fromEntries(out.tools.map((t) => [t.id, t]));
    expect(byId.node).toMatchObject({ found: true, source: 'node_modules' });
    expect(byId.node!.version).toMatch(/^v24\./);
    expect(byId['kubernetes-plugin']!.version).toBe('v4.25.0');
    expect(byId['pulumi-language-nodejs']!.required).toBe(false);
    for (const id of CLUSTER_BINARIES) expect(byId[id], id).toMatchObject({ found: true, required: true, source: 'cache' });
    // The local servers: optional (the stacks provision without them), installed by the set-up.
    for (const id of ['dovecot', 'postfix', 'opendkim', 'roundcube', 'pdns', 'nginx', 'mariadb', 'php-fpm', 'versitygw', 'sftpgo', 'pebble']) expect(byId[id], id).toMatchObject({ found: true, required: false });
    expect(byId.roundcube!.version).toMatch(/^1\.6\./);
    expect(byId.mariadb!.version).toMatch(/^10\.11\./);
    expect(byId['php-fpm']!.version).toMatch(/^8\.2\./);
    expect(byId.versitygw!.version).toBe('v1.8.0');
    expect(byId.pebble!.version).toBe('v2.10.3');
    expect(byId.sftpgo!.version).toBe('v2.7.5');
    expect(byId.postfix!.version).toMatch(/^3\.\d+/);
    expect(out.cluster).toMatchObject({ kubeconfig: join(ROOT, '.desa/cluster/admin.kubeconfig') });
  }, 120_000);

  it('prints one line per tool and the local cluster, same exit code as --json', async () => {
    const r = await doctor([]);
    expect([0, 4]).toContain(r.code);
    expect(r.stdout).toMatch(/^ok +kwok +v0\.8\.0 /m);
    expect(r.stdout).toMatch(/^local cluster: /m);
    expect(r.stderr).toMatch(r.code === 0 ? /Everything `desa up` needs is here/ : /missing for `desa up`/);
  }, 120_000);

  it('exits 4 and says how to get the control plane when its binaries are not built', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'desa-cache-'));
    const r = await doctor(['--json'], { DESA_CACHE: empty });
    expect(r.code).toBe(4);
    const out = JSON.parse(r.stdout) as { ok: boolean; missing: string[]; tools: ToolReport[] };
    expect(out.ok).toBe(false);
    expect(out.missing).toEqual(expect.arrayContaining(CLUSTER_BINARIES));
    expect(out.tools.find((t) => t.id === 'kwok')!.fix).toContain('desa cluster up');
  }, 120_000);
});
