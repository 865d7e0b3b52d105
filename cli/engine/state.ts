// What the Pulumi stacks hold, read without the engine where possible. A file backend (the default,
// .desa/state beside desa.yaml, or PULUMI_BACKEND_URL=file://…) is read straight from its checkpoint
// files: no CLI process, no decryption, a few milliseconds per stack. Secret values are never
// decrypted here; they become SECRET. Other backends (s3://, Pulumi Cloud) go through the engine
// (state-engine.ts, loaded only then). Nothing here imports @pulumi/pulumi.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { AbortError, EXIT } from '../../core/errors.ts';
import { PROJECT, stateDirs } from '../paths.ts';

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
  resources?: { type?: string; custom?: boolean; protect?: boolean; outputs?: Record<string, unknown> }[];
}

type Resource = NonNullable<Deployment['resources']>[number];

/** The objects a deployment holds in the cluster: custom resources other than providers (not the root, not components). */
export function managedResources<R extends Resource>(resources: readonly R[]): R[] {
  return resources.filter((r) => r.type !== 'pulumi:pulumi:Stack' && !r.type?.startsWith('pulumi:providers:') && r.custom !== false);
}

/** The state of one stack from its deployment. */
export function parseDeployment(d: Deployment | null | undefined, name: string, updateInProgress = false): StackState {
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
  };
}

/** The state of one stack from the text of its checkpoint file ({ version, checkpoint: { stack, latest } }). */
export function parseCheckpoint(text: string, name: string, updateInProgress = false): StackState {
  const j = JSON.parse(text) as { checkpoint?: { latest?: Deployment | null } };
  return parseDeployment(j.checkpoint?.latest, name, updateInProgress);
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
      states.push(parseCheckpoint(text, name, lockHeld(dir, name)));
    } catch (e) {
      throw new AbortError(`cannot read the state of stack ${name} (${path}): ${(e as Error).message}`, {
        exitCode: EXIT.failure,
        nextStep: `Check the file; \`pulumi stack export --stack ${name}\` shows what the engine makes of it.`,
      });
    }
  }
  return states.sort((a, b) => a.name.localeCompare(b.name));
}

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
