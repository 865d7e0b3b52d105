// `desa up`: the platform, then each selected desa; without --only, the stacks of desa gone from
// desa.yaml are destroyed with their data kept. A desa whose inputs and state are those of its last
// successful update is not run (fingerprint.ts). A stack last applied to another cluster (the local one
// reset, a kubeconfig now naming another) is refreshed before it is updated (identity.ts), so what that
// cluster lacks is created again, and its summary line says so.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Stack } from '@pulumi/pulumi/automation/index.js';
import { PLATFORM_STACK } from '../../core/inventory/model.ts';
import { type Deployment, lockHeld, managedResources } from './checkpoint.ts';
import { type Context, type EngineOptions, existingStacks, finish, latestState, open, operate, prepare, staleCluster } from './context.ts';
import { codeHash, fingerprint, forgetLastUpdate, readLastUpdate, unchanged, writeLastUpdate } from './fingerprint.ts';
import { offboardJob } from './offboard.ts';
import { type Job, type RunSummary, runAll, type StackResult, type Tracker } from './run-loop.ts';
import { orphanStacks, selectStacks } from './selection.ts';

export interface UpOptions<X extends object = object> extends EngineOptions<X> {
  /** Refresh each stack's state from the cluster before updating it. */
  refresh?: boolean;
}

/** Opens and updates a stack, refreshing it first when asked or when its state is of another cluster. */
async function update(ctx: Context, stack: string, t: Tracker, o: UpOptions, before: Deployment | undefined, opened?: Stack): Promise<StackResult> {
  const s = opened ?? (await open(ctx, stack, o, t));
  const why = await staleCluster(ctx, before, s);
  const r = await operate(ctx, s, 'up', t, o, o.refresh || why ? { refresh: true } : {});
  return why && r.result === 'succeeded' ? { ...r, note: `refreshed first: ${why}` } : r;
}

/** One desa's update, or no run at all when its inputs and state are those of its last successful update. */
async function upDesa(ctx: Context, stack: string, t: Tracker, o: UpOptions, code: string): Promise<StackResult> {
  const workDir = join(ctx.dirs.work, stack);
  const unit = ctx.inventory.units.find((u) => u.stack === stack)!;
  const settings = join(workDir, `Pulumi.${stack}.yaml`);
  // The settings file as it is now: before a stack's first update it does not exist yet, so the record
  // takes the fingerprint again after the update, when it holds what the next run will find.
  const inputsNow = () =>
    fingerprint({
      unit,
      kabupaten: ctx.inventory.kabupaten,
      programmes: ctx.inventory.programmes,
      config: ctx.target.config,
      settings: existsSync(settings) ? readFileSync(settings, 'utf8') : null,
      code,
    });
  const before = latestState(ctx, stack);
  const cluster = ctx.target.identity?.uid ?? null;
  const current = {
    fingerprint: inputsNow(),
    stateTime: before?.manifest?.time ?? null,
    pending: before?.pending_operations?.length ?? 0,
    locked: ctx.backendDir === null || lockHeld(ctx.backendDir, stack),
    cluster,
  };
  if (!o.refresh && unchanged(readLastUpdate(workDir), current)) {
    const same = managedResources(before?.resources ?? []).length;
    return { ...t.end('succeeded', { changes: { create: 0, update: 0, delete: 0, same } }), unchangedInputs: true };
  }
  forgetLastUpdate(workDir);
  const r = await update(ctx, stack, t, o, before);
  const after = latestState(ctx, stack)?.manifest?.time;
  if (r.result === 'succeeded' && after) writeLastUpdate(workDir, { fingerprint: inputsNow(), stateTime: after, cluster });
  return r;
}

export async function up<X extends object>(o: UpOptions<X>): Promise<RunSummary & Partial<X>> {
  const ctx = await prepare(o);
  const desas = selectStacks(ctx.inventory, o.only);
  let existing = new Map<string, number>();
  let platformStack: Stack | undefined;
  const platform: Job = {
    stack: PLATFORM_STACK,
    operation: 'up',
    run: async (t) => {
      const before = latestState(ctx, PLATFORM_STACK);
      platformStack = await open(ctx, PLATFORM_STACK, o, t);
      existing = await existingStacks(platformStack);
      return update(ctx, PLATFORM_STACK, t, o, before, platformStack);
    },
  };
  const code = codeHash();
  const jobs = (): Job[] => [
    ...desas.map((stack): Job => ({ stack, operation: 'up', run: (t) => upDesa(ctx, stack, t, o, code) })),
    ...(o.only.length === 0 ? orphanStacks(ctx.inventory, [...existing.keys()]).map((stack) => offboardJob(ctx, stack, o, false)) : []),
  ];
  return finish(ctx, await runAll('up', o, platform, jobs, () => existing));
}
