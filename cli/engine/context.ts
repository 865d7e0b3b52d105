// What every verb (up, plan, destroy, rotate) shares: the options, the context prepared once (the
// inventory validated before anything starts, the engine, the program, the target opened), opening a
// stack ready to run, running one operation with progress, and handing the outcome to the target.
import type { PulumiFn, Stack } from '@pulumi/pulumi/automation/index.js';
import { loadInventory } from '../../core/inventory/load.ts';
import type { Inventory } from '../../core/inventory/model.ts';
import { type StateDirs, stateDirs } from '../paths.ts';
import { AbortError, OperationFailedError } from '../../core/errors.ts';
import { type Engine, engineError, findEngine, openStack, type Outcome, recover, runOperation, unsetConfig, writeConfig } from './automation.ts';
import { stateResources } from './state-resources.ts';
import { describeHolder, holdersInError, isLockError, liveHolders, type LockHolder, StackLockedError } from './locks.ts';
import { type BackendStore, storeOf } from './backend-store.ts';
import { lockHoldersIn, stackExists } from './backend-state.ts';
import { backendFor, type Deployment, managedResources, readCheckpoint } from './checkpoint.ts';
import { CLUSTER_KEY, clusterChange, recordedIdentity } from './identity.ts';
import { resourceOf, type Step, stepWarnings } from './diagnostics.ts';
import { blockedCause, describeProtected, type ProtectedData, releaseEmptyClaims } from './release.ts';
import { keepFailureLogs } from './failure-log.ts';
import type { Changes, Operation, ProgressListener } from './progress.ts';
import type { RunSummary, StackResult, Tracker } from './run-loop.ts';
import { selectStacks } from './selection.ts';
import type { Shard } from './shard.ts';
import type { OpenedTarget, Target } from './target.ts';

export interface EngineOptions<X extends object = object> {
  /** desa.yaml, absolute. */
  file: string;
  only: string[];
  concurrency: number;
  /** Where the stacks go: chosen by the command (a named cluster, or the local one). */
  target: Target<X>;
  env: NodeJS.ProcessEnv;
  /** Aborted on Ctrl-C: no new stack starts, running ones are asked to stop. */
  signal?: AbortSignal;
  listener?: ProgressListener;
  /** Seconds to wait for a stack another run holds before giving up (default 300; 0: refuse at once). */
  lockWait?: number;
  /** This runner's share of the desa stacks (shard.ts); all of them when absent. */
  shard?: Shard;
}

export const DEFAULT_LOCK_WAIT = 300;

/** The stack config key that makes one update replace generated credentials (stacks/settings.ts `rotate`). */
export const ROTATE_KEY = 'desa:rotate';

/** The stack config key that sizes a desa's quota for a switch of site template, for one update (up.ts, stacks/settings.ts). */
export const TRANSITION_KEY = 'desa:siteTransition';

/** What every verb needs: the inventory, where state lives, the engine, the program and the opened target. */
export interface Context<X extends object = object> {
  inventory: Inventory;
  dirs: StateDirs;
  engine: Engine;
  program: PulumiFn;
  target: OpenedTarget<X>;
  /** The file backend's directory (lock files, checkpoints); null for other backends. */
  backendDir: string | null;
  /** The backend's objects, read directly (a folder or an S3 bucket: backend-store.ts); null for others. */
  store: BackendStore | null;
}

export async function prepare<X extends object>(o: EngineOptions<X>, check: (inventory: Inventory) => void = (inv) => void selectStacks(inv, o.only)): Promise<Context<X>> {
  // Validate everything the user typed before anything runs (or a local cluster starts).
  const inventory = loadInventory(o.file).inventory;
  check(inventory);
  const dirs = stateDirs(o.file, o.env);
  const engine = await findEngine(o.env);
  const opened = await o.target.open(inventory, dirs);
  // Every stack records the cluster it is applied to (identity.ts): in its config, so in its fingerprint.
  const target = opened.identity ? { ...opened, config: { ...opened.config, [CLUSTER_KEY]: opened.identity } } : opened;
  // Loaded when a program first runs (@pulumi/kubernetes is large, 0.3 s): a no-change run opens no stack.
  const program: PulumiFn = async () => (await import('../../stacks/index.ts')).default();
  const backend = backendFor(o.file, o.env);
  return { inventory, dirs, engine, program, target, backendDir: backend.kind === 'file' ? backend.dir : null, store: await storeOf(backend, o.env) };
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
  });

/**
 * Waits, up to `deadline`, while a live run holds the stack (the lock objects of a file or S3 backend; a
 * lock whose process is gone is left to recover()), saying who in the stack's progress; then a
 * StackLockedError. Other backends are not read here: `seen` (what the engine's error named) is waited on once, and the
 * caller asks the engine again.
 */
