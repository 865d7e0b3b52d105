// Reading a file backend's checkpoints, pure and without the engine: where the backend is, each stack's
// state (secrets masked as SECRET, never decrypted), its lock files and the operations a killed run
// left pending. A few milliseconds per stack, no CLI process. Nothing here imports @pulumi/pulumi;
// state.ts chooses between this and the engine (state-engine.ts) for other backends.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { homedir, hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { AbortError, EXIT } from '../../core/errors.ts';
import { PROJECT, stateDirs } from '../paths.ts';
import { type ClusterIdentity, recordedIdentity } from './identity.ts';

/** What a secret output shows instead of its value, as `pulumi stack output` prints it. */
export const SECRET = '[secret]';

/** In a checkpoint, a secret is an object whose SIG_KEY is SECRET_SIG, beside its ciphertext. */
const SIG_KEY = '4dabf18193072939515e22adb298388d';
const SECRET_SIG = '1b47061264138c4ac30d75fd1eb44270';

export interface StackState {
  /** The stack name: a desa's stack (its slug), or `platform`. */
  name: string;
  /** It holds resources besides its root and providers that are not only kept data: it serves its desa. */
  provisioned: boolean;
  /** All it still holds is protected data (namespace, volumes, bucket claim): destroyed, data kept. */
  dataKept: boolean;
  /** The time of the last change to its state (ISO 8601, UTC); null when unknown. */
  lastUpdate: string | null;
  /** Every resource in its state, root and providers included (Pulumi's own count). */
  resourceCount: number;
  /** The stack outputs; every secret value replaced by SECRET. */
  outputs: Record<string, unknown>;
  /** An update holds the stack's lock (it may also be a lock left by a killed run). */
  updateInProgress: boolean;
  /** The last operation the engine recorded (update, destroy, refresh) and how it ended; null when unknown. */
  lastOperation: LastOperation | null;
  /** The site templates whose workload is in the state with at least one ready pod: what actually serves. */
  siteRunning: string[];
  /** The cluster its last update was applied to (identity.ts); null when not recorded. */
  cluster: ClusterIdentity | null;
  /**
   * Its objects were in this checkout's local cluster, which has been reset or re-created since: none of
   * them is there (provisioned and dataKept are then false). Set by state.ts.
   */
  clusterGone?: true;
}

/** One entry of the engine's update history, as desa shows it. */
export interface LastOperation {
  /** `update`, `destroy`, `refresh`, … (Pulumi's kind). */
  kind: string;
  /** `succeeded`, `failed`, or `in-progress`. */
  result: string;
  /** ISO 8601; null when not recorded. */
  startedAt: string | null;
  endedAt: string | null;
}

export type Backend = { kind: 'file'; url: string; dir: string } | { kind: 'engine'; url: string };

/** Where the state is: PULUMI_BACKEND_URL when set (as the engine decides), else the file backend beside desa.yaml. */
export function backendFor(file: string, env: NodeJS.ProcessEnv = process.env): Backend {
  return backendAt(stateDirs(file, env).backend, env);
}

/** The backend given the default file backend's directory; a file:// URL normalized to an absolute path. */
export function backendAt(defaultDir: string, env: NodeJS.ProcessEnv = process.env): Backend {
  const url = env.PULUMI_BACKEND_URL;
  if (!url) return { kind: 'file', url: `file://${defaultDir}`, dir: defaultDir };
  if (!url.startsWith('file://')) return { kind: 'engine', url };
  // Pulumi takes what follows file:// as a path: absolute, relative to the working directory, or ~/….
  const path = url.slice('file://'.length).replace(/\?.*$/, '');
  const dir = path === '~' || path.startsWith('~/') ? join(homedir(), path.slice(1)) : resolve(path);
  return { kind: 'file', url: `file://${dir}`, dir };
}

/** A copy of `value` with every secret replaced by SECRET. */
export function maskSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(maskSecrets);
  if (value === null || typeof value !== 'object') return value;
  const o = value as Record<string, unknown>;
  if (o[SIG_KEY] === SECRET_SIG) return SECRET;
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, maskSecrets(v)]));
}

/** True when `value` holds SECRET anywhere. */
export function hasSecret(value: unknown): boolean {
  if (value === SECRET) return true;
  if (value === null || typeof value !== 'object') return false;
  return Object.values(value).some(hasSecret);
}

/** A deployment as the checkpoint's `latest` and `pulumi stack export`'s `deployment` hold it. */
export interface Deployment {
  manifest?: { time?: string };
  resources?: { urn?: string; type?: string; custom?: boolean; protect?: boolean; outputs?: Record<string, unknown> }[];
}

