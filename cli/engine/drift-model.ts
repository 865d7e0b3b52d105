// What `desa drift` finds, as data: from the engine's events of a refresh preview, each object the state
// holds that is gone from the cluster or differs from it; from a listing of the cluster, objects in the
// namespaces desa manages that no stack holds (added by hand). Pure: no engine, no cluster.
import type { EngineEvent } from '@pulumi/pulumi/automation/index.js';

export interface DriftItem {
  /** gone: in the state, not in the cluster; changed: differs from the state; added: in the cluster, in no state. */
  kind: 'gone' | 'changed' | 'added';
  /** Kubernetes kind: Namespace, Secret, … */
  type: string;
  /** namespace/name, or name for cluster-wide objects. */
  name: string;
  /** changed: the top-level fields that differ (data, metadata, spec). */
  fields?: string[];
}

type Meta = NonNullable<EngineEvent['resOutputsEvent']>['metadata'];

/** `kubernetes:core/v1:Secret` → Secret; other types as they are. */
export function kindOf(type: string): string {
  const m = /^kubernetes:[^:]+:(.+)$/.exec(type);
  return m ? m[1]! : type;
}

function objectName(m: Meta): string {
  const state = (m.old ?? m.new) as { outputs?: { metadata?: { name?: string; namespace?: string } }; id?: string } | undefined;
  const md = state?.outputs?.metadata;
  if (md?.name) return md.namespace ? `${md.namespace}/${md.name}` : md.name;
  return state?.id || m.urn.split('::').at(-1)!;
}

/**
 * One resource's step in a refresh preview as drift, or null when it matches. A refresh step is "gone"
 * when the refreshed resource has no new state (or the engine names it a delete), "changed" when the
 * engine reports differing keys (or names it an update).
 */
export function driftOfStep(m: Meta): DriftItem | null {
  if (m.type === 'pulumi:pulumi:Stack' || m.type.startsWith('pulumi:providers:')) return null;
  const fields = [...new Set([...(m.diffs ?? []), ...Object.keys(m.detailedDiff ?? {})].map((k) => k.split(/[.[]/)[0]!))].sort();
  const base = { type: kindOf(m.type), name: objectName(m) };
  const op = m.op as string;
  if (op === 'delete' || op === 'deleted' || ((op === 'refresh' || op === 'read') && !m.new)) return { kind: 'gone', ...base };
  if (op === 'update' || op === 'updated' || op === 'replace' || ((op === 'refresh' || op === 'read') && fields.length > 0)) return { kind: 'changed', ...base, ...(fields.length ? { fields } : {}) };
  return null;
}

/** Collects drift from the events of one refresh preview, one item per resource (the last word wins). */
export function driftCollector(): { onEvent: (e: EngineEvent) => void; items: () => DriftItem[] } {
  const byUrn = new Map<string, DriftItem | null>();
  return {
    onEvent: (e) => {
      const m = e.resOutputsEvent?.metadata ?? e.resourcePreEvent?.metadata;
      if (!m) return;
      const d = driftOfStep(m);
      if (d || e.resOutputsEvent) byUrn.set(m.urn, d);
    },
    items: () => [...byUrn.values()].filter((d): d is DriftItem => d !== null),
  };
}

/** An object as listed from the cluster. */
export interface ListedObject {
  kind: string;
  namespace: string;
  name: string;
  /** Secret type, to leave out service-account tokens. */
  secretType?: string;
  /** Made by a controller (a ReplicaSet's owner), not by hand. */
  owned: boolean;
  /** The desa it is labelled for (the contract's slug label), when any. */
  slug?: string;
}

/** Objects Kubernetes itself puts in every namespace. */
const BUILT_IN = (o: ListedObject) =>
  (o.kind === 'ConfigMap' && o.name === 'kube-root-ca.crt') ||
  (o.kind === 'ServiceAccount' && o.name === 'default') ||
  o.secretType === 'kubernetes.io/service-account-token';

export const keyOf = (kind: string, namespace: string | undefined, name: string) => `${kind}/${namespace ? `${namespace}/` : ''}${name}`;

/**
 * Objects added by hand, by stack: those in a namespace a stack owns that no stack's state holds. In the
 * shared (platform) namespace an object goes to the desa its slug label names, else to the platform.
 */
export function addedByHand(
  listed: readonly ListedObject[],
  o: { managed: ReadonlySet<string>; namespaces: ReadonlyMap<string, string>; shared: string; shared_stack: string; stackOfSlug: ReadonlyMap<string, string> },
): Map<string, DriftItem[]> {
  const out = new Map<string, DriftItem[]>();
  for (const x of listed) {
    if (x.owned || BUILT_IN(x) || o.managed.has(keyOf(x.kind, x.namespace, x.name))) continue;
    const stack = x.namespace === o.shared ? (x.slug ? o.stackOfSlug.get(x.slug) : undefined) ?? o.shared_stack : o.namespaces.get(x.namespace);
    if (!stack) continue;
    const list = out.get(stack) ?? [];
    list.push({ kind: 'added', type: x.kind, name: `${x.namespace}/${x.name}` });
    out.set(stack, list);
  }
  return out;
}

/** Objects inside a namespace that is itself gone are folded into it: "Namespace desa-x (and 7 objects in it)". */
export function foldGoneNamespaces(items: readonly DriftItem[]): { items: DriftItem[]; inside: Map<string, number> } {
  const goneNs = new Set(items.filter((d) => d.kind === 'gone' && d.type === 'Namespace').map((d) => d.name));
  const inside = new Map<string, number>();
  const kept: DriftItem[] = [];
  for (const d of items) {
    const ns = d.name.includes('/') ? d.name.split('/')[0]! : null;
    if (d.kind === 'gone' && ns && goneNs.has(ns)) inside.set(ns, (inside.get(ns) ?? 0) + 1);
    else kept.push(d);
  }
  return { items: kept, inside };
}

/** One line per kind of drift: "gone: Namespace desa-x (and 7 objects in it), Secret desa-platform/mailbox-x-operator". */
export function driftLines(items: readonly DriftItem[]): string[] {
  const { items: kept, inside } = foldGoneNamespaces(items);
  const words: Record<DriftItem['kind'], string> = { gone: 'gone from the cluster', changed: 'changed by hand', added: 'added by hand' };
  const lines: string[] = [];
  for (const kind of ['gone', 'changed', 'added'] as const) {
    const of = kept.filter((d) => d.kind === kind).sort((a, b) => `${a.type} ${a.name}`.localeCompare(`${b.type} ${b.name}`));
    if (of.length === 0) continue;
    const text = of.map((d) => {
      const n = d.type === 'Namespace' ? inside.get(d.name) : undefined;
      return `${d.type} ${d.name}${n ? ` (and ${n} object(s) in it)` : ''}${d.fields?.length ? ` (${d.fields.join(', ')})` : ''}`;
    });
    lines.push(`${words[kind]}: ${text.join(', ')}`);
  }
  return lines;
}
