// The embedded local control plane: a thin service over toolchain/build.sh (binaries, built once into the
// cache) and toolchain/cluster.sh (processes, data under .desa/cluster/ beside the inventory). Progress
// from both scripts goes to stderr; results are returned as data for the command to print.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { AbortError, EXIT, OperationFailedError } from '../../core/errors.ts';
import { cacheDir, ROOT, stateDirs } from '../paths.ts';
import { missingClusterBinaries, readPins, which } from '../toolchain/pins.ts';
import { attempt } from '../process.ts';
import { log } from '../ui/output.ts';
import type { ServerStatus } from '../servers/supervisor.ts';
import type { SiteValues } from '../servers/host.ts';
import { removeServersFolder } from '../servers/place.ts';
import { TLS_FILES } from '../servers/tls-files.ts';
import { type ServerFailure, serversWithPorts, servicesWanted, startLocalServers, stopLocalServers } from './servers.ts';
import { type ClusterIdentity, readLocalIdentity, writeLocalIdentity } from '../engine/identity.ts';
import { type KubeApi, kubeApi } from './kube-api.ts';
import { withStartLock } from './start-lock.ts';
import { apiUrl, type ClusterStatus, type Component, COMPONENTS, componentFrom, parsePortsEnv, type Ports, portsFromBase, summarizeNodes } from './state.ts';

export type { ClusterStatus } from './state.ts';

const CLUSTER_SH = join(ROOT, 'toolchain', 'cluster.sh');
const BUILD_SH = join(ROOT, 'toolchain', 'build.sh');

interface Where {
  file: string;
  env: NodeJS.ProcessEnv;
}

function locate({ file, env }: Where) {
  if (!existsSync(file)) {
    throw new AbortError(`${file} does not exist.`, {
      exitCode: EXIT.invalidInput,
      nextStep: 'The local cluster keeps its data in .desa/cluster/ beside the inventory: run desa in the folder that holds desa.yaml, or pass --file <path>.',
    });
  }
  const dirs = stateDirs(file, env);
  return { base: dirs.base, dir: dirs.cluster, kubeconfig: dirs.kubeconfig, services: dirs.services };
}

function ports(dir: string, env: NodeJS.ProcessEnv): Ports {
  const remembered = existsSync(join(dir, 'ports.env')) ? parsePortsEnv(readFileSync(join(dir, 'ports.env'), 'utf8')) : null;
  if (remembered) return remembered;
  try {
    return portsFromBase(env.DESA_CLUSTER_PORT_BASE);
  } catch (e) {
    throw new AbortError((e as Error).message, { nextStep: 'Unset DESA_CLUSTER_PORT_BASE or set it to a free port (it uses that port, +1 and +3).' });
  }
}

/** Runs a toolchain script whose output is progress for the user (to stderr as it comes); a build takes as long as it takes. */
const script = (what: string, args: string[], env: NodeJS.ProcessEnv) => attempt('sh', args, { env, output: 'stderr', timeout: 0, what });

/** Which of cluster.sh's processes run, from their pid files and /proc (as its `status` says, without its two dozen processes). */
function readComponents(dir: string): Component[] {
  const read = (file: string) => {
    try {
      return readFileSync(file, 'utf8');
    } catch {
      return null;
    }
  };
  return COMPONENTS.map((name) => componentFrom(name, read(join(dir, 'run', `${name}.pid`)), (pid) => read(`/proc/${pid}/cmdline`), dir));
}

export async function clusterStatus(where: Where): Promise<ClusterStatus> {
  const { dir, kubeconfig } = locate(where);
  const created = existsSync(dir);
  const p = ports(dir, where.env);
  const status: ClusterStatus = {
    running: false,
    dataDir: dir,
    created,
    apiServer: apiUrl(p),
    kubeconfig,
    components: COMPONENTS.map((name) => ({ name, running: false, pid: null })),
    nodes: null,
    problem: 'not started yet',
  };
  // cluster.sh creates the folder it is given, so ask it only about one that exists.
  if (!created) return status;
  status.components = readComponents(dir);
  const stopped = status.components.filter((c) => !c.running).map((c) => c.name);
  if (stopped.length === status.components.length) {
    status.problem = 'stopped';
    return status;
  }
  let apiProblem: string | null = null; // a stopped kube-apiserver is already named in `stopped`
  if (status.components.find((c) => c.name === 'kube-apiserver')?.running) {
    const nodes = await askApi(kubeconfig, (api) => api.call('GET', '/api/v1/nodes'));
    if (nodes.ok && nodes.value.status === 200) status.nodes = summarizeNodes(nodes.value.body);
    else apiProblem = `the API server does not answer: ${nodes.ok ? `HTTP ${nodes.value.status} for GET /api/v1/nodes` : nodes.error}`;
  }
  status.running = stopped.length === 0 && status.nodes !== null;
  status.services = serversWithPorts(locate(where).services, where.env);
  const ca = join(locate(where).services, TLS_FILES.ca);
  status.localCa = existsSync(ca) ? ca : null;
  status.problem = status.running
    ? null
    : [stopped.length > 0 ? `partly running (${stopped.join(', ')} stopped)` : null, apiProblem].filter(Boolean).join('; ');
  return status;
}

