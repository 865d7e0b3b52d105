// The platform stack in `desa up`: skipped by the same rule as a desa (fingerprint.ts) when its inputs
// (the whole inventory, its config and settings, the code, the cluster) and its state are those of its
// last successful update, so a no-change run starts no engine at all; and, in a sharded run
// (shard.ts), put in place by shard 1 while every other shard waits for it.
//
// What "in place" means for a shard other than 1: the platform's record in the shared backend
// (records.ts) names exactly this run's platform fingerprint, its state is the one that update left, no
// run holds it and nothing is pending: the very condition under which shard 1 itself would skip it. Not
// "updated after this shard started": runners of a CI matrix start minutes apart, and shard 1 may find
// nothing to do and update nothing. A record of other inputs (an older commit, another desa.yaml) is not
// in place, so a shard never runs its desa against a platform made from something else. The wait is
// bounded by --lock-wait and says what it waits for.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { OperationFailedError } from '../../core/errors.ts';
import { PLATFORM_STACK } from '../../core/inventory/model.ts';
import { listingWorkspace } from './automation.ts';
import { latestIn, type Latest, lockHoldersIn, stackNames } from './backend-state.ts';
import type { Context, EngineOptions } from './context.ts';
import { fingerprint, type LastUpdate, unchanged } from './fingerprint.ts';
import { describeHolder } from './locks.ts';
import { handSettings, readRecord } from './records.ts';
import type { Tracker } from './run-loop.ts';

/** The fingerprint of a stack's inputs besides the inventory: config, settings set by hand, code. */
export function settingsOf(ctx: Context, stack: string): Record<string, unknown> {
  const file = join(ctx.dirs.work, stack, `Pulumi.${stack}.yaml`);
  return handSettings(existsSync(file) ? readFileSync(file, 'utf8') : null, ctx.target.config);
}

/** The platform program reads the whole inventory: any change to it is a change of the platform's inputs. */
export function platformFingerprint(ctx: Context, code: string): string {
  const { kabupaten, programmes, units } = ctx.inventory;
  return fingerprint({ stack: PLATFORM_STACK, kabupaten, programmes, units, config: ctx.target.config, settings: settingsOf(ctx, PLATFORM_STACK), code });
}

export interface StackNow {
  state: Latest | undefined;
  record: LastUpdate | null;
  /** The stack may be skipped: fingerprint.ts `unchanged`. */
  unchanged: boolean;
  locked: boolean;
}

/** A stack's latest deployment in the store (undefined without a store, or without state). */
export const stateOf = (ctx: Context, stack: string): Promise<Latest | undefined> => (ctx.store ? latestIn(ctx.store, stack) : Promise.resolve(undefined));

/** A stack's state, lock and record in the store, against the fingerprint of this run's inputs. */
export async function stackNow(ctx: Context, stack: string, inputs: string): Promise<StackNow> {
  if (!ctx.store) return { state: undefined, record: null, unchanged: false, locked: true };
  const [state, holders, record] = await Promise.all([latestIn(ctx.store, stack), lockHoldersIn(ctx.store, stack), readRecord(ctx.store, stack)]);
  const current = {
    fingerprint: inputs,
    stateTime: state?.manifest?.time ?? null,
    pending: state?.pending_operations?.length ?? 0,
    locked: holders.length > 0,
    cluster: ctx.target.identity?.uid ?? null,
  };
  return { state, record, unchanged: unchanged(record, current), locked: current.locked };
}

/** The stacks in the backend (for the stacks of desa gone from desa.yaml): the store, else the engine. */
export async function listStacks(ctx: Context, env: NodeJS.ProcessEnv): Promise<string[]> {
  if (ctx.store) return stackNames(ctx.store);
  const ws = await listingWorkspace(ctx.dirs, ctx.engine, env);
  return (await ws.listStacks()).map((s) => s.name.split('/').at(-1)!);
}

/** What a shard other than 1 says while the platform is not in place for its inputs. */
export function waitingFor(now: StackNow, holder: string | null): string {
  if (holder) return `waiting for shard 1 to put the platform stack in place: it is being updated by ${holder}`;
  if (!now.state) return 'waiting for shard 1 to put the platform stack in place: it has no state yet';
  if (!now.record) return 'waiting for shard 1 to put the platform stack in place: its last update is not recorded as succeeded';
  return 'waiting for shard 1 to put the platform stack in place: its last update was made from other inputs (another commit, desa.yaml or config)';
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
  });

/**
 * A shard other than 1: waits, up to --lock-wait, until the platform stack is in place for this run's
 * inputs (see the top of this file), then goes on; past that, the platform fails for this shard (its
 * desa are skipped), saying what it found.
 */
export async function waitForPlatform(ctx: Context, code: string, o: EngineOptions, t: Tracker, pollMs = 2000): Promise<void> {
  const start = Date.now();
  const deadline = start + (o.lockWait ?? 300) * 1000;
  t.set({ phase: 'preparing' });
  for (;;) {
    const now = await stackNow(ctx, PLATFORM_STACK, platformFingerprint(ctx, code));
    if (now.unchanged) return;
    const holders = now.locked && ctx.store ? await lockHoldersIn(ctx.store, PLATFORM_STACK) : [];
    const why = waitingFor(now, holders[0] ? describeHolder(holders[0]) : null);
    if (Date.now() >= deadline || o.signal?.aborted) {
      throw new OperationFailedError(
        `the platform stack is not in place for this run after ${Math.round((Date.now() - start) / 1000)}s (${why.replace(/^waiting for shard 1 to put the platform stack in place: /, '')}); no desa of this shard was run.`,
        'Every shard must run the same commit, desa.yaml and flags; shard 1 runs the platform stack. Run shard 1 (or `desa up` without --shard), then this shard again; --lock-wait SECONDS waits longer.',
      );
    }
    if (t.p.message !== why) t.set({ message: why });
    await sleep(pollMs, o.signal);
  }
}
