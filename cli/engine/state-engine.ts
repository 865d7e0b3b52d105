// Stack state through the Pulumi engine, for what the checkpoint files cannot give: backends that are
// not files (s3://, Pulumi Cloud), and secret values, which only the engine decrypts. Slow (a CLI
// process per stack and call); state.ts loads this module only on those paths.
import type { PulumiFn } from '@pulumi/pulumi/automation/index.js';
import { AbortError, EXIT } from '../../core/errors.ts';
import { stateDirs } from '../paths.ts';
import { engineError, existingPassphrase, findEngine, listingWorkspace, openStack } from './automation.ts';
import { backendFor, type Deployment, parseDeployment, type StackState } from './checkpoint.ts';
import { pool } from './run-loop.ts';

/** Reading outputs runs no program, but a workspace for an inline program needs one. */
const neverRun: PulumiFn = async () => {
  throw new Error('desa opened this stack to read its outputs; its program must not run.');
};

/** Every stack of the project in a backend that is not a file: `stack ls`, then `stack export` of each. */
export async function listStackStates(file: string, env: NodeJS.ProcessEnv): Promise<StackState[]> {
  const dirs = stateDirs(file, env);
  const ws = await listingWorkspace(dirs, await findEngine(env), env);
  try {
    const summaries = await ws.listStacks();
    // `stack export` has the resources and outputs; its secrets, decrypted, are still marked as secrets,
    // so the parser of the checkpoint files masks them the same way.
    const states = await pool(summaries, 4, async (s) => {
      const exported = await ws.exportStack(s.name);
      return parseDeployment(exported.deployment as Deployment, s.name.split('/').at(-1)!, Boolean(s.updateInProgress));
    });
    return states.sort((a, b) => a.name.localeCompare(b.name));
  } catch (e) {
    throw new AbortError(`cannot list the stacks in ${backendFor(file, env).url}: ${engineError(e)}`, {
      exitCode: EXIT.operationFailed,
      nextStep: 'Check PULUMI_BACKEND_URL and the credentials it needs; `pulumi stack ls` shows the same.',
      detail: e instanceof Error ? e.message : String(e),
    });
  }
}

/**
 * The outputs of `stacks`, secrets in plain text (`pulumi stack output --show-secrets`), by stack.
 * Only for stacks that exist: opening one that does not would create it.
 */
export async function readSecretOutputs(file: string, stacks: readonly string[], env: NodeJS.ProcessEnv): Promise<Map<string, Record<string, unknown>>> {
  const dirs = stateDirs(file, env);
  if (backendFor(file, env).kind === 'file' && existingPassphrase(dirs, env) === null) {
    throw new AbortError(`no passphrase to decrypt the secrets: ${dirs.passphraseFile} is missing.`, {
      exitCode: EXIT.operationFailed,
      nextStep: 'Set PULUMI_CONFIG_PASSPHRASE or PULUMI_CONFIG_PASSPHRASE_FILE to the passphrase the stacks were created with.',
    });
  }
  const engine = await findEngine(env);
  const read = async (stack: string) => {
    try {
      const s = await openStack({ stack, dirs, engine, program: neverRun, env });
      // The workspace call, not Stack.outputs: openStack stubs that one out for speed.
      const outputs = await s.workspace.stackOutputs(s.name);
      return [stack, Object.fromEntries(Object.entries(outputs).map(([k, v]) => [k, v.value]))] as const;
    } catch (e) {
      throw new AbortError(`cannot read the secrets of stack ${stack}: ${engineError(e)}`, {
        exitCode: EXIT.operationFailed,
        nextStep: 'Check the passphrase (PULUMI_CONFIG_PASSPHRASE or .desa/passphrase) and `desa doctor`.',
        detail: e instanceof Error ? e.message : String(e),
      });
    }
  };
  return new Map(await pool(stacks, 4, read));
}
