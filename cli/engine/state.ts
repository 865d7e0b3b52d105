// What the Pulumi stacks hold, for status, outputs, the report and the credential sheet: a file backend
// (the default, .desa/state beside desa.yaml, or PULUMI_BACKEND_URL=file://…) is read from its checkpoint
// files (checkpoint.ts: no CLI process, no decryption), an S3 one from the same objects in its bucket
// (backend-state.ts); other backends (Pulumi Cloud) and secret values go through the engine (state-engine.ts, loaded only then). Nothing here imports @pulumi/pulumi.
import { stateDirs } from '../paths.ts';
import { backendFor, type Backend, hasSecret, readFileBackend, type StackState } from './checkpoint.ts';
import { type ClusterIdentity, presentLocally, readLocalIdentity } from './identity.ts';

// The read model's names, for its readers.
export { type Backend, hasSecret, maskSecrets, SECRET, type StackState } from './checkpoint.ts';

export interface States {
  backend: Backend;
  stacks: StackState[];
}

/** `states`, the outputs of those that hold secrets read again through the engine with the secrets in plain text. */
export async function revealSecrets(file: string, states: readonly StackState[], env: NodeJS.ProcessEnv = process.env): Promise<StackState[]> {
  const secret = states.filter((s) => hasSecret(s.outputs)).map((s) => s.name);
  if (secret.length === 0) return [...states];
  const { readSecretOutputs } = await import('./state-engine.ts');
  const revealed = await readSecretOutputs(file, secret, env);
  return states.map((s) => ({ ...s, outputs: revealed.get(s.name) ?? s.outputs }));
}

/**
 * What the states claim, less what is known to be gone: a stack applied to this checkout's local cluster
 * after that cluster was reset or re-created (identity.ts) holds nothing there, whatever its state says.
 */
export function withoutGone(stacks: readonly StackState[], local: ClusterIdentity | null): StackState[] {
  return stacks.map((s) => (presentLocally(s.cluster, local) ? s : { ...s, provisioned: false, dataKept: false, clusterGone: true }));
}

/** The state of every stack of the inventory's backend: the fast path for files, the engine otherwise. */
export async function readStates(file: string, env: NodeJS.ProcessEnv = process.env): Promise<States> {
  const backend = backendFor(file, env);
  const local = readLocalIdentity(stateDirs(file, env));
  if (backend.kind === 'file') return { backend, stacks: withoutGone(readFileBackend(backend.dir), local) };
  if (backend.url.startsWith('s3://')) {
    // An S3 bucket holds the same objects as a folder: read them directly, no engine.
    const [{ s3Store }, { readStoreStates }] = await Promise.all([import('./backend-store.ts'), import('./backend-state.ts')]);
    return { backend, stacks: withoutGone(await readStoreStates(await s3Store(backend.url, env)), local) };
  }
  const { listStackStates } = await import('./state-engine.ts');
  return { backend, stacks: withoutGone(await listStackStates(file, env), local) };
}
