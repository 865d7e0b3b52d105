// A stack's settings file in its work directory (Pulumi.<stack>.yaml), read as plain values: what desa
// wrote and any key set by hand with `pulumi config`. Without the programs' schema (stack-config.ts
// validates), so that readers such as `desa check` need not load the Pulumi SDK.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { StateDirs } from '../paths.ts';

/** The `config:` of Pulumi.<stack>.yaml in the stack's work directory; empty when it has none yet. */
export function readStackConfigFile(dirs: StateDirs, stack: string): Record<string, unknown> {
  const file = join(dirs.work, stack, `Pulumi.${stack}.yaml`);
  if (!existsSync(file)) return {};
  const doc = parse(readFileSync(file, 'utf8')) as { config?: Record<string, unknown> } | null;
  return { ...doc?.config };
}

/**
 * The cluster the stacks were applied to when it is not the embedded local one (a context, or another
 * kubeconfig, in the platform stack's settings); null for the local cluster. Its servers are not the
 * local ones, so what those hold says nothing about it.
 */
export function otherCluster(dirs: StateDirs, platformStack: string): string | null {
  const config = readStackConfigFile(dirs, platformStack);
  const kubeconfig = config['kubernetes:kubeconfig'];
  const context = config['kubernetes:context'];
  if (typeof context === 'string' && context) return `context ${context}`;
  if (typeof kubeconfig === 'string' && kubeconfig && kubeconfig !== dirs.kubeconfig) return kubeconfig;
  return null;
}
