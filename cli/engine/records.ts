// Where the fingerprint of a stack's last successful update lives (fingerprint.ts decides what it holds
// and when it allows a skip): beside the state, in the backend store (.desa/last-update/<project>/<stack>.json
// under the backend's root; .desa/state/.desa/… for the default file backend). Not in the runner's own
// work folder: runners that share only the backend (CI matrix jobs on fresh machines, the shards of
// `desa up --shard`) must see the records of one another's updates, and a record must never outlive
// the state it describes on another machine. The record is compared with the state's own time, so a
// record left by an update whose state was since changed elsewhere never allows a skip.
import { parse } from 'yaml';
import { PROJECT } from '../paths.ts';
import type { BackendStore } from './backend-store.ts';
import type { LastUpdate } from './fingerprint.ts';

export const recordKey = (stack: string) => `.desa/last-update/${PROJECT}/${stack}.json`;

export async function readRecord(store: BackendStore | null, stack: string): Promise<LastUpdate | null> {
  if (!store) return null;
  try {
    const raw = await store.get(recordKey(stack));
    if (!raw) return null;
    const j = JSON.parse(raw.toString('utf8')) as Partial<LastUpdate>;
    if (typeof j.fingerprint !== 'string' || typeof j.stateTime !== 'string') return null;
    return { fingerprint: j.fingerprint, stateTime: j.stateTime, cluster: typeof j.cluster === 'string' ? j.cluster : null };
  } catch {
    return null;
  }
}

export async function writeRecord(store: BackendStore | null, stack: string, record: LastUpdate): Promise<void> {
  if (store) await store.put(recordKey(stack), `${JSON.stringify(record)}\n`);
}

export async function forgetRecord(store: BackendStore | null, stack: string): Promise<void> {
  if (store) await store.remove(recordKey(stack));
}

/**
 * What of a stack's settings file (Pulumi.<stack>.yaml in its work folder) is an input of its own: the
 * config keys set by hand (`pulumi config set`), not those desa writes on every run (`written`, already
 * in the fingerprint) nor the secrets provider's salt. So a runner that never opened the stack (a fresh
 * CI machine: no file at all) and one that did find the same inputs.
 */
export function handSettings(text: string | null, written: Record<string, unknown>): Record<string, unknown> {
  if (text === null) return {};
  let doc: unknown;
  try {
    doc = parse(text);
  } catch {
    return { unreadable: text };
  }
  const config = (doc && typeof doc === 'object' ? (doc as { config?: unknown }).config : undefined) ?? {};
  if (typeof config !== 'object' || config === null) return { config };
  return Object.fromEntries(Object.entries(config).filter(([k]) => !(k in written)));
}