type Resource = NonNullable<Deployment['resources']>[number];

/** The objects a deployment holds in the cluster: custom resources other than providers (not the root, not components). */
export function managedResources<R extends Resource>(resources: readonly R[]): R[] {
  return resources.filter((r) => r.type !== 'pulumi:pulumi:Stack' && !r.type?.startsWith('pulumi:providers:') && r.custom !== false);
}

const SITE_WORKLOADS = new Set(['kubernetes:apps/v1:Deployment', 'kubernetes:apps/v1:StatefulSet']);

type SiteObject = { metadata?: { labels?: Record<string, string> }; status?: { readyReplicas?: number }; spec?: { selector?: unknown } };

const siteName = (r: Resource): string | undefined => {
  const labels = (r.outputs as SiteObject | undefined)?.metadata?.labels ?? {};
  return labels['app.kubernetes.io/component'] === 'site' ? labels['app.kubernetes.io/name'] : undefined;
};

/** The site templates whose workload (Deployment, StatefulSet) is in the state, ready or not: what runs in the namespace. */
export function siteWorkloads(resources: readonly Resource[]): string[] {
  return [...new Set(resources.filter((r) => r.type && SITE_WORKLOADS.has(r.type)).map(siteName).filter((n): n is string => Boolean(n)))].sort();
}

/**
 * The site templates that serve, as far as the state knows: a workload labelled
 * app.kubernetes.io/component=site with a ready pod, or a site Service that selects no pod (the site runs
 * outside the cluster, as OpenSID on the local servers: whether it is ready is `desa up`'s and
 * `desa check`'s to say).
 */
export function siteRunning(resources: readonly Resource[]): string[] {
  const running = new Set<string>();
  for (const r of resources) {
    const o = r.outputs as SiteObject | undefined;
    const name = siteName(r);
    if (!name || !r.type) continue;
    if (SITE_WORKLOADS.has(r.type) && (o?.status?.readyReplicas ?? 0) > 0) running.add(name);
    if (r.type === 'kubernetes:core/v1:Service' && o?.spec?.selector === undefined) running.add(name);
  }
  return [...running].sort();
}

/** The state of one stack from its deployment. */
export function parseDeployment(d: Deployment | null | undefined, name: string, updateInProgress = false, lastOperation: LastOperation | null = null): StackState {
  const resources = d?.resources ?? [];
  const root = resources.find((r) => r.type === 'pulumi:pulumi:Stack');
  const managed = managedResources(resources);
  const time = d?.manifest?.time ? new Date(d.manifest.time) : null;
  return {
    name,
    provisioned: managed.some((r) => !r.protect),
    dataKept: managed.length > 0 && managed.every((r) => r.protect),
    lastUpdate: time && !Number.isNaN(time.getTime()) ? time.toISOString() : null,
    resourceCount: resources.length,
    outputs: maskSecrets(root?.outputs ?? {}) as Record<string, unknown>,
    updateInProgress,
    lastOperation,
    siteRunning: siteRunning(resources),
    cluster: recordedIdentity(root?.outputs),
  };
}

/** The state of one stack from the text of its checkpoint file ({ version, checkpoint: { stack, latest } }). */
export function parseCheckpoint(text: string, name: string, updateInProgress = false, lastOperation: LastOperation | null = null): StackState {
  const j = JSON.parse(text) as { checkpoint?: { latest?: Deployment | null } };
  return parseDeployment(j.checkpoint?.latest, name, updateInProgress, lastOperation);
}

/** One history entry of a file backend (Pulumi's UpdateInfo: kind, result, startTime and endTime in Unix seconds). */
export function parseHistory(text: string): LastOperation | null {
  const j = JSON.parse(text) as { kind?: unknown; result?: unknown; startTime?: unknown; endTime?: unknown };
  if (typeof j.kind !== 'string' || typeof j.result !== 'string') return null;
  const iso = (t: unknown) => (typeof t === 'number' && t > 0 ? new Date(t * 1000).toISOString() : null);
  return { kind: j.kind, result: j.result, startedAt: iso(j.startTime), endedAt: iso(j.endTime) };
}

/**
 * The last operation of `stack` in a file backend: its newest history entry
 * (.pulumi/history/<project>/<stack>/<stack>-<unix nanoseconds>.history.json[.gz]); null when none.
 */
