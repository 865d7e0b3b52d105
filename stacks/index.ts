// Entry point of the Pulumi program (Pulumi.yaml `main`). Reads configuration and desa.yaml once, builds
// the one Kubernetes provider, and runs the platform or the desa program by stack name. Loaded by
// @pulumi/pulumi's run.js with import(): Node 24 strips the types, there is no build step.
//
// Only a default export: run.js refuses a module with both a default and named exports.
import { statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { AbortError, InvalidInputError } from '../core/errors.ts';
import { loadInventory } from '../core/inventory/load.ts';
import type { Inventory } from '../core/inventory/model.ts';
import { runStack } from './program.ts';
import { readStackConfig } from './settings.ts';

/** The project root: the engine's (--root-directory, the directory of Pulumi.yaml), else the parent of
 *  stacks/. Not the working directory: run.js changes it to stacks/. Mocks report a relative placeholder. */
function projectRoot(): string {
  const engine = pulumi.getRootDirectory();
  return isAbsolute(engine) ? engine : fileURLToPath(new URL('..', import.meta.url));
}

// `desa up` runs many stacks' programs in one process: read desa.yaml once per version of the file.
const cache = new Map<string, { stamp: string; inventory: Inventory }>();

function readInventory(file: string): Inventory {
  try {
    const st = statSync(file, { throwIfNoEntry: false });
    const stamp = st ? `${st.mtimeMs}:${st.size}` : '';
    const hit = cache.get(file);
    if (hit?.stamp === stamp) return hit.inventory;
    const inventory = loadInventory(file).inventory;
    cache.set(file, { stamp, inventory });
    return inventory;
  } catch (e) {
    if (e instanceof InvalidInputError) throw new pulumi.RunError(`${e.message}\n${e.render(20)}\n${e.nextStep ?? ''}`.trimEnd());
    if (e instanceof AbortError) {
      throw new pulumi.RunError(`${e.message}\nSet \`desa:inventory\` to its path (absolute, or relative to the directory of Pulumi.yaml).`);
    }
    throw e;
  }
}

export default async function main() {
  const config = readStackConfig();
  const file = config.settings.inventory;
  const inventory = readInventory(isAbsolute(file) ? file : resolve(projectRoot(), file));
  const provider = new k8s.Provider('kubernetes', { ...config.kubernetes, enableServerSideApply: true });
  const outputs = runStack(pulumi.getStack(), inventory, config, provider);
  // The cluster this update is applied to, as desa identified it (cli/engine/identity.ts): recorded in the
  // state, so that a stack applied to a cluster since reset or replaced is refreshed before its next update.
  const cluster = new pulumi.Config('desa').getObject<unknown>('cluster');
  return cluster === undefined ? outputs : { ...outputs, cluster };
}
