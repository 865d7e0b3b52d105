// Reading a cluster's identity (cli/engine/identity.ts): the API server's URL from the kubeconfig and the
// UID of kube-system, through kubectl (the one built with the local cluster, else the one on PATH). Two
// small calls, at the start of a run; null when they cannot be made (no kubectl, no answer).
import { existsSync } from 'node:fs';
import type { ClusterIdentity } from '../engine/identity.ts';
import { cacheDir, ROOT } from '../paths.ts';
import { attempt } from '../process.ts';
import { kubectlPath, readPins, which } from '../toolchain/pins.ts';

export interface KubeTarget {
  kubeconfig?: string | undefined;
  context?: string | undefined;
}

function kubectl(env: NodeJS.ProcessEnv): string | null {
  const built = kubectlPath(cacheDir(env), readPins(ROOT));
  return existsSync(built) ? built : which('kubectl', env);
}

/** The cluster's identity, or null with why. */
export async function readClusterIdentity(t: KubeTarget, env: NodeJS.ProcessEnv): Promise<{ identity: ClusterIdentity | null; problem?: string }> {
  const bin = kubectl(env);
  if (!bin) return { identity: null, problem: 'kubectl not found' };
  const base = [...(t.kubeconfig ? ['--kubeconfig', t.kubeconfig] : []), ...(t.context ? ['--context', t.context] : [])];
  const [server, uid] = await Promise.all([
    attempt(bin, [...base, 'config', 'view', '--minify', '-o', 'jsonpath={.clusters[0].cluster.server}'], { env, timeout: 20_000, what: 'kubectl config view' }),
    attempt(bin, [...base, '--request-timeout=10s', 'get', 'namespace', 'kube-system', '-o', 'jsonpath={.metadata.uid}'], { env, timeout: 20_000, what: 'kubectl get namespace kube-system' }),
  ]);
  const bad = [server, uid].find((r) => !r.ok);
  if (bad) return { identity: null, problem: bad.error!.message };
  if (!uid.stdout.trim()) return { identity: null, problem: 'kube-system has no UID' };
  return { identity: { server: server.stdout.trim(), uid: uid.stdout.trim() } };
}
