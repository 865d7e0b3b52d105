// Skipping stacks whose inputs have not changed. `pulumi up` (without --refresh) compares the program with
// the state, not with the cluster, so an update whose every input is what it was at the last successful
// update of the same state is a no-op: the program is deterministic over desa.yaml, the stack config and
// the code. desa records a fingerprint of those inputs and the time of the state it produced; the next
// `desa up` skips the stack when both still match (and no lock or half-done operation is there), which
// turns a no-change run of 187 stacks from minutes into seconds. `--refresh` always runs. The cluster is an
// input like any other (cli/engine/identity.ts): a stack last applied to another cluster (the local one
// reset, a kubeconfig now pointing elsewhere) is never skipped, nor is any stack when the cluster of this
// run could not be identified.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../paths.ts';

/** What the programs are made of: their code, the inventory resolution, the pinned engine and packages. */
export const CODE_INPUTS = ['stacks', 'templates', 'core', 'package-lock.json', 'toolchain/versions.env'];

function files(path: string): string[] {
  const st = statSync(path, { throwIfNoEntry: false });
  if (!st) return [];
  if (st.isFile()) return [path];
  return readdirSync(path, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile() && !d.name.endsWith('.test.ts'))
    .map((d) => join(d.parentPath, d.name))
    .sort();
}

/** A hash of every file the programs are built from (tests excluded). */
export function codeHash(root: string = ROOT, inputs: readonly string[] = CODE_INPUTS): string {
  const h = createHash('sha256');
  for (const input of inputs) {
    for (const f of files(join(root, input))) {
      h.update(f.slice(root.length)).update('\0').update(readFileSync(f)).update('\0');
    }
  }
  return h.digest('hex');
}

/** The fingerprint of one stack's inputs: values in a stable order, hashed. */
export function fingerprint(parts: Record<string, unknown>): string {
  const stable = (v: unknown): unknown =>
    Array.isArray(v) ? v.map(stable) : v && typeof v === 'object' ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, stable((v as Record<string, unknown>)[k])])) : v;
  return createHash('sha256').update(JSON.stringify(stable(parts))).digest('hex');
}

/** The record of a stack's last successful update (kept beside its state: records.ts). */
export interface LastUpdate {
  fingerprint: string;
  /** The state's manifest time right after that update. */
  stateTime: string;
  /** The UID of the cluster that update was applied to (identity.ts); null when it was not known. */
  cluster: string | null;
}

/**
 * The stack may be skipped: same inputs, the state is exactly the one that update left, and this run goes
 * to the very cluster that update went to (a known one: an unknown cluster is never taken for the same).
 */
export function unchanged(
  last: LastUpdate | null,
  current: { fingerprint: string; stateTime: string | null; pending: number; locked: boolean; cluster: string | null },
): boolean {
  return (
    last !== null &&
    current.stateTime !== null &&
    !current.locked &&
    current.pending === 0 &&
    current.cluster !== null &&
    last.cluster === current.cluster &&
    last.fingerprint === current.fingerprint &&
    last.stateTime === current.stateTime
  );
}
