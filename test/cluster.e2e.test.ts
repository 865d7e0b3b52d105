// The real `desa cluster up|status|down` on a temp copy of the inventory: a local control plane with
// simulated nodes that runs an ordinary Deployment, then stops without leaving processes behind.
// Ports from DESA_CLUSTER_PORT_BASE=26790 so a developer's own cluster (23790) is not disturbed.
import { execa } from 'execa';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cacheDir } from '../cli/paths.ts';
import { kubectlPath, readPins } from '../cli/toolchain/pins.ts';
import { STACK_TRACE } from './helpers/cli.ts';
import { DESA_BIN, ROOT, tempInventory } from './helpers/inventory.ts';

const ENV = { NO_COLOR: '1', CI: 'true', DESA_CLUSTER_PORT_BASE: '26790', DESA_ETCD_UNSAFE_NO_FSYNC: 'true' };

async function desa(args: string[], timeout = 180_000) {
  const r = await execa(DESA_BIN, args, { env: ENV, reject: false, timeout, stdin: 'ignore' });
  return { code: r.exitCode ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** Processes whose command line names `dir`: what the cluster started there. */
/** Whether a process still runs: an exited one waiting to be reaped by init (a zombie) does not. */
function running(pid: number): boolean {
  try {
    return !/^\S+ \(.*\) [ZX] /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

function processesUsing(dir: string): number[] {
  const pids: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      if (readFileSync(`/proc/${name}/cmdline`, 'utf8').includes(`${dir}/`)) pids.push(Number(name));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

describe('desa cluster', () => {
  let file: string;
  let dataDir: string;
  let kubeconfig: string;
  let pids: number[] = [];
  const kubectl = (args: string[]) =>
    execa(kubectlPath(cacheDir(), readPins(ROOT)), ['--kubeconfig', kubeconfig, ...args], { reject: false, timeout: 120_000 });

  beforeAll(() => {
    file = tempInventory().file;
    dataDir = join(file, '..', '.desa', 'cluster');
    kubeconfig = join(dataDir, 'admin.kubeconfig');
  });

  afterAll(async () => {
    // Whatever happened above, leave nothing running.
    if (processesUsing(dataDir).length > 0) await desa(['cluster', 'down', '--file', file]);
  }, 60_000);

  it('up starts it and prints the export line on stdout; data in .desa/cluster beside the inventory', async () => {
    const r = await desa(['cluster', 'up', '--file', file]);
    expect(r.stderr).not.toMatch(STACK_TRACE);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(`export KUBECONFIG=${kubeconfig}`);
    expect(r.stderr).toContain('cluster: kube-apiserver started');
    expect(r.stderr).toContain('local cluster running: https://127.0.0.1:26793, 1 node(s) Ready');
    expect(readFileSync(join(dataDir, 'ports.env'), 'utf8')).toContain('API_PORT=26793');
    expect(readFileSync(join(dataDir, '..', '.gitignore'), 'utf8')).toContain('*');
  }, 180_000);

  it('up again says it already runs (exit 0)', async () => {
    const r = await desa(['cluster', 'up', '--file', file]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('already running');
    expect(r.stdout).toBe(`export KUBECONFIG=${kubeconfig}`);
  }, 60_000);

  it('status --json: every component runs, the node is Ready (exit 0)', async () => {
    const r = await desa(['cluster', 'status', '--file', file, '--json'], 60_000);
    expect(r.code).toBe(0);
    const s = JSON.parse(r.stdout);
    expect(s).toMatchObject({ ok: true, running: true, dataDir, kubeconfig, apiServer: 'https://127.0.0.1:26793', problem: null });
    expect(s.nodes).toEqual({ total: 1, ready: 1, names: ['kwok-node-0'] });
    expect(s.components.map((c: { name: string; running: boolean }) => [c.name, c.running])).toEqual([
      ['etcd', true],
      ['kube-apiserver', true],
      ['kube-controller-manager', true],
      ['kube-scheduler', true],
      ['kwok', true],
      ['volume-provisioner', true],
    ]);
    pids = s.components.map((c: { pid: number }) => c.pid);
    expect(pids.every((p) => Number.isInteger(p) && p > 0)).toBe(true);
    // Beside it, the loopback servers the platform points at, on the cluster's port base + 10 and up.
    expect(s.services.map((x: { name: string; state: string; port: number }) => [x.name, x.state, x.port])).toEqual([
      // The port people use: IMAPS and HTTPS (issue 13).
      ['dovecot', 'running', 26809],
      ['postfix', 'running', 26801],
      ['pdns', 'running', 26803],
      ['nginx', 'running', 26808],
      ['versitygw', 'running', 26806],
      ['opendkim', 'running', 26807],
      ['mariadb', 'running', 26820],
      // One unix socket per OpenSID desa, no port.
      ['php-fpm', 'running', undefined],
      // Webmail: served by nginx at webmail.<domain>, on nginx's port.
      ['roundcube', 'running', undefined],
      // The local ACME CA: its directory.
      ['pebble', 'running', 26810],
      // The file space (SFTPGo): its web client and API, behind nginx at files.<domain> (issue 13).
      ['sftpgo', 'running', 26812],
    ]);
    pids.push(...s.services.map((x: { pid: number }) => x.pid));
  }, 60_000);

  it('runs a Deployment whose pods become Ready on the simulated node', async () => {
    expect((await kubectl(['create', 'namespace', 'desa-e2e'])).exitCode).toBe(0);
    const create = await kubectl(['-n', 'desa-e2e', 'create', 'deployment', 'web', '--image=nginx:1.27', '--replicas=2']);
    expect(create.exitCode, create.stderr).toBe(0);
    const rollout = await kubectl(['-n', 'desa-e2e', 'rollout', 'status', 'deployment/web', '--timeout=90s']);
    expect(rollout.exitCode, rollout.stderr).toBe(0);
    const wait = await kubectl(['-n', 'desa-e2e', 'wait', '--for=condition=Ready', 'pod', '-l', 'app=web', '--timeout=60s']);
    expect(wait.exitCode, wait.stderr).toBe(0);
    const pods = JSON.parse((await kubectl(['-n', 'desa-e2e', 'get', 'pods', '-o', 'json'])).stdout);
    expect(pods.items).toHaveLength(2);
    for (const pod of pods.items) {
      expect(pod.spec.nodeName).toBe('kwok-node-0');
      expect(pod.status.phase).toBe('Running');
    }
  }, 180_000);

  it('down stops every component, keeps the data and says how to reset; no process is left', async () => {
    const r = await desa(['cluster', 'down', '--file', file], 90_000);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('local cluster stopped.');
    expect(r.stderr).toContain('desa cluster down --reset');
    for (const pid of pids) expect(running(pid), `pid ${pid}`).toBe(false);
    expect(processesUsing(dataDir)).toEqual([]);
    expect(processesUsing(join(dataDir, '..', 'services'))).toEqual([]);
    expect(readFileSync(join(dataDir, 'ports.env'), 'utf8')).toContain('API_PORT=26793');
  }, 90_000);

  it('status then reports it stopped with exit 4, in text and JSON', async () => {
    const text = await desa(['cluster', 'status', '--file', file], 60_000);
    expect(text.code).toBe(4);
    expect(text.stdout).toContain('local cluster: stopped');
    expect(text.stderr).toContain('desa cluster up');
    const json = await desa(['cluster', 'status', '--file', file, '--json'], 60_000);
    expect(json.code).toBe(4);
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, running: false, problem: 'stopped', nodes: null });
  }, 60_000);

  it('down when stopped is a no-op (exit 0); a missing inventory is exit 3 with the next step', async () => {
    const again = await desa(['cluster', 'down', '--file', file]);
    expect(again.code).toBe(0);
    expect(again.stderr).toContain('not running');
    const missing = await desa(['cluster', 'status', '--file', join(file, '..', 'nope.yaml')]);
    expect(missing.code).toBe(3);
    expect(missing.stderr).toContain('nope.yaml does not exist');
    expect(missing.stderr).toContain('--file');
    expect(missing.stderr).not.toMatch(STACK_TRACE);
  }, 60_000);
});
