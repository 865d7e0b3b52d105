// Pure pieces of the local cluster's state: what toolchain/cluster.sh reports, the ports it remembers,
// and what the API server says about the nodes. No I/O here.

/** The processes toolchain/cluster.sh runs, in start order (the last one is desa's: cli/cluster/provisioner.ts). */
export const COMPONENTS = ['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kwok', 'volume-provisioner'] as const;

export interface Component {
  name: string;
  running: boolean;
  pid: number | null;
}

export interface Ports {
  etcd: number;
  etcdPeer: number;
  api: number;
}

export interface Nodes {
  total: number;
  ready: number;
  names: string[];
}

export const DEFAULT_PORT_BASE = 23790;

/**
 * A component as toolchain/cluster.sh's `running` decides it: the pid its run/<name>.pid names is a live
 * process whose command line names the cluster's folder (a pid reused by another process does not count).
 * `pidFile` is that file's content, null when absent; `cmdlineOf` reads /proc/<pid>/cmdline (NUL-separated), null when gone.
 */
export function componentFrom(name: string, pidFile: string | null, cmdlineOf: (pid: number) => string | null, dir: string): Component {
  const pid = pidFile === null ? NaN : Number(pidFile.trim());
  if (!Number.isInteger(pid) || pid <= 0) return { name, running: false, pid: null };
  const cmdline = cmdlineOf(pid);
  const running = cmdline !== null && cmdline.replaceAll('\0', ' ').includes(`${dir}/`);
  return { name, running, pid: running ? pid : null };
}

/** DIR/ports.env, written by cluster.sh at first start; null when absent or incomplete. */
export function parsePortsEnv(text: string): Ports | null {
  const v: Record<string, number> = {};
  for (const m of text.matchAll(/^\s*(ETCD_PORT|ETCD_PEER_PORT|API_PORT)=(\d+)\s*$/gm)) v[m[1]!] = Number(m[2]);
  if (v.ETCD_PORT === undefined || v.ETCD_PEER_PORT === undefined || v.API_PORT === undefined) return null;
  return { etcd: v.ETCD_PORT, etcdPeer: v.ETCD_PEER_PORT, api: v.API_PORT };
}

/** The ports a first start will use, from DESA_CLUSTER_PORT_BASE as cluster.sh computes them. */
export function portsFromBase(base: string | undefined): Ports {
  const b = base === undefined || base === '' ? DEFAULT_PORT_BASE : Number(base);
  if (!Number.isInteger(b) || b < 1024 || b > 65532) {
    throw new RangeError(`DESA_CLUSTER_PORT_BASE must be a port number between 1024 and 65532, not "${base}"`);
  }
  return { etcd: b, etcdPeer: b + 1, api: b + 3 };
}

export const apiUrl = (ports: Ports) => `https://127.0.0.1:${ports.api}`;

/** Node count and readiness from `kubectl get nodes -o json`. */
export function summarizeNodes(list: unknown): Nodes {
  const items = (list as { items?: unknown[] } | null)?.items;
  if (!Array.isArray(items)) return { total: 0, ready: 0, names: [] };
  let ready = 0;
  const names: string[] = [];
  for (const item of items as { metadata?: { name?: string }; status?: { conditions?: { type?: string; status?: string }[] } }[]) {
    names.push(item.metadata?.name ?? '?');
    if (item.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')) ready++;
  }
  return { total: items.length, ready, names };
}

export interface ClusterStatus {
  /** All components run and the API server answers. */
  running: boolean;
  dataDir: string;
  /** Whether the cluster was ever started here (its data folder exists). */
  created: boolean;
  apiServer: string;
  kubeconfig: string;
  components: Component[];
  nodes: Nodes | null;
  /** Why it is not running, when it is not. */
  problem: string | null;
  /** The local CA's root (the file a user trusts for the local servers' HTTPS, IMAPS and STARTTLS), once saved. */
  localCa?: string | null;
  /** The loopback servers beside it (cli/servers/), with the port each serves. */
  services?: { name: string; state: 'running' | 'stopped' | 'unavailable'; pid: number | null; reason: string | null; port?: number }[];
}

/** Plain lines for `desa cluster status` and `up`. */
export function formatStatus(s: ClusterStatus): string[] {
  const nodes = s.nodes ? `${s.nodes.total} (${s.nodes.ready} Ready)` : 'unknown';
  const lines = [
    `local cluster: ${s.running ? 'running' : s.problem}`,
    `  data:        ${s.dataDir}`,
    `  API server:  ${s.apiServer}`,
    `  kubeconfig:  ${s.kubeconfig}`,
    `  nodes:       ${nodes}`,
  ];
  const width = Math.max(...s.components.map((c) => c.name.length), ...(s.services ?? []).map((x) => x.name.length));
  for (const c of s.components) lines.push(`  ${c.name.padEnd(width)}  ${c.running ? `running (pid ${c.pid})` : 'stopped'}`);
  if (s.services?.length) {
    lines.push('local servers (mail, DNS, web, S3):');
    for (const x of s.services) {
      const state = x.state === 'running' ? `running (pid ${x.pid})` : x.state === 'unavailable' ? `unavailable: ${x.reason}` : 'stopped';
      lines.push(`  ${x.name.padEnd(width)}  ${state}${x.state === 'running' && x.port ? `  127.0.0.1:${x.port}` : ''}`);
    }
  }
  if (s.localCa) lines.push(localCaLine(s.localCa));
  return lines;
}

/** Where the local CA's root is and how to use it, for `desa cluster status` and `desa doctor`. */
export const localCaLine = (file: string) => `local CA: ${file} (trust it, e.g. curl --cacert ${file} https://<slug>.<domain>:<https port>/)`;
