// Taking desa off the platform, and previewing it: `desa destroy --only …` offboards the named desa (or
// stacks left by desa removed from desa.yaml, which `desa up` also offboards), keeping their data unless
// --delete-data; `desa plan` previews every stack, saying what `up` would destroy.
import { AbortError, EXIT } from '../../core/errors.ts';
import { PLATFORM_STACK } from '../../core/inventory/model.ts';
import { openStack } from './automation.ts';
import { heldResources, unprotectAll } from './state-resources.ts';
import { backendFor, readFileBackend } from './checkpoint.ts';
import { type Context, type EngineOptions, existingStacks, finish, latestState, open, operate, type OperateExtra, prepare, staleCluster, warned, withTarget } from './context.ts';
import { type CertificateBudget, certificateBudget, DEFAULT_WEEKLY_SHARE, issuedFromState, ordersFromSteps } from './certificate-budget.ts';
import { listStacks } from './platform-step.ts';
import { forgetRecord } from './records.ts';
import { checkShard, ofShard, runsPlatform, type ShardSummary, shardSummary } from './shard.ts';
import type { Stack } from '@pulumi/pulumi/automation/index.js';
import type { Deployment } from './checkpoint.ts';
import { type Job, type RunSummary, runAll, type StackResult, type Tracker } from './run-loop.ts';
import { orphanStacks, selectStacks } from './selection.ts';

export interface DestroyOptions<X extends object = object> extends EngineOptions<X> {
  /** Also delete the namespace, volumes and bucket claim (otherwise kept), and remove the stack. */
  deleteData?: boolean;
}

/** Destroys a desa stack. Kept: protected resources (namespace, volumes, bucket claim) unless deleteData. */
export function offboardJob(ctx: Context, stack: string, o: EngineOptions, deleteData: boolean): Job {
  return {
    stack,
    operation: 'destroy',
    run: async (t) => {
      const s = await open(ctx, stack, o, t);
      const held = await heldResources(s);
      const none = { create: 0, update: 0, delete: 0, same: 0 };
      if (held.total === 0) {
        // Never provisioned (a plan creates the stack) or already emptied: nothing to keep.
        await s.workspace.removeStack(stack);
        return { ...t.end('succeeded', { changes: none }), note: 'held nothing; stack removed' };
      }
      if (!deleteData && held.total === held.protected) {
        return { ...t.end('succeeded', { changes: none }), note: `already destroyed; ${held.protected} resource(s) of data kept` };
      }
      await forgetRecord(ctx.store, stack);
      if (deleteData) await unprotectAll(s);
      const r = await operate(ctx, s, 'destroy', t, o, deleteData ? {} : { excludeProtected: true });
      if (r.result !== 'succeeded') return r;
      if (deleteData) {
        await s.workspace.removeStack(stack);
        return { ...r, note: 'data deleted; stack removed' };
      }
      return { ...r, note: held.protected > 0 ? `data kept: ${held.protected} protected resource(s)` : 'destroyed' };
    },
  };
}

const slugOf = (ctx: Context, stack: string) => ctx.inventory.units.find((u) => u.stack === stack)?.slug ?? stack;

/** A preview; of the cluster as it is (refreshed first) when the stack was last applied to another one. */
async function preview(ctx: Context, s: Stack, t: Tracker, o: EngineOptions, before: Deployment | undefined, extra: OperateExtra = {}): Promise<StackResult> {
  const why = await staleCluster(ctx, before, s);
  const r = await operate(ctx, s, 'preview', t, o, { ...extra, ...(why ? { refresh: true } : {}) });
  return why && r.result === 'succeeded' ? { ...r, note: [r.note, `previewed against the cluster as it is: ${why}`].filter(Boolean).join('; ') } : r;
}

/** `desa plan`: a preview of the platform and each selected desa; removed desa show what `up` would destroy. */
export interface PlanOptions<X extends object = object> extends EngineOptions<X> {
  /** --allow-certificates N: this run may take N new certificates this week instead of desa.yaml's share. */
  allowCertificates?: number;
}

