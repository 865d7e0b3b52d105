// Stack state through the Pulumi engine (Automation API), for what the checkpoint files cannot give:
// backends that are not files (s3://, Pulumi Cloud), and secret values, which only the engine decrypts.
// Slow (a CLI process per stack and call); loaded only on those paths.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import * as pulumi from '@pulumi/pulumi';
import type { PulumiFn } from '@pulumi/pulumi/automation/index.js';
import { AbortError, EXIT } from '../../core/errors.ts';
import { type StateDirs, stateDirs } from '../paths.ts';
import { pool } from './provision.ts';
import { backendFor, type Deployment, parseDeployment, type StackState } from './state.ts';
import { findEngine, openStack, passphraseEnv, PROJECT } from './workspace.ts';

/** Reading outputs runs no program, but a workspace for an inline program needs one. */
const neverRun: PulumiFn = async () => {
  throw new Error('desa opened this stack to read its outputs; its program must not run.');
};

/** The engine's own `error: …` line from a failed CLI run (the message starts with "code: …"), else the first line. */
export function engineError(e: unknown): string {
  const lines = (e instanceof Error ? e.message : String(e)).split('\n').map((l) => l.trim());
  return lines.map((l) => /(?:^|\s)error: (.+)$/.exec(l)?.[1]).find(Boolean) ?? lines.find((l) => l.length > 0) ?? 'failed';
}

/** The passphrase settings, without generating a passphrase (passphraseEnv does when its file is absent). */
function existingPassphrase(dirs: StateDirs, env: NodeJS.ProcessEnv): Record<string, string> | null {
  const given = env.PULUMI_CONFIG_PASSPHRASE !== undefined || Boolean(env.PULUMI_CONFIG_PASSPHRASE_FILE);
  return given || existsSync(dirs.passphraseFile) ? passphraseEnv(dirs.passphraseFile, env) : null;
}

/** Every stack of the project in a backend that is not a file: `stack ls`, then `stack export` of each. */
export async function listStackStates(file: string, env: NodeJS.ProcessEnv): Promise<StackState[]> {
  const dirs = stateDirs(file, env);
  const engine = await findEngine(env);
  const workDir = join(dirs.work, '.list');
  mkdirSync(workDir, { recursive: true });
  const ws = await pulumi.automation.LocalWorkspace.create({
    workDir,
    pulumiCommand: await pulumi.automation.PulumiCommand.get({ root: engine.cliRoot, skipVersionCheck: true }),
    projectSettings: { name: PROJECT, runtime: 'nodejs' },
    envVars: {
      PULUMI_BACKEND_URL: backendFor(file, env).url,
      PULUMI_HOME: engine.pulumiHome,
      PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: 'true',
      PULUMI_SKIP_UPDATE_CHECK: 'true',
      ...existingPassphrase(dirs, env),
    },
  });
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
      // The workspace call, not Stack.outputs: openStack may stub that one out for speed.
      const outputs = await s.workspace.stackOutputs(s.name);
      return [stack, Object.fromEntries(Object.entries(outputs).map(([k, v]) => [k, v.value]))] as const;
    } catch (e) {
      throw new AbortError(`cannot read the secrets of stack ${stack}: ${engineError(e)}`, {
        exitCode: EXIT.operationFailed,
        nextStep: 'Check the passphrase (PULUMI_CONFIG_PASSPHRASE or .desa/passphrase) and `desa doctor`.',
      });
    }
  };
  return new Map(await pool(stacks, 4, read));
}
