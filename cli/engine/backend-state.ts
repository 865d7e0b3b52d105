// What the engine left in a backend store (backend-store.ts: a folder or an S3 bucket), read without the
// engine: the stacks there, a stack's latest deployment, its lock objects and who holds them, the
// operations a killed run left pending. The parsers are checkpoint.ts's and locks.ts's.
import { hostname } from 'node:os';
import { gunzipSync } from 'node:zlib';
import { AbortError, EXIT } from '../../core/errors.ts';
import { PROJECT } from '../paths.ts';
import type { BackendStore } from './backend-store.ts';
import { type Deployment, parseCheckpoint, type StackState } from './checkpoint.ts';
import type { LockHolder } from './locks.ts';

export const STACKS_PREFIX = `.pulumi/stacks/${PROJECT}/`;
export const locksPrefix = (stack?: string) => `.pulumi/locks/organization/${PROJECT}/${stack === undefined ? '' : `${stack}/`}`;

const text = (key: string, raw: Buffer) => (key.endsWith('.gz') ? gunzipSync(raw).toString('utf8') : raw.toString('utf8'));

/** Checkpoint keys by stack: <stack>.json or <stack>.json.gz (PULUMI_SELF_MANAGED_STATE_GZIP), the newer when both. */
function checkpointKeys(objects: readonly { key: string; modified: number }[]): Map<string, { key: string; modified: number }> {
  const out = new Map<string, { key: string; modified: number }>();
  for (const o of objects) {
    const m = /^([^/]+)\.json(\.gz)?$/.exec(o.key.slice(STACKS_PREFIX.length));
    if (!m || !o.key.startsWith(STACKS_PREFIX)) continue;
    const other = out.get(m[1]!);
    if (!other || o.modified > other.modified) out.set(m[1]!, o);
  }
  return out;
}

/** The stacks of the project in the store, by name. */
export async function stackNames(store: BackendStore): Promise<string[]> {
  return [...checkpointKeys(await store.list(STACKS_PREFIX)).keys()].sort();
}

/** Whether the store holds the stack's checkpoint (either name); undefined when the store cannot be read. */
export async function stackExists(store: BackendStore, stack: string): Promise<boolean | undefined> {
  try {
    const key = `${STACKS_PREFIX}${stack}.json`;
    const found = await Promise.all([store.get(key), store.get(`${key}.gz`)]);
    return found.some((b) => b !== null);
  } catch {
    return undefined;
  }
}

export type Latest = Deployment & { pending_operations?: unknown[] };

/** The latest deployment of a stack, undefined when it has none (or it cannot be read). */
export async function latestIn(store: BackendStore, stack: string): Promise<Latest | undefined> {
  try {
    // Both names read at once (one of them is usually absent): no listing of a folder of 750 files.
    const key = `${STACKS_PREFIX}${stack}.json`;
    const [plain, gz] = await Promise.all([store.get(key), store.get(`${key}.gz`)]);
    let chosen = plain ? key : gz ? `${key}.gz` : null;
    if (plain && gz) chosen = checkpointKeys(await store.list(key)).get(stack)?.key ?? key;
    if (!chosen) return undefined;
    const raw = chosen === key ? plain! : gz!;
    return (JSON.parse(text(chosen, raw)) as { checkpoint?: { latest?: Latest | null } }).checkpoint?.latest ?? undefined;
  } catch {
    return undefined;
  }
}

/** The holders of a stack's lock objects ({ pid, username, hostname, timestamp }); an unreadable one still holds it. */
export async function lockHoldersIn(store: BackendStore, stack: string): Promise<LockHolder[]> {
  const holders: LockHolder[] = [];
  for (const o of (await store.list(locksPrefix(stack))).filter((x) => x.key.endsWith('.json'))) {
    try {
      const j = JSON.parse((await store.get(o.key))?.toString('utf8') ?? 'null') as { pid?: unknown; username?: unknown; hostname?: unknown; timestamp?: unknown } | null;
      if (j === null) continue; // released meanwhile
      holders.push({
        pid: typeof j.pid === 'number' ? j.pid : null,
        ...(typeof j.username === 'string' ? { user: j.username } : {}),
        ...(typeof j.hostname === 'string' ? { host: j.hostname } : {}),
        ...(typeof j.timestamp === 'string' ? { since: j.timestamp } : {}),
      });
    } catch {
      holders.push({ pid: null });
    }
  }
  return holders;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Lock holders left by a run that was killed: on this host, naming a process that is gone (recover() cancels them). */
export function staleHolders(holders: readonly LockHolder[], host = hostname(), isAlive = alive): LockHolder[] {
  return holders.filter((h) => h.pid !== null && h.pid > 0 && (h.host === undefined || h.host === host) && !isAlive(h.pid));
}

/** Every stack of the project in the store, as `desa status` shows them (a few reads at a time). */
export async function readStoreStates(store: BackendStore): Promise<StackState[]> {
  const [objects, locks] = await Promise.all([store.list(STACKS_PREFIX), store.list(locksPrefix())]);
  const locked = new Set(locks.filter((o) => o.key.endsWith('.json')).map((o) => o.key.slice(locksPrefix().length).split('/')[0]!));
  // A few reads at a time (no import of run-loop.ts: automation.ts reads this module, run-loop.ts reads that).
  const entries = [...checkpointKeys(objects)];
  const states: (StackState | null)[] = [];
  const read = async ([name, o]: (typeof entries)[number]): Promise<StackState | null> => {
    try {
      const raw = await store.get(o.key);
      if (!raw) return null; // removed meanwhile
      return parseCheckpoint(text(o.key, raw), name, locked.has(name));
    } catch (e) {
      if (e instanceof AbortError) throw e;
      throw new AbortError(`cannot read the state of stack ${name} (${store.url}/${o.key}): ${(e as Error).message}`, {
        exitCode: EXIT.failure,
        nextStep: `Check the object; \`pulumi stack export --stack ${name}\` shows what the engine makes of it.`,
      });
    }
  };
  for (let i = 0; i < entries.length; i += 16) states.push(...(await Promise.all(entries.slice(i, i + 16).map(read))));
  return states.filter((s): s is StackState => s !== null).sort((a, b) => a.name.localeCompare(b.name));
}
