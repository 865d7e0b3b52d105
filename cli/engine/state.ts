// What the Pulumi stacks hold, for status, outputs, the report and the credential sheet: a file backend
// (the default, .desa/state beside desa.yaml, or PULUMI_BACKEND_URL=file://…) is read from its checkpoint
// files (checkpoint.ts: no CLI process, no decryption); other backends (s3://, Pulumi Cloud) and secret
// values go through the engine (state-engine.ts, loaded only then). Nothing here imports @pulumi/pulumi.
import { backendFor, type Backend, hasSecret, readFileBackend, type StackState } from './checkpoint.ts';

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

/** The state of every stack of the inventory's backend: the fast path for files, the engine otherwise. */
export async function readStates(file: string, env: NodeJS.ProcessEnv = process.env): Promise<States> {
  const backend = backendFor(file, env);
  if (backend.kind === 'file') return { backend, stacks: readFileBackend(backend.dir) };
  const { listStackStates } = await import('./state-engine.ts');
  return { backend, stacks: await listStackStates(file, env) };
}