export async function plan<X extends object>(o: PlanOptions<X>): Promise<RunSummary & Partial<X> & { shard?: ShardSummary }> {
  checkShard(o);
  const ctx = await prepare(o);
  const all = selectStacks(ctx.inventory, o.only);
  const desas = ofShard(all, o.shard);
  let existing = new Map<string, number>();
  let names: string[] = [];
  const platform: Job = {
    stack: PLATFORM_STACK,
    operation: 'preview',
    run: async (t) => {
      if (!runsPlatform(o.shard)) {
        // Shard 1 previews the platform; this one only needs the stacks there.
        names = await listStacks(ctx, o.env);
        return { ...t.end('succeeded', { changes: null }), note: 'previewed by shard 1' };
      }
      const before = latestState(ctx, PLATFORM_STACK);
      const s = await open(ctx, PLATFORM_STACK, o, t);
      existing = await existingStacks(s);
      names = [...existing.keys()];
      return preview(ctx, s, t, o, before);
    },
  };
  const orphans = () => (o.only.length === 0 ? ofShard(orphanStacks(ctx.inventory, names), o.shard) : []);
  const jobs = (): Job[] => [
    ...desas.map((stack): Job => ({ stack, operation: 'preview', run: async (t) => {
      const before = latestState(ctx, stack);
      return warned(ctx, stack, await preview(ctx, await open(ctx, stack, o, t), t, o, before, { protectedData: { slug: slugOf(ctx, stack) } }));
    } })),
    ...orphans().map(
      (stack): Job => ({
        stack,
        operation: 'preview',
        run: async (t) => {
          const held = await heldResources(await open(ctx, stack, o, t));
          const changes = { create: 0, update: 0, delete: held.total - held.protected, same: held.protected };
          return { ...t.end('succeeded', { changes }), note: 'not in desa.yaml: `desa up` destroys it, keeping its data' };
        },
      }),
    ),
  ];
  const run = await runAll('plan', o, platform, jobs, () => existing);
  // The certificate is the platform's: the runner that previews the platform counts it.
  if (run.ok && !run.interrupted && runsPlatform(o.shard)) run.certificates = await budget(ctx, run, o.allowCertificates);
  const summary = withTarget(ctx, run);
  return o.shard ? { ...summary, shard: shardSummary(o.shard, desas.length, all.length, orphans().length) } : summary;
}

/** The new certificates the previewed stacks and the target would order, against desa.yaml's weekly share. */
async function budget<X extends object>(ctx: Context<X>, run: RunSummary, allow: number | undefined): Promise<CertificateBudget> {
  const own = (await ctx.target.certificates?.()) ?? { orders: [], issued: [] };
  return certificateBudget({
    domain: ctx.inventory.kabupaten.domain,
    orders: [...ordersFromSteps(run.stacks), ...own.orders],
    issued: [...issuedFromState(latestState(ctx, PLATFORM_STACK)?.resources ?? []), ...own.issued],
    now: new Date(),
    share: ctx.inventory.kabupaten.certificateShare ?? DEFAULT_WEEKLY_SHARE,
    allow,
  });
}

/** `desa destroy --only …`: offboards the named desa (or stacks left by removed desa). Never the platform. */
export async function destroy<X extends object>(o: DestroyOptions<X>): Promise<RunSummary & Partial<X>> {
  if (o.only.length === 0) throw new AbortError('desa destroy needs --only with the desa to offboard.', { exitCode: EXIT.usage, nextStep: 'For example: desa destroy --only sukamaju' });
  if (o.only.includes(PLATFORM_STACK)) {
    throw new AbortError('The platform stack serves every desa and is not destroyed by desa destroy.', {
      exitCode: EXIT.usage,
      nextStep: 'Offboard the desa first; to drop the local cluster entirely, run `desa cluster down` and delete .desa/.',
    });
  }
  const ctx = await prepare(o, (inv) => {
    // A stack whose desa has left desa.yaml can still be named; with a file backend, check against it now.
    const b = backendFor(o.file, o.env);
    selectStacks(inv, o.only, b.kind === 'file' ? readFileBackend(b.dir).map((s) => s.name) : o.only);
  });
  // Look the stacks up through the engine (any backend).
  const existing = await existingStacks(await openStack({ stack: PLATFORM_STACK, dirs: ctx.dirs, engine: ctx.engine, program: ctx.program, env: o.env }));
  const targets = selectStacks(ctx.inventory, o.only, orphanStacks(ctx.inventory, [...existing.keys()]));
  const jobs = targets.map((stack): Job => {
    if (!existing.has(stack)) {
      return { stack, operation: 'destroy', run: async (t) => ({ ...t.end('succeeded', { changes: { create: 0, update: 0, delete: 0, same: 0 } }), note: 'never provisioned: nothing to destroy' }) };
    }
    return offboardJob(ctx, stack, o, o.deleteData === true);
  });
  const summary = await runAll('destroy', o, null, () => jobs, () => existing);
  const dataGone = o.deleteData ? summary.stacks.filter((r) => r.result === 'succeeded').map((r) => ctx.inventory.units.find((u) => u.stack === r.stack)?.slug ?? r.stack) : [];
  return finish(ctx, summary, dataGone);
}