export function lastOperationOf(dir: string, stack: string): LastOperation | null {
  const historyDir = join(dir, '.pulumi', 'history', PROJECT, stack);
  let names: string[];
  try {
    names = readdirSync(historyDir).filter((n) => /\.history\.json(\.gz)?$/.test(n));
  } catch {
    return null;
  }
  const stamp = (n: string) => BigInt(/-(\d+)\.history\./.exec(n)?.[1] ?? '0');
  const newest = names.sort((a, b) => (stamp(a) < stamp(b) ? -1 : stamp(a) > stamp(b) ? 1 : 0)).at(-1);
  if (!newest) return null;
  try {
    const raw = readFileSync(join(historyDir, newest));
    return parseHistory(newest.endsWith('.gz') ? gunzipSync(raw).toString('utf8') : raw.toString('utf8'));
  } catch {
    return null;
  }
}

/** Checkpoint files by stack: <stack>.json, or <stack>.json.gz (PULUMI_SELF_MANAGED_STATE_GZIP); the newer when both. */
export function checkpointFiles(stacksDir: string, names: readonly string[]): Map<string, string> {
  const files = new Map<string, string>();
  for (const n of names) {
    const m = /^(.+)\.json(\.gz)?$/.exec(n);
    if (!m) continue;
    const path = join(stacksDir, n);
    const other = files.get(m[1]!);
    if (other === undefined || statSync(path).mtimeMs > statSync(other).mtimeMs) files.set(m[1]!, path);
  }
  return files;
}

/** An update holds (or a killed run left) the lock of `stack` in the file backend at `dir`. */
export function lockHeld(dir: string, stack: string): boolean {
  try {
    return readdirSync(join(dir, '.pulumi', 'locks', 'organization', PROJECT, stack)).some((n) => n.endsWith('.json'));
  } catch {
    return false;
  }
}

/** The parsed checkpoint file of one stack in a file backend ({ version, checkpoint }), null when there is none. */
export function readCheckpoint(dir: string, stack: string): { checkpoint?: { latest?: (Deployment & { pending_operations?: unknown[] }) | null } } | null {
  const stacksDir = join(dir, '.pulumi', 'stacks', PROJECT);
  const names = [`${stack}.json`, `${stack}.json.gz`].filter((n) => statSync(join(stacksDir, n), { throwIfNoEntry: false }));
  const path = checkpointFiles(stacksDir, names).get(stack);
  if (!path) return null;
  const raw = readFileSync(path);
  return JSON.parse(path.endsWith('.gz') ? gunzipSync(raw).toString('utf8') : raw.toString('utf8'));
}

/** Every stack of the project in a file backend, by name; none when the directory does not exist. */
export function readFileBackend(dir: string): StackState[] {
  const stacksDir = join(dir, '.pulumi', 'stacks', PROJECT);
  let names: string[];
  try {
    names = readdirSync(stacksDir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
  const states: StackState[] = [];
  for (const [name, path] of checkpointFiles(stacksDir, names)) {
    try {
      const raw = readFileSync(path);
      const text = path.endsWith('.gz') ? gunzipSync(raw).toString('utf8') : raw.toString('utf8');
      states.push(parseCheckpoint(text, name, lockHeld(dir, name), lastOperationOf(dir, name)));
    } catch (e) {
      throw new AbortError(`cannot read the state of stack ${name} (${path}): ${(e as Error).message}`, {
        exitCode: EXIT.failure,
        nextStep: `Check the file; \`pulumi stack export --stack ${name}\` shows what the engine makes of it.`,
      });
    }
  }
  return states.sort((a, b) => a.name.localeCompare(b.name));
}

/** A lock file's recorded owner, when it names one. */
export function parseLock(text: string): { pid: number; hostname: string | undefined } | null {
  try {
    const j = JSON.parse(text) as { pid?: unknown; hostname?: unknown };
    return typeof j.pid === 'number' && j.pid > 0 ? { pid: j.pid, hostname: typeof j.hostname === 'string' ? j.hostname : undefined } : null;
  } catch {
    return null;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Lock files of `stack` whose process, on this host, is gone. Locks without pid, or from another host, are left alone. */
export function staleLocks(backend: string, stack: string, host = hostname(), isAlive = alive): string[] {
  const dir = join(backend, '.pulumi', 'locks', 'organization', PROJECT, stack);
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith('.json'));
  } catch {
    return [];
  }
  return names
    .map((n) => join(dir, n))
    .filter((f) => {
      let text: string;
      try {
        text = readFileSync(f, 'utf8');
      } catch {
        return false;
      }
      const lock = parseLock(text);
      return lock !== null && (lock.hostname === undefined || lock.hostname === host) && !isAlive(lock.pid);
    });
}

/** Operations a killed run left half done in a file backend's checkpoint (0 when there are none, or no state). */
export function pendingOperations(backendDir: string, stack: string): number {
  try {
    return readCheckpoint(backendDir, stack)?.checkpoint?.latest?.pending_operations?.length ?? 0;
  } catch {
    return 0;
  }
}
