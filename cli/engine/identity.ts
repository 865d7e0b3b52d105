// Which cluster a stack was last applied to. Pulumi's state describes objects in one cluster; a cluster
// that was reset (`desa cluster down --reset`) or replaced behind the same kubeconfig holds none of them,
// yet the state, the unchanged-stack fingerprint and a preview without refresh all still trust it. So
// every stack records the identity of its cluster (the UID of its kube-system namespace, which a new
// cluster never shares, and the API server's URL) as its `cluster` output, from the stack config
// `desa:cluster`; a stack whose recorded identity is not the cluster's of this run is refreshed before
// it is updated. The local cluster's own identity is kept in .desa/cluster/identity.json, which
// `desa cluster down --reset` deletes with the rest, so that `desa status` knows what is gone. Pure but
// for that one small file.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { StateDirs } from '../paths.ts';

export interface ClusterIdentity {
  /** The API server's URL, as the kubeconfig names it. */
  server: string;
  /** The UID of the kube-system namespace: made once when the cluster is created. */
  uid: string;
  /** The embedded local cluster of this checkout (its data under .desa/cluster). */
  local?: true;
}

/** The stack config key the identity is written to, and the stack output the program records it in. */
export const CLUSTER_KEY = 'desa:cluster';
export const CLUSTER_OUTPUT = 'cluster';

/** The identity a stack's outputs record (its last update), or null when none is recorded. */
export function recordedIdentity(outputs: Record<string, unknown> | null | undefined): ClusterIdentity | null {
  const c = outputs?.[CLUSTER_OUTPUT] as Partial<ClusterIdentity> | null | undefined;
  if (!c || typeof c !== 'object' || typeof c.uid !== 'string' || typeof c.server !== 'string') return null;
  return { server: c.server, uid: c.uid, ...(c.local === true ? { local: true as const } : {}) };
}

/**
 * Why a stack that holds objects must be refreshed before it is updated, or null: it was applied to
 * another cluster (a reset or replaced one), or it records none (applied before desa recorded it, so
 * nothing says its objects are in this cluster). Never when this run's cluster is unknown.
 */
export function clusterChange(recorded: ClusterIdentity | null, current: ClusterIdentity | null | undefined, holdsObjects: boolean): string | null {
  if (!current || !holdsObjects) return null;
  if (!recorded) return 'no cluster recorded for its last update';
  if (recorded.uid === current.uid) return null;
  return recorded.server === current.server ? `the cluster at ${current.server} was reset or replaced since its last update` : `last applied to another cluster (${recorded.server})`;
}

const identityFile = (dirs: Pick<StateDirs, 'cluster'>) => join(dirs.cluster, 'identity.json');

/** The local cluster's identity as its last start recorded it; null when it was reset or never started. */
export function readLocalIdentity(dirs: Pick<StateDirs, 'cluster'>): ClusterIdentity | null {
  try {
    const j = JSON.parse(readFileSync(identityFile(dirs), 'utf8')) as Partial<ClusterIdentity>;
    return typeof j.uid === 'string' && typeof j.server === 'string' ? { server: j.server, uid: j.uid, local: true } : null;
  } catch {
    return null;
  }
}

export function writeLocalIdentity(dirs: Pick<StateDirs, 'cluster'>, id: ClusterIdentity): void {
  const file = identityFile(dirs);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify({ server: id.server, uid: id.uid })}\n`);
}

/**
 * Whether what a stack records is in the cluster as far as this machine knows without asking it: false
 * only for a stack applied to this checkout's local cluster when that cluster has since been reset
 * (no identity file) or re-created (another UID). Other clusters are not asked here: `desa drift` does.
 */
export function presentLocally(recorded: ClusterIdentity | null, local: ClusterIdentity | null): boolean {
  if (!recorded?.local) return true;
  return local !== null && local.uid === recorded.uid;
}