async function waitForLock(ctx: Context, name: string, o: EngineOptions, t: Tracker, deadline: number, seen: LockHolder[] = []): Promise<void> {
  const start = Date.now();
  for (;;) {
    const live = ctx.store === null ? seen : liveHolders(await lockHoldersIn(ctx.store, name));
    if (live.length === 0) return;
    if (Date.now() >= deadline || o.signal?.aborted) throw new StackLockedError(name, live, { waited: Math.round((Date.now() - start) / 1000) });
    if (!t.p.message?.startsWith('waiting for')) t.set({ message: `waiting for another run that holds it: ${describeHolder(live[0]!)}` });
    await sleep(ctx.store === null ? 2000 : 500, o.signal);
    if (ctx.store === null) return;
  }
}

/** A failure of the engine as a one-line error: another run holding the stack says who. */
function engineFailure(e: unknown, name: string): Error {
  if (e instanceof AbortError) return e;
  const text = e instanceof Error ? e.message : String(e);
  if (isLockError(text)) return new StackLockedError(name, holdersInError(text), { waited: 0, detail: text });
  return new OperationFailedError(engineError(e), undefined, text);
}

/** Opens a stack with its config written, a run that holds it waited for, and a killed run's leftovers recovered. */
export async function open(ctx: Context, name: string, o: EngineOptions, t: Tracker, extraEnv?: Record<string, string>): Promise<Stack> {
  t.set({ phase: 'preparing' });
  const deadline = Date.now() + (o.lockWait ?? DEFAULT_LOCK_WAIT) * 1000;
  try {
    const exists = ctx.store === null ? undefined : await stackExists(ctx.store, name);
    const stack = await openStack({ stack: name, dirs: ctx.dirs, engine: ctx.engine, program: ctx.program, env: o.env, ...(extraEnv ? { extraEnv } : {}), ...(exists === undefined ? {} : { exists }) });
    await writeConfig(stack, ctx.target.config);
    // A rotation is for the one update `desa rotate` runs, a transition for the first update of a template
    // switch; one that was interrupted must not repeat.
    await unsetConfig(stack, [ROTATE_KEY, TRANSITION_KEY]);
    // Never recover a stack another run is working on: the operations it has pending are its own.
    await waitForLock(ctx, name, o, t, deadline);
    const recovered = await recover(stack, ctx.store, o.signal);
    if (recovered) t.set({ message: recovered });
    return stack;
  } catch (e) {
    throw engineFailure(e, name);
  }
}

