// `desa up`: the platform, then each selected desa; without --only, the stacks of desa gone from
// desa.yaml are destroyed with their data kept. A desa whose inputs and state are those of its last
// successful update is not run (fingerprint.ts).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Stack } from '@pulumi/pulumi/automation/index.js';
import { PLATFORM_STACK } from '../../core/inventory/model.ts';
import { AbortError, EXIT } from '../../core/errors.ts';
import { lockHeld, managedResources, readCheckpoint } from './checkpoint.ts';
import { resourceOf } from './diagnostics.ts';
import { releaseNamed } from './release.ts';
import type { Unit } from '../../core/inventory/model.ts';
import { type Footprint, footprintOf } from '../../stacks/desa/sizing.ts';
import { unsetConfig, writeConfig } from './automation.ts';
import { type Context, type EngineOptions, existingStacks, finish, open, operate, prepare, TRANSITION_KEY, warned } from './context.ts';
import { codeHash, fingerprint, forgetLastUpdate, readLastUpdate, unchanged, writeLastUpdate } from './fingerprint.ts';
import { offboardJob } from './offboard.ts';
import { type Job, type RunSummary, runAll, type StackResult, type Tracker } from './run-loop.ts';
import { orphanStacks, selectStacks } from './selection.ts';

export interface UpOptions<X extends object = object> extends EngineOptions<X> {
  /** Refresh each stack's state from the cluster before updating it. */
  refresh?: boolean;
  /** Protected resources (Pulumi names) the update may delete: data the user chose to let go (release.ts). */
  releaseData?: string[];
}

/** One desa's update, or no run at all when its inputs and state are those of its last successful update. */
async function upDesa(ctx: Context, stack: string, t: Tracker, o: UpOptions, code: string): Promise<StackResult> {
  const extra = o.refresh ? { refresh: true } : {};
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
  const stateOf = () => {
    try {
      return ctx.backendDir ? readCheckpoint(ctx.backendDir, stack)?.checkpoint?.latest : undefined;
    } catch {
      return undefined;
    }
  };
  const before = stateOf();
  const current = {
    fingerprint: inputsNow(),
    stateTime: before?.manifest?.time ?? null,
    pending: before?.pending_operations?.length ?? 0,
    locked: ctx.backendDir === null || lockHeld(ctx.backendDir, stack),
  };
  if (!o.refresh && !releases(ctx, stack, o.releaseData) && unchanged(readLastUpdate(workDir), current)) {
    const same = managedResources(before?.resources ?? []).length;
    return { ...t.end('succeeded', { changes: { create: 0, update: 0, delete: 0, same } }), unchangedInputs: true };
  }
  forgetLastUpdate(workDir);
  const s = await open(ctx, stack, o, t);
  const released = await releaseNamed(s, o.releaseData ?? []);
  if (released.length > 0) t.set({ message: `released by --release-data: ${released.join(', ')}` });
  // A switch of site template: first with a quota that admits both sites, then with the new one's.
  const from = siteSwitch(before, unit);
  const twoSteps = from
    ? {
        first: async () => {
          await writeConfig(s, { [TRANSITION_KEY]: from });
          t.set({ message: `site ${from} → ${footprintOf(unit)}: the quota admits both until the old one is gone` });
        },
        second: () => unsetConfig(s, [TRANSITION_KEY]),
      }
    : undefined;
  const r = warned(ctx, stack, await operate(s, 'up', t, o, { ...extra, protectedData: { slug: unit.slug }, ...(twoSteps ? { twoSteps } : {}) }));
  const after = stateOf()?.manifest?.time;
  if (r.result === 'succeeded' && after) writeLastUpdate(workDir, { fingerprint: inputsNow(), stateTime: after });
  return r;
}

/**
 * What the namespace runs before this update when the unit now asks for another site footprint (from
 * the state's outputs, file backends): the first update of the switch then admits both. Null otherwise.
 */
export function siteSwitch(state: { resources?: { type?: string; outputs?: Record<string, unknown> }[] } | null | undefined, unit: Unit): Footprint | null {
  const root = state?.resources?.find((r) => r.type === 'pulumi:pulumi:Stack');
  const was = root?.outputs?.siteTemplate;
  if (typeof was !== 'string') return null;
  const before: Footprint = was === 'profil' || was === 'opensid' ? was : 'none';
  return before !== footprintOf(unit) ? before : null;
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

export async function up<X extends object>(o: UpOptions<X>): Promise<RunSummary & Partial<X>> {
  const ctx = await prepare(o);
  const desas = selectStacks(ctx.inventory, o.only);
  checkReleases(ctx, desas, o.releaseData ?? []);
  let existing = new Map<string, number>();
  let platformStack: Stack | undefined;
  const platform: Job = {
    stack: PLATFORM_STACK,
    operation: 'up',
    run: async (t) => {
      platformStack = await open(ctx, PLATFORM_STACK, o, t);
      existing = await existingStacks(platformStack);
      return operate(platformStack, 'up', t, o, o.refresh ? { refresh: true } : {});
    },
  };
  const code = codeHash();
  const jobs = (): Job[] => [
    ...desas.map((stack): Job => ({ stack, operation: 'up', run: (t) => upDesa(ctx, stack, t, o, code) })),
    ...(o.only.length === 0 ? orphanStacks(ctx.inventory, [...existing.keys()]).map((stack) => offboardJob(ctx, stack, o, false)) : []),
  ];
  return finish(ctx, await runAll('up', o, platform, jobs, () => existing));
}
