// Listing what is in a cluster, for `desa drift`: objects of some kinds in every namespace, as kind,
// namespace, name, Secret type, owner and the desa slug label. Names and labels only: no Secret data
// leaves the API server (a jsonpath template, not -o json).
import type { ListedObject } from '../engine/drift-model.ts';
import { cacheDir, ROOT } from '../paths.ts';
import { run } from '../process.ts';
import { kubectlPath, readPins, which } from '../toolchain/pins.ts';
import { existsSync } from 'node:fs';
import type { KubeTarget } from './identity.ts';

/** The jsonpath template: one tab-separated line per object. */
export function listingTemplate(slugLabel: string): string {
  const label = slugLabel.replaceAll('.', '\\.');
  return `{range .items[*]}{.kind}{"\\t"}{.metadata.namespace}{"\\t"}{.metadata.name}{"\\t"}{.type}{"\\t"}{.metadata.ownerReferences[0].kind}{"\\t"}{.metadata.labels.${label}}{"\\n"}{end}`;
}

/** The lines kubectl prints for listingTemplate, as objects. */
export function parseListing(text: string): ListedObject[] {
  return text
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => {
      const [kind = '', namespace = '', name = '', type = '', owner = '', slug = ''] = l.split('\t');
      return { kind, namespace, name, ...(type ? { secretType: type } : {}), owned: owner !== '', ...(slug ? { slug } : {}) };
    });
}

/** Every object of `kinds` in every namespace. */
export async function listObjects(t: KubeTarget, kinds: readonly string[], slugLabel: string, env: NodeJS.ProcessEnv): Promise<ListedObject[]> {
  if (kinds.length === 0) return [];
  const built = kubectlPath(cacheDir(env), readPins(ROOT));
  const kubectl = existsSync(built) ? built : (which('kubectl', env) ?? 'kubectl');
  const args = [
    ...(t.kubeconfig ? ['--kubeconfig', t.kubeconfig] : []),
    ...(t.context ? ['--context', t.context] : []),
    '--request-timeout=60s', 'get', kinds.join(','), '--all-namespaces', '-o', `jsonpath=${listingTemplate(slugLabel)}`,
  ];
  const r = await run(kubectl, args, { env, timeout: 90_000, what: `kubectl get ${kinds.join(',')}` });
  return parseListing(r.stdout);
}
