// `desa up`: the platform, then each selected desa; without --only, the stacks of desa gone from
// desa.yaml are destroyed with their data kept. A desa whose inputs and state are those of its last
// successful update is not run (fingerprint.ts). A stack last applied to another cluster (the local one
// reset, a kubeconfig now naming another) is refreshed before it is updated (identity.ts), so what that
// cluster lacks is created again, and its summary line says so.
import type { Stack } from '@pulumi/pulumi/automation/index.js';
import { PLATFORM_STACK } from '../../core/inventory/model.ts';
import { AbortError, EXIT } from '../../core/errors.ts';
import type { Unit } from '../../core/inventory/model.ts';
import { type Footprint, footprintOf } from '../../stacks/desa/sizing.ts';
import { unsetConfig, writeConfig } from './automation.ts';
import { type Deployment, managedResources, readCheckpoint, siteWorkloads } from './checkpoint.ts';
import { stackSettings } from './stack-config.ts';
import { type Context, type EngineOptions, existingStacks, finish, open, operate, type OperateExtra, prepare, staleCluster, TRANSITION_KEY, warned } from './context.ts';
import { resourceOf } from './diagnostics.ts';
import { releaseNamed } from './release.ts';
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
  /** Protected resources (Pulumi names) the update may delete: data the user chose to let go (release.ts). */
  releaseData?: string[];
}

/** Opens and updates a stack, refreshing it first when asked or when its state is of another cluster. */
async function update(ctx: Context, stack: string, t: Tracker, o: UpOptions, before: Deployment | undefined, opened?: Stack, extra: OperateExtra = {}): Promise<StackResult> {
  const s = opened ?? (await open(ctx, stack, o, t));
  const why = await staleCluster(ctx, before, s);
  const r = await operate(ctx, s, 'up', t, o, { ...extra, ...(o.refresh || why ? { refresh: true } : {}) });
  return why && r.result === 'succeeded' ? { ...r, note: [r.note, `refreshed first: ${why}`].filter(Boolean).join('; ') } : r;
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
  if (!o.refresh && !releases(ctx, stack, o.releaseData) && now.unchanged) {
    const same = managedResources(before?.resources ?? []).length;
    return { ...t.end('succeeded', { changes: { create: 0, update: 0, delete: 0, same } }), unchangedInputs: true };
  }
  await forgetRecord(ctx.store, stack);
  const s = await open(ctx, stack, o, t);
  const released = await releaseNamed(s, o.releaseData ?? []);
  if (released.length > 0) t.set({ message: `released by --release-data: ${released.join(', ')}` });
  // A switch of site template: first with a quota that admits both sites, then with the new one's.
  const outside = opensidOutside(ctx, stack);
  const from = siteSwitch(before, unit, { opensidOutside: outside });
  const twoSteps = from
    ? {
        first: async () => {
          await writeConfig(s, { [TRANSITION_KEY]: from });
          t.set({ message: `site ${from} → ${footprintOf(unit, { opensidOutside: outside })}: the quota admits both until the old one is gone` });
        },
        second: () => unsetConfig(s, [TRANSITION_KEY]),
      }
    : undefined;
  const r = warned(ctx, stack, await update(ctx, stack, t, o, before, s, { protectedData: { slug: unit.slug }, ...(twoSteps ? { twoSteps } : {}) }));
  const after = r.result === 'succeeded' && ctx.store ? (await stateOf(ctx, stack))?.manifest?.time : undefined;
  if (after) await writeRecord(ctx.store, stack, { fingerprint: inputsNow(), stateTime: after, cluster });
  return r;
}

/**
 * What the namespace runs before this update when the unit now asks for another site footprint: the
 * first update of the switch then admits both. Seen from the state (file backends): the site workloads
 * in it (OpenSID served outside the cluster runs none here), against what the unit asks for with the
 * stack's settings (`opensidOutside`). Null otherwise: nothing ran before, or a stack that never ran.
 */
export function siteSwitch(state: Deployment | null | undefined, unit: Unit, o: { opensidOutside?: boolean } = {}): Footprint | null {
  const resources = state?.resources ?? [];
  const root = resources.find((r) => r.type === 'pulumi:pulumi:Stack');
  if (typeof root?.outputs?.siteTemplate !== 'string') return null;
  const running = siteWorkloads(resources);
  // Nothing ran (no site, an external one, OpenSID outside): any footprint's quota admits that already.
  const before: Footprint | null = running.includes('opensid') ? 'opensid' : running.includes('profil') ? 'profil' : null;
  return before && before !== footprintOf(unit, o) ? before : null;
}

/** Whether the stack's settings (its settings file, as this run wrote it) serve OpenSID outside the cluster. */
function opensidOutside(ctx: Context, stack: string): boolean {
  try {
    return stackSettings(ctx.dirs, stack, ctx.target.config).opensid.mode === 'existing';
  } catch {
    // Settings the program cannot read: it fails on them itself, with the cause.
    return false;
  }
}

/** Whether --release-data names a protected resource of this stack's state (file backends; otherwise assumed). */
function releases(ctx: Context, stack: string, names: readonly string[] = []): boolean {
  if (names.length === 0) return false;
  if (!ctx.backendDir) return true;
  return protectedNames(ctx.backendDir, stack).some((n) => names.includes(n));
}

/** The Pulumi names of the protected resources in a stack's checkpoint (file backend). */
function protectedNames(backendDir: string, stack: string): string[] {
  try {
    return managedResources(readCheckpoint(backendDir, stack)?.checkpoint?.latest?.resources ?? []).filter((r) => r.protect && r.urn).map((r) => resourceOf(r.urn!).name);
  } catch {
    return [];
  }
}

/** --release-data must name protected resources of the stacks this run updates: a usage error otherwise (file backends). */
function checkReleases(ctx: Context, stacks: readonly string[], names: readonly string[]): void {
  if (names.length === 0 || !ctx.backendDir) return;
  const known = new Set(stacks.flatMap((s) => protectedNames(ctx.backendDir!, s)));
  const unknown = names.filter((n) => !known.has(n));
  if (unknown.length > 0) {
    throw new AbortError(`--release-data ${unknown.join(' ')}: no protected resource of that name in the stacks of ${stacks.length === 1 ? stacks[0] : 'this run'}.`, {
      exitCode: EXIT.usage,
      nextStep: 'Name what a failed `desa up` or `desa plan` said it would delete (its Pulumi name, such as lambangjaya-site-opensid-files).',
    });
  }
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
  checkReleases(ctx, desas, o.releaseData ?? []);
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
