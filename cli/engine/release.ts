// Protected data that a change would delete. Pulumi refuses to delete a protected resource, which keeps a
// desa's data safe, but left alone it locks the desa: every later update fails the same way. Here that
// refusal becomes a choice for the user: which data would be lost, said in words, and the one flag that
// releases exactly it (`desa up --release-data NAME`). A volume claim that never bound holds no data and
// is released without asking, after its state is refreshed from the cluster to be sure. Pure but for
// the two functions at the end, which go through the Automation API adapter.
import type { Stack } from '@pulumi/pulumi/automation/index.js';
import { refreshResources, stateResources, type StateResource, unprotect } from './state-resources.ts';
import { resourceOf } from './diagnostics.ts';

/** A protected resource a change would delete, as the user is told about it. */
export interface ProtectedData {
  urn: string;
  /** The name `--release-data` takes: the resource's Pulumi name (`lambangjaya-site-opensid-files`). */
  name: string;
  kind: string;
  /** What would be lost, in words. */
  what: string;
  /** A volume claim that never bound: it holds no data. */
  neverBound: boolean;
}

interface ClaimOutputs {
  metadata?: { name?: string; namespace?: string; labels?: Record<string, string> };
  spec?: { volumeName?: string; resources?: { requests?: { storage?: string } } };
  status?: { phase?: string };
}

/** A claim whose state says Pending with no volume: it never bound, so nothing was ever written to it. */
export function neverBound(r: Pick<StateResource, 'type' | 'outputs'>): boolean {
  if (r.type !== 'kubernetes:core/v1:PersistentVolumeClaim') return false;
  const o = (r.outputs ?? {}) as ClaimOutputs;
  return o.status?.phase === 'Pending' && !o.spec?.volumeName;
}

/** What losing one protected resource means, in words. */
export function whatIsLost(r: Pick<StateResource, 'type' | 'outputs' | 'urn'>): string {
  const o = (r.outputs ?? {}) as ClaimOutputs;
  const name = o.metadata?.name ?? resourceOf(r.urn).name;
  const ns = o.metadata?.namespace;
  const labels = o.metadata?.labels ?? {};
  switch (r.type) {
    case 'kubernetes:core/v1:PersistentVolumeClaim': {
      const size = o.spec?.resources?.requests?.storage;
      const owner = labels['app.kubernetes.io/name'] ? ` of the ${labels['app.kubernetes.io/name']} ${labels['app.kubernetes.io/component'] ?? 'site'}` : '';
      const state = neverBound(r) ? 'never bound: empty' : `${o.status?.phase === 'Bound' ? 'bound' : (o.status?.phase ?? 'state unknown').toLowerCase()}: its files would be lost`;
      return `the volume ${name}${owner} (PersistentVolumeClaim${ns ? ` in ${ns}` : ''}${size ? `, ${size}` : ''}; ${state})`;
    }
    case 'kubernetes:core/v1:Namespace':
      return `the namespace ${name}, with every volume in it`;
    case 'kubernetes:core/v1:Secret':
      return `the claim ${name}${ns ? ` in ${ns}` : ''} (the desa's bucket and its archive)`;
    default:
      return `${resourceOf(r.urn).kind} ${name}`;
  }
}

/** The protected resources among `urns`, described from the stack's state. */
export function describeProtected(resources: readonly StateResource[], urns: readonly string[]): ProtectedData[] {
  const byUrn = new Map(resources.map((r) => [r.urn, r]));
  return urns.map((urn) => {
    const r = byUrn.get(urn) ?? { urn, type: resourceOf(urn).type, outputs: {} };
    const { name, kind } = resourceOf(urn);
    return { urn, name, kind, what: whatIsLost(r), neverBound: neverBound(r) };
  });
}

/**
 * The failure's cause when data blocks a change: what would be lost, that it is kept, and the flag that
 * releases exactly it. `planned`: said of a preview (`desa plan`).
 */
export function blockedCause(slug: string, data: readonly ProtectedData[], planned: boolean): { error: string; cause: string } {
  const held = data.filter((d) => !d.neverBound);
  const error = `${planned ? 'this change would delete' : 'the change needs to delete'} protected data: ${held.map((d) => d.what).join('; ')}`;
  const cause = [
    error,
    `  Protected data is never deleted by a change, so ${planned ? '`desa up` would fail' : 'the update stopped'} here (everything else it changed is in place).`,
    `  To delete it: desa up --only ${slug} --release-data ${held.map((d) => d.name).join(' ')}`,
    `  To keep it: put back in desa.yaml what removed it (for a site's volume, its template), or copy the data off first.`,
    ...data.filter((d) => d.neverBound).map((d) => `  ${planned ? '`desa up` releases' : 'Released'} ${d.what}.`),
  ];
  return { error, cause: cause.join('\n') };
}

/**
 * After a change failed on protected resources: refreshes those claims whose state says they never
 * bound (the cluster may know better by now), and unprotects the ones that still never bound. Returns
 * what was released and what still holds data.
 */
export async function releaseEmptyClaims(stack: Stack, urns: readonly string[], signal?: AbortSignal): Promise<{ released: ProtectedData[]; held: ProtectedData[] }> {
  let described = describeProtected(await stateResources(stack), urns);
  const candidates = described.filter((d) => d.neverBound).map((d) => d.urn);
  if (candidates.length > 0) {
    await refreshResources(stack, candidates, signal);
    described = describeProtected(await stateResources(stack), urns);
    const empty = described.filter((d) => d.neverBound).map((d) => d.urn);
    if (empty.length > 0) await unprotect(stack, (r) => empty.includes(r.urn));
  }
  return { released: described.filter((d) => d.neverBound), held: described.filter((d) => !d.neverBound) };
}

/** `--release-data NAME...`: unprotects the stack's resources of those Pulumi names; returns the names found. */
export async function releaseNamed(stack: Stack, names: readonly string[]): Promise<string[]> {
  if (names.length === 0) return [];
  const wanted = new Set(names);
  const found = await unprotect(stack, (r) => wanted.has(resourceOf(r.urn).name));
  return found.map((urn) => resourceOf(urn).name);
}
