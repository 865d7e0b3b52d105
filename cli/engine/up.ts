// `desa up`: the platform, then each selected desa; without --only, the stacks of desa gone from
// desa.yaml are destroyed with their data kept. A desa whose inputs and state are those of its last
// successful update is not run (fingerprint.ts). A stack last applied to another cluster (the local one
// reset, a kubeconfig now naming another) is refreshed before it is updated (identity.ts), so what that
// cluster lacks is created again, and its summary line says so.
import type { Stack } from '@pulumi/pulumi/automation/index.js';
import { PLATFORM_STACK } from '../../core/inventory/model.ts';
import { type Deployment, managedResources } from './checkpoint.ts';
import { type Context, type EngineOptions, existingStacks, finish, open, operate, prepare, staleCluster } from './context.ts';
import { codeHash, fingerprint } from './fingerprint.ts';
import { offboardJob } from './offboard.ts';
import { listStacks, platformFingerprint, settingsOf, stackNow, stateOf, waitForPlatform } from './platform-step.ts';
import { forgetRecord, writeRecord } from './records.ts';
import { type Job, type RunSummary, runAll, type StackResult, type Tracker } from './run-loop.ts';
import { orphanStacks, selectStacks } from './selection.ts';
import { checkShard, ofShard, runsPlatform, type ShardSummary, shardSummary } from './shard.ts';

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
  const unit = ctx.inventory.units.find((u) => u.stack === stack)!;
  // The settings file as it is now (settingsOf: the keys set by hand): before a stack's first update it
  // does not exist yet, so the record takes the fingerprint again after the update.
  const inputsNow = () =>
    fingerprint({ unit, kabupaten: ctx.inventory.kabupaten, programmes: ctx.inventory.programmes, config: ctx.target.config, settings: settingsOf(ctx, stack), code });
  const now = await stackNow(ctx, stack, inputsNow());
  const before = now.state;
  const cluster = ctx.target.identity?.uid ?? null;
  if (!o.refresh && now.unchanged) {
    const same = managedResources(before?.resources ?? []).length;
    return { ...t.end('succeeded', { changes: { create: 0, update: 0, delete: 0, same } }), unchangedInputs: true };
  }
  await forgetRecord(ctx.store, stack);
  const r = await update(ctx, stack, t, o, before);
  const after = r.result === 'succeeded' && ctx.store ? (await stateOf(ctx, stack))?.manifest?.time : undefined;
  if (after) await writeRecord(ctx.store, stack, { fingerprint: inputsNow(), stateTime: after, cluster });
  return r;
}

/**
 * The platform stack's job: shard 1 (or an unsharded run) updates it unless it is unchanged (then no
 * engine runs); any other shard waits until it is in place (platform-step.ts). `stacks` gets the stacks
 * in the backend, for the offboarding of desa gone from desa.yaml.
 */
function platformJob(ctx: Context, o: UpOptions, code: string, stacks: (names: string[], counts?: Map<string, number>) => void): Job {
  return {
    stack: PLATFORM_STACK,
    operation: 'up',
    run: async (t) => {
      if (!runsPlatform(o.shard)) {
        await waitForPlatform(ctx, code, o, t);
        stacks(await listStacks(ctx, o.env));
        const same = managedResources((await stateOf(ctx, PLATFORM_STACK))?.resources ?? []).length;
        return { ...t.end('succeeded', { changes: { create: 0, update: 0, delete: 0, same } }), note: 'in place: shard 1 runs it' };
      }
      const now = await stackNow(ctx, PLATFORM_STACK, platformFingerprint(ctx, code));
      if (!o.refresh && now.unchanged) {
        stacks(await listStacks(ctx, o.env));
        const same = managedResources(now.state?.resources ?? []).length;
        return { ...t.end('succeeded', { changes: { create: 0, update: 0, delete: 0, same } }), unchangedInputs: true };
      }
      await forgetRecord(ctx.store, PLATFORM_STACK);
      const s = await open(ctx, PLATFORM_STACK, o, t);
      const existing = await existingStacks(s);
      stacks([...existing.keys()], existing);
      const r = await update(ctx, PLATFORM_STACK, t, o, now.state, s);
      const after = r.result === 'succeeded' && ctx.store ? (await stateOf(ctx, PLATFORM_STACK))?.manifest?.time : undefined;
      if (after) await writeRecord(ctx.store, PLATFORM_STACK, { fingerprint: platformFingerprint(ctx, code), stateTime: after, cluster: ctx.target.identity?.uid ?? null });
      return r;
    },
  };
}

export async function up<X extends object>(o: UpOptions<X>): Promise<RunSummary & Partial<X> & { shard?: ShardSummary }> {
  checkShard(o);
  const ctx = await prepare(o);
  const all = selectStacks(ctx.inventory, o.only);
  const desas = ofShard(all, o.shard);
  let names: string[] = [];
  let existing = new Map<string, number>();
  const code = codeHash();
  const platform = platformJob(ctx, o, code, (n, counts) => ((names = n), (existing = counts ?? existing)));
  const orphans = () => (o.only.length === 0 ? ofShard(orphanStacks(ctx.inventory, names), o.shard) : []);
  const jobs = (): Job[] => [
    ...desas.map((stack): Job => ({ stack, operation: 'up', run: (t) => upDesa(ctx, stack, t, o, code) })),
    ...orphans().map((stack) => offboardJob(ctx, stack, o, false)),
  ];
  const summary = await finish(ctx, await runAll('up', o, platform, jobs, () => existing));
  return o.shard ? { ...summary, shard: shardSummary(o.shard, desas.length, all.length, orphans().length) } : summary;
}