/** Builds the control plane's binaries when some are missing (about 16 min cold; nothing when cached). */
async function ensureBinaries(env: NodeJS.ProcessEnv): Promise<void> {
  const cache = cacheDir(env);
  const pins = readPins(ROOT);
  const missing = missingClusterBinaries(cache, pins);
  if (missing.length === 0) return;
  if (!which('go', env)) {
    throw new OperationFailedError(
      `the local cluster's binaries are not built yet (${missing.join(', ')} missing), and Go is not on PATH to build them.`,
      `Install Go 1.24 or newer (https://go.dev/dl/) and run \`desa cluster up\` again: it builds them once into ${join(cache, 'toolchain')}.`,
    );
  }
  log.step(`building the local control plane (${missing.join(', ')}): toolchain/build.sh cluster, about 16 min the first time`);
  const r = await script('toolchain/build.sh cluster', [BUILD_SH, 'cluster'], env);
  if (!r.ok) {
    throw new OperationFailedError(
      `building the local control plane failed (${r.error!.message}).`,
      'See the toolchain: messages above. Pieces that finished are kept; run `desa cluster up` again once fixed.',
    );
  }
  const still = missingClusterBinaries(cache, pins);
  if (still.length > 0) {
    throw new OperationFailedError(
      `toolchain/build.sh finished but ${still.join(', ')} is still missing from ${join(cache, 'toolchain')}.`,
      'Remove that piece’s folder there (it is incomplete) and run `desa cluster up` again.',
    );
  }
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () => server.close(() => resolve(true)));
  });
}

async function checkPorts(status: ClusterStatus, p: Ports): Promise<void> {
  const isRunning = (name: string) => status.components.some((c) => c.name === name && c.running);
  const wanted = [
    ...(isRunning('etcd') ? [] : [p.etcd, p.etcdPeer]),
    ...(isRunning('kube-apiserver') ? [] : [p.api]),
  ];
  const busy: number[] = [];
  for (const port of wanted) if (!(await portFree(port))) busy.push(port);
  if (busy.length > 0) {
    throw new AbortError(`port${busy.length > 1 ? 's' : ''} ${busy.join(', ')} on 127.0.0.1 ${busy.length > 1 ? 'are' : 'is'} already in use.`, {
      exitCode: EXIT.operationFailed,
      nextStep: status.created
        ? `Stop whatever holds ${busy.length > 1 ? 'them' : 'it'} (another desa cluster? \`desa cluster status --file <its desa.yaml>\`). This cluster's ports are fixed in ${join(status.dataDir, 'ports.env')}.`
        : `Stop whatever holds ${busy.length > 1 ? 'them' : 'it'}, or pick other ports: DESA_CLUSTER_PORT_BASE=24790 desa cluster up (uses that port, +1 and +3).`,
    });
  }
}

/**
 * One request to the local cluster's API server, in this process (cli/cluster/kube-api.ts): its
 * kubeconfig is self-contained (certificates inline), so no kubectl process is needed, which took about
 * 0.1 s at the start of every run. Never throws: an unreadable kubeconfig or no answer is an error line.
 */
async function askApi<T>(kubeconfig: string, ask: (api: KubeApi) => Promise<T>): Promise<{ ok: true; value: T } | { ok: false; error: string }> {
  let api: KubeApi | null = null;
  try {
    api = kubeApi(kubeconfig, { timeoutMs: 5_000 });
    return { ok: true, value: await ask(api) };
  } catch (e) {
    return { ok: false, error: e instanceof Error ? e.message : String(e) };
  } finally {
    api?.close();
  }
}

/** The local cluster's identity: its API server's URL and the UID of kube-system (cli/cluster/identity.ts reads any other cluster's through kubectl). */
async function readLocalClusterIdentity(kubeconfig: string): Promise<{ identity: ClusterIdentity | null; problem?: string }> {
  const r = await askApi(kubeconfig, async (api) => ({ server: api.server, answer: await api.call('GET', '/api/v1/namespaces/kube-system') }));
  if (!r.ok) return { identity: null, problem: r.error };
  const uid = (r.value.answer.body as { metadata?: { uid?: unknown } } | null)?.metadata?.uid;
  if (r.value.answer.status !== 200 || typeof uid !== 'string' || !uid) return { identity: null, problem: `kube-system: HTTP ${r.value.answer.status}, no UID` };
  return { identity: { server: r.value.server, uid } };
}

/**
 * The running local cluster's identity (cli/engine/identity.ts), recorded in its data folder: a reset
 * deletes it with the rest, so `desa status` knows the stacks' objects are gone.
 */