/** The latest deployment of a stack in a file backend (no CLI process); undefined otherwise or when unreadable. */
export function latestState(ctx: Context, stack: string): (Deployment & { pending_operations?: unknown[] }) | undefined {
  try {
    return ctx.backendDir ? (readCheckpoint(ctx.backendDir, stack)?.checkpoint?.latest ?? undefined) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Why the stack must be refreshed before its update: its state was applied to another cluster than this
 * run's (identity.ts). Read from the file backend's checkpoint, or through the engine for other backends.
 */
export async function staleCluster(ctx: Context, d: Deployment | undefined, s?: Stack): Promise<string | null> {
  if (!ctx.target.identity) return null;
  const deployment = d ?? (ctx.backendDir === null && s ? ((await s.exportStack()).deployment as Deployment) : undefined);
  const resources = deployment?.resources ?? [];
  const root = resources.find((r) => r.type === 'pulumi:pulumi:Stack');
  return clusterChange(recordedIdentity(root?.outputs), ctx.target.identity, managedResources(resources).length > 0);
}

export interface OperateExtra {
  /** up: refresh the state from the cluster first. */
  refresh?: boolean;
  /** destroy: keep protected resources (the desa's data). */
  excludeProtected?: boolean;
  /**
   * A desa's update or preview (its slug): when the change fails because it would delete protected
   * data, a claim that never bound is released (an update then runs again; a preview says `up` will),
   * and what holds data is said in words with the flag that releases it (release.ts).
   */
  protectedData?: { slug: string };
  /**
   * An update in two steps (a site template switch, up.ts): `first` before the first update, `second`
   * after it, whatever its outcome; the second update runs only when the first succeeded.
   */
  twoSteps?: { first: () => Promise<void>; second: () => Promise<void> };
}

/** The changes of two updates of one stack, one after the other. */
const addChanges = (a: Changes | null, b: Changes | null): Changes | null =>
  a && b ? { create: a.create + b.create, update: a.update + b.update, delete: a.delete + b.delete, same: b.same } : (b ?? a);

/**
 * Runs `op` on an opened stack, counting finished resources into the tracker. When another run took the
 * stack meanwhile, each run of the engine waits for it (up to --lock-wait) and runs again; past that, the
 * error names it.
 */
export async function operate(ctx: Context, stack: Stack, op: Operation, t: Tracker, o: EngineOptions, extra: OperateExtra = {}): Promise<StackResult> {
  const deadline = Date.now() + (o.lockWait ?? DEFAULT_LOCK_WAIT) * 1000;
  const { protectedData, twoSteps, ...hooks } = extra;
  const run = async (): Promise<Outcome> => {
    for (;;) {
      t.set({ phase: 'running' });
      let done = 0;
      const r = await runOperation(stack, op, {
        ...hooks,
        ...(o.signal ? { signal: o.signal } : {}),
        onEvent: (e) => {
          if (e.resOutputsEvent && !e.resOutputsEvent.metadata.type.startsWith('pulumi:')) t.set({ resourcesDone: ++done, message: undefined });
        },
      });
      if (r.ok || r.cancelled || !isLockError(r.detail)) return r;
      const named = holdersInError(r.detail);
      try {
        if (Date.now() >= deadline) throw new StackLockedError(stack.name, named, { waited: 0 });
        await waitForLock(ctx, stack.name, o, t, deadline, named.length > 0 ? named : [{ pid: null }]);
      } catch (e) {
        const l = e instanceof StackLockedError ? e : new StackLockedError(stack.name, named, { waited: 0 });
        return { ...r, error: l.message, cause: [l.message, ...(l.nextStep ? [l.nextStep] : [])], detail: `${l.nextStep}\n\n${r.detail}`, protectedDeletes: [] };
      }
    }
  };
  await twoSteps?.first();
  let r = await run();
  let steps = r.steps;
  let note: string | undefined;
  let blocked: ProtectedData[] = [];
  if (!r.ok && !r.cancelled && protectedData && r.protectedDeletes.length > 0) {
    if (op === 'preview') {
      // A preview changes nothing, not even a flag: it says what `up` will release.
      const data = describeProtected(await stateResources(stack), r.protectedDeletes);
      if (data.every((d) => d.neverBound)) {
        const deletes: Step[] = data.map((d) => ({ ...resourceOf(d.urn), op: 'delete' }));
        const changes = r.changes ?? { create: 0, update: 0, delete: 0, same: 0 };
        note = `\`desa up\` releases ${data.map((d) => d.what).join('; ')}, and deletes it`;
        return { ...t.end('succeeded', { changes: { ...changes, delete: changes.delete + deletes.length }, steps: [...steps, ...deletes] }), note };
      }
      blocked = data;
    } else {
      const { released, held } = await releaseEmptyClaims(stack, r.protectedDeletes, o.signal);
      if (released.length > 0) {
        note = `released ${released.map((d) => d.what).join('; ')}`;
        t.set({ message: note });
        r = await run();
        steps = [...steps, ...r.steps];
        if (!r.ok && r.protectedDeletes.length > 0) blocked = describeProtected(await stateResources(stack), r.protectedDeletes);
      } else blocked = held;
    }
  }
  if (twoSteps) {
    await twoSteps.second();
    if (r.ok) {
      const second = await run();
      steps = [...steps, ...second.steps];
      r = { ...second, changes: addChanges(r.changes, second.changes) } as typeof second;
    }
  }
  const with_ = (x: StackResult): StackResult => ({ ...x, ...(note ? { note } : {}), ...(blocked.length > 0 ? { protectedData: blocked } : {}) });
  if (r.ok) return with_(t.end('succeeded', { changes: r.changes, steps }));
  if (r.cancelled) return with_(t.end('cancelled', { changes: r.changes, error: r.error, detail: r.detail, steps }));
  const blockedBy = blocked.filter((d) => !d.neverBound);
  const { error, cause } = blockedBy.length > 0 ? blockedCause(protectedData!.slug, blocked, op === 'preview') : { error: r.error, cause: r.cause.join('\n') };
  return with_(t.end('failed', { changes: r.changes, error, cause, detail: r.detail, steps }));
}

/** A desa stack's result with what its steps mean for people: a mailbox removed keeps its Maildir (diagnostics.ts). */
export function warned(ctx: Context, stack: string, r: StackResult): StackResult {
  const unit = ctx.inventory.units.find((u) => u.stack === stack);
  if (!unit || !r.steps) return r;
  const warnings = stepWarnings(r.steps, { slug: unit.slug, domain: ctx.inventory.kabupaten.domain, planned: r.operation === 'preview' });
  return warnings.length > 0 ? { ...r, warnings } : r;
}

/** Existing stacks and their resource counts (one CLI call), through any opened stack's workspace. */
export async function existingStacks(stack: Stack): Promise<Map<string, number>> {
  const list = await stack.workspace.listStacks();
  return new Map(list.map((s) => [s.name, s.resourceCount ?? 0]));
}

/** The summary with the log of every failed stack kept (failure-log.ts) and what the target adds to every run (plan: no more than that). */
export function withTarget<X extends object>(ctx: Context<X>, s: RunSummary): RunSummary & Partial<X> {
  return { ...keepFailureLogs(ctx.dirs.work, s), ...ctx.target.extras };
}

/**
 * After up, destroy or rotate: the target gets the outcome (the local one applies what the stacks left in
 * the cluster to its servers). It runs even when some stacks failed, for the ones that did not; its
 * failure fails the run.
 */
export async function finish<X extends object>(ctx: Context<X>, s: RunSummary, deleteData: readonly string[] = []): Promise<RunSummary & Partial<X>> {
  const out = withTarget(ctx, s);
  if (!ctx.target.finish || s.interrupted) return out;
  const r = await ctx.target.finish({ verb: s.verb, summary: out, inventory: ctx.inventory, dirs: ctx.dirs, config: ctx.target.config, deleteData });
  return { ...out, ...r.extras, ok: s.ok && r.ok };
}
