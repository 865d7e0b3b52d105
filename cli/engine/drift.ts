// `desa drift`: every stack refreshed in preview mode (`pulumi refresh --preview-only`: the state is
// compared with the cluster and neither changes), with the bounded pool and progress of `up`. Reported
// per stack: objects of the state gone from the cluster, objects changed by hand, and objects added by
// hand in the namespaces the stacks own (a listing of the cluster, names only). `desa up --refresh`
// repairs the first two; objects added by hand are the user's to remove.
import type { Stack } from '@pulumi/pulumi/automation/index.js';
import { contractKeys } from '../../core/contract.ts';
import { PLATFORM_STACK } from '../../core/inventory/model.ts';
import { type Deployment, managedResources } from './checkpoint.ts';
import { type Context, type EngineOptions, existingStacks, latestState, open, prepare, withTarget } from './context.ts';
import { runOperation } from './automation.ts';
import { addedByHand, type DriftItem, driftCollector, keyOf, kindOf, type ListedObject } from './drift-model.ts';
import { type Job, type RunSummary, runAll, type StackResult, type Tracker } from './run-loop.ts';
import { selectStacks } from './selection.ts';
import { stackSettings } from './stack-config.ts';

/** The objects a deployment holds: kind, namespace and name (Kubernetes resources only). */
export function heldObjects(d: Deployment | undefined): { kind: string; namespace?: string; name: string }[] {
  return managedResources(d?.resources ?? [])
    .filter((r) => r.type?.startsWith('kubernetes:'))
    .map((r) => {
      const md = (r.outputs as { metadata?: { name?: string; namespace?: string } } | undefined)?.metadata;
      return md?.name ? { kind: kindOf(r.type!), name: md.name, ...(md.namespace ? { namespace: md.namespace } : {}) } : null;
    })
    .filter((x): x is { kind: string; namespace?: string; name: string } => x !== null);
}

async function stateOf(ctx: Context, stack: string, s: Stack): Promise<Deployment | undefined> {
  return ctx.backendDir !== null ? latestState(ctx, stack) : ((await s.exportStack()).deployment as Deployment);
}

/** One stack's refresh preview: its drift, from the engine's events. */
async function compare(ctx: Context, stack: string, t: Tracker, o: EngineOptions, held: Map<string, Deployment | undefined>, s?: Stack): Promise<StackResult> {
  const opened = s ?? (await open(ctx, stack, o, t));
  t.set({ phase: 'running' });
  const c = driftCollector();
  let done = 0;
  const r = await runOperation(opened, 'refresh', {
    ...(o.signal ? { signal: o.signal } : {}),
    onEvent: (e) => {
      c.onEvent(e);
      if (e.resOutputsEvent && !e.resOutputsEvent.metadata.type.startsWith('pulumi:')) t.set({ resourcesDone: ++done });
    },
  });
  held.set(stack, await stateOf(ctx, stack, opened));
  if (!r.ok) return t.end(r.cancelled ? 'cancelled' : 'failed', { changes: r.changes, error: r.error, detail: r.detail });
  return { ...t.end('succeeded', { changes: r.changes }), drift: c.items() };
}

export interface DriftHooks {
  /** Lists objects of these kinds in the cluster; default: kubectl on the stacks' cluster (cli/cluster/objects.ts). */
  list?: (kinds: readonly string[], slugLabel: string) => Promise<ListedObject[]>;
}

/** kubectl on the cluster the stacks' config names. */
function kubectlList(ctx: Context, env: NodeJS.ProcessEnv): NonNullable<DriftHooks['list']> {
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  const t = { kubeconfig: str(ctx.target.config['kubernetes:kubeconfig']), context: str(ctx.target.config['kubernetes:context']) };
  return async (kinds, label) => (await import('../cluster/objects.ts')).listObjects(t, kinds, label, env);
}

export async function drift<X extends object>(o: EngineOptions<X> & DriftHooks): Promise<RunSummary & Partial<X>> {
  const ctx = await prepare(o);
  const desas = selectStacks(ctx.inventory, o.only);
  let existing = new Map<string, number>();
  const held = new Map<string, Deployment | undefined>();
  const platform: Job = {
    stack: PLATFORM_STACK,
    operation: 'refresh',
    run: async (t) => {
      const s = await open(ctx, PLATFORM_STACK, o, t);
      existing = await existingStacks(s);
      return compare(ctx, PLATFORM_STACK, t, o, held, s);
    },
  };
  const jobs = (): Job[] =>
    desas.map((stack) => ({
      stack,
      operation: 'refresh',
      run: async (t) =>
        existing.has(stack) ? compare(ctx, stack, t, o, held) : { ...t.end('succeeded', { changes: { create: 0, update: 0, delete: 0, same: 0 } }), drift: [], note: 'not provisioned: nothing to compare' },
    }));
  const summary = await runAll('drift', o, platform, jobs, () => existing);
  if (!summary.interrupted) await addAdded(ctx, summary, held, o.list ?? kubectlList(ctx, o.env), o.only.length > 0);
  return withTarget(ctx, summary);
}

/** Adds the objects added by hand to each stack's drift. A listing that fails fails the platform's row. */
async function addAdded(ctx: Context, summary: RunSummary, held: Map<string, Deployment | undefined>, list: NonNullable<DriftHooks['list']>, only: boolean): Promise<void> {
  const objects = [...held.values()].flatMap(heldObjects);
  const managed = new Set(objects.map((x) => keyOf(x.kind, x.namespace, x.name)));
  const kinds = [...new Set(objects.filter((x) => x.namespace).map((x) => x.kind))].sort();
  const shared = stackSettings(ctx.dirs, PLATFORM_STACK, ctx.target.config).platformNamespace;
  const namespaces = new Map<string, string>();
  for (const [stack, d] of held) if (stack !== PLATFORM_STACK) for (const x of heldObjects(d)) if (x.kind === 'Namespace') namespaces.set(x.name, stack);
  const stackOfSlug = new Map(ctx.inventory.units.filter((u) => held.has(u.stack)).map((u) => [u.slug, u.stack]));
  let listed: ListedObject[];
  try {
    listed = await list(kinds, contractKeys(ctx.inventory.kabupaten.domain).slug);
  } catch (e) {
    const p = summary.stacks.find((r) => r.stack === PLATFORM_STACK);
    if (p) Object.assign(p, { result: 'failed', error: `listing the cluster's objects failed: ${(e as Error).message.split('\n')[0]}` });
    summary.ok = false;
    return;
  }
  // With --only, objects in the shared namespace count only for the desa named (no label: not theirs to judge).
  const added = addedByHand(only ? listed.filter((x) => x.namespace !== shared || (x.slug && stackOfSlug.has(x.slug))) : listed, {
    managed, namespaces, shared, shared_stack: PLATFORM_STACK, stackOfSlug,
  });
  for (const r of summary.stacks) {
    const more = added.get(r.stack);
    if (more && r.result === 'succeeded') r.drift = [...(r.drift ?? []), ...more];
  }
}