async function recordIdentity(where: Where, kubeconfig: string): Promise<ClusterIdentity | null> {
  const { identity, problem } = await readLocalClusterIdentity(kubeconfig);
  if (!identity) {
    log.warn(`could not read the local cluster's identity (${problem}); every stack runs, none is skipped as unchanged.`);
    return null;
  }
  const id: ClusterIdentity = { ...identity, local: true };
  const dirs = stateDirs(where.file, where.env);
  const known = readLocalIdentity(dirs);
  if (known?.uid !== id.uid || known.server !== id.server) writeLocalIdentity(dirs, id);
  return id;
}

/** `site`: the inventory's domain and Kabupaten, when the caller has read them already (the servers' mail domain, zone and names). */
export async function clusterUp(
  where: Where & { nodes: number; site?: SiteValues },
): Promise<ClusterStatus & { alreadyRunning: boolean; services: ServerStatus[]; servicesFailed: ServerFailure[]; identity: ClusterIdentity | null }> {
  // Two runs started together: one starts the cluster and its servers, the other waits, then finds them up.
  return withStartLock(locate(where).base, () => startCluster(where), { say: (l) => log.step(l) });
}

async function startCluster(
  where: Where & { nodes: number; site?: SiteValues },
): Promise<ClusterStatus & { alreadyRunning: boolean; services: ServerStatus[]; servicesFailed: ServerFailure[]; identity: ClusterIdentity | null }> {
  const { base, dir } = locate(where);
  await ensureBinaries(where.env);
  const before = await clusterStatus(where);
  if (before.running) {
    const identity = await recordIdentity(where, before.kubeconfig);
    return { ...before, alreadyRunning: true, identity, ...(await startServices(where, ports(dir, where.env))) };
  }
  await checkPorts(before, ports(dir, where.env));
  mkdirSync(base, { recursive: true });
  // Keeps the cluster's keys and data out of git wherever the inventory lives.
  if (!existsSync(join(base, '.gitignore'))) writeFileSync(join(base, '.gitignore'), '# desa state: local only\n*\n');
  log.step(`starting the local cluster in ${dir}`);
  const r = await script('toolchain/cluster.sh start', [CLUSTER_SH, 'start', dir, String(where.nodes)], where.env);
  const after = await clusterStatus(where);
  if (!r.ok || !after.running) {
    throw new OperationFailedError(
      `the local cluster did not start${!r.ok ? ` (${r.error!.message})` : `: ${after.problem}`}.`,
      `See the logs in ${join(dir, 'logs')}; then \`desa cluster down\` and \`desa cluster up\` again.`,
    );
  }
  const identity = await recordIdentity(where, after.kubeconfig);
  return { ...after, alreadyRunning: false, identity, ...(await startServices(where, ports(dir, where.env))) };
}

/** The servers' part of the cluster's status and start: the inventory's domain and Kabupaten, the cluster's port base + 10. */
async function startServices(where: Where & { site?: SiteValues }, p: Ports): Promise<{ services: ServerStatus[]; servicesFailed: ServerFailure[] }> {
  if (!servicesWanted(where.env)) return { services: [], servicesFailed: [] };
  const k = where.site ? null : (await import('../../core/inventory/load.ts')).loadInventory(where.file).inventory.kabupaten;
  const site = where.site ?? { domain: k!.domain, kabupaten: k!.name };
  const r = await startLocalServers({ dir: locate(where).services, env: where.env, ...site, portBase: p.etcd + 10 });
  return { services: r.servers, servicesFailed: r.failed };
}

export async function clusterDown(where: Where & { reset: boolean }): Promise<{ wasRunning: boolean; reset: boolean; dataDir: string }> {
  const before = await clusterStatus(where);
  const wasRunning = before.components.some((c) => c.running);
  if (wasRunning) {
    log.step(`stopping the local cluster in ${before.dataDir}`);
    const r = await script('toolchain/cluster.sh stop', [CLUSTER_SH, 'stop', before.dataDir], where.env);
    const after = await clusterStatus(where);
    const left = after.components.filter((c) => c.running).map((c) => c.name);
    if (!r.ok || left.length > 0) {
      throw new OperationFailedError(
        `the local cluster did not stop cleanly${left.length ? `: ${left.join(', ')} still running` : ''}.`,
        `Run \`desa cluster down\` again; see the logs in ${join(before.dataDir, 'logs')}.`,
      );
    }
  }
  const { services } = locate(where);
  await stopLocalServers(services, where.env);
  if (where.reset && before.created) rmSync(before.dataDir, { recursive: true, force: true });
  if (where.reset) {
    // The system users the OpenSID desa ran as go with the folders they owned.
    const { removeOpensidUsers } = await import('../services/opensid.ts');
    for (const user of await removeOpensidUsers(services, where.env)) log.step(`removed the system user ${user}`);
    removeServersFolder(services);
  }
  return { wasRunning, reset: where.reset && before.created, dataDir: before.dataDir };
}
