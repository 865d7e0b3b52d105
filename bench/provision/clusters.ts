// The benchmark's clusters: each run on its own fresh local cluster (own DESA_STATE_DIR and ports, no
// loopback servers), started before the timer and stopped after; what its control plane holds and uses.
import { spawn } from 'node:child_process';
import { existsSync, openSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PART_OF_SELECTOR } from '../../core/contract.ts';
import { stateDirs } from '../../cli/paths.ts';
import { run, say, tail } from './processes.ts';
import { DESA, inventory, kubectl, logs, PORT_BASE, work } from './setup.ts';

export interface Cluster {
  name: string;
  env: NodeJS.ProcessEnv;
  dirs: ReturnType<typeof stateDirs>;
  portBase: number;
}
export const started: Cluster[] = [];

export function cluster(name: string, index: number): Cluster {
  const stateDir = join(work, name, '.desa');
  const portBase = PORT_BASE + index * 10;
  const env = {
    ...process.env,
    NO_COLOR: '1',
    DESA_STATE_DIR: stateDir,
    DESA_CLUSTER_PORT_BASE: String(portBase),
    DESA_ETCD_UNSAFE_NO_FSYNC: 'true',
    // Stacks only, as the baselines do: no loopback servers and no services sync (bench:services times those).
    DESA_SERVICES: 'off',
  };
  return { name, env, dirs: stateDirs(inventory, env), portBase };
}

export async function clusterUp(c: Cluster): Promise<void> {
  say(`[${c.name}] starting a fresh cluster (ports ${c.portBase}, +1, +3; not timed)`);
  started.push(c);
  const r = await run(DESA, ['cluster', 'up', '--file', inventory], { env: c.env, log: join(logs, `${c.name}-cluster.log`) });
  if (r.code !== 0) throw new Error(`[${c.name}] desa cluster up exited ${r.code}:\n${tail(r.log)}`);
}

export async function clusterDown(c: Cluster): Promise<void> {
  const i = started.indexOf(c);
  if (i < 0) return;
  started.splice(i, 1);
  const log = join(logs, `${c.name}-cluster.log`);
  const child = spawn(DESA, ['cluster', 'down', '--file', inventory], { env: c.env, detached: true, stdio: ['ignore', 'ignore', openSync(log, 'a')] });
  const code = await new Promise<number | null>((done) => child.on('close', done).on('error', () => done(-1)));
  if (code !== 0) say(`[${c.name}] desa cluster down exited ${code}; see ${log}`);
}

/** Pids of the cluster's own processes (toolchain/cluster.sh writes them to run/<name>.pid). */
export function clusterPids(c: Cluster): Map<string, number> {
  const run = join(c.dirs.cluster, 'run');
  const out = new Map<string, number>();
  for (const f of existsSync(run) ? readdirSync(run) : []) {
    const pid = Number(readFileSync(join(run, f), 'utf8').trim());
    if (f.endsWith('.pid') && pid > 0) out.set(f.slice(0, -4), pid);
  }
  return out;
}

/** kube-apiserver + etcd: resident now and their peak (VmHWM), in MiB. */
export function controlPlaneMiB(c: Cluster): { rss: number; hwm: number } | null {
  let rss = 0;
  let hwm = 0;
  for (const name of ['kube-apiserver', 'etcd']) {
    const pid = clusterPids(c).get(name);
    if (!pid) return null;
    try {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      rss += Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
      hwm += Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
    } catch {
      return null;
    }
  }
  return { rss: rss / 1024, hwm: hwm / 1024 };
}

/** Each of the cluster's own processes: resident now and its peak (VmHWM), in MiB. */
export function clusterMiB(c: Cluster): Record<string, { rss: number; hwm: number }> | null {
  const out: Record<string, { rss: number; hwm: number }> = {};
  for (const [name, pid] of clusterPids(c)) {
    try {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      out[name] = { rss: Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024, hwm: Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024 };
    } catch {
      // not running
    }
  }
  return Object.keys(out).length ? out : null;
}

// Every object the stacks create carries the common label (core/contract.ts COMMON_LABELS).
let kinds = ['namespace', 'secret', 'configmap', 'deployment', 'service', 'ingress', 'networkpolicy', 'resourcequota', 'limitrange'];

/** The kinds counted: those the rendered stacks hold. */
export function countKinds(k: string[]): void {
  kinds = k;
}

export async function countObjects(c: Cluster): Promise<number | null> {
  const r = await run(kubectl, ['--kubeconfig', c.dirs.kubeconfig, 'get', kinds.join(','), '-A', '-l', PART_OF_SELECTOR, '-o', 'name'], {
    env: c.env,
    log: join(logs, `${c.name}-count.log`),
  });
  return r.code === 0 ? r.stdout.split('\n').filter(Boolean).length : null;
}
