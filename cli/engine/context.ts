// What every verb (up, plan, destroy, rotate) shares: the options, the context prepared once (the
// inventory validated before anything starts, the engine, the program, the target opened), opening a
// stack ready to run, running one operation with progress, and handing the outcome to the target.
import type { PulumiFn, Stack } from '@pulumi/pulumi/automation/index.js';
import { loadInventory } from '../../core/inventory/load.ts';
import type { Inventory } from '../../core/inventory/model.ts';
import { type StateDirs, stateDirs } from '../paths.ts';
import { type Engine, findEngine, openStack, recover, runOperation, unsetConfig, writeConfig } from './automation.ts';
import { backendFor } from './checkpoint.ts';
import { stepWarnings } from './diagnostics.ts';
import { keepFailureLogs } from './failure-log.ts';
import type { Operation, ProgressListener } from './progress.ts';
import type { RunSummary, StackResult, Tracker } from './run-loop.ts';
import { selectStacks } from './selection.ts';
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
}

/** The stack config key that makes one update replace generated credentials (stacks/settings.ts `rotate`). */
export const ROTATE_KEY = 'desa:rotate';

/** What every verb needs: the inventory, where state lives, the engine, the program and the opened target. */
export interface Context<X extends object = object> {
  inventory: Inventory;
  dirs: StateDirs;
  engine: Engine;
  program: PulumiFn;
  target: OpenedTarget<X>;
  /** The file backend's directory (lock files, checkpoints); null for other backends. */
  backendDir: string | null;
}

export async function prepare<X extends object>(o: EngineOptions<X>, check: (inventory: Inventory) => void = (inv) => void selectStacks(inv, o.only)): Promise<Context<X>> {
  // Validate everything the user typed before anything runs (or a local cluster starts).
  const inventory = loadInventory(o.file).inventory;
  check(inventory);
  const dirs = stateDirs(o.file, o.env);
  const engine = await findEngine(o.env);
  const target = await o.target.open(inventory, dirs);
  // Loaded here, once the inventory is valid and the engine found: @pulumi/kubernetes is large.
  const program = (await import('../../stacks/index.ts')).default;
  const backend = backendFor(o.file, o.env);
  return { inventory, dirs, engine, program, target, backendDir: backend.kind === 'file' ? backend.dir : null };
}

/** Opens a stack with its config written and a killed run's leftovers recovered. */
export async function open(ctx: Context, name: string, o: EngineOptions, t: Tracker, extraEnv?: Record<string, string>): Promise<Stack> {
  t.set({ phase: 'preparing' });
  const stack = await openStack({ stack: name, dirs: ctx.dirs, engine: ctx.engine, program: ctx.program, env: o.env, ...(extraEnv ? { extraEnv } : {}) });
  await writeConfig(stack, ctx.target.config);
  // A rotation is for the one update `desa rotate` runs; one that was interrupted must not repeat.
  await unsetConfig(stack, [ROTATE_KEY]);
  const recovered = await recover(stack, ctx.backendDir, o.signal);
  if (recovered) t.set({ message: recovered });
  return stack;
}

/** Runs `op` on an opened stack, counting finished resources into the tracker. */
export async function operate(stack: Stack, op: Operation, t: Tracker, o: EngineOptions, extra: { refresh?: boolean; excludeProtected?: boolean } = {}): Promise<StackResult> {
  t.set({ phase: 'running' });
  let done = 0;
  const r = await runOperation(stack, op, {
    ...extra,
    ...(o.signal ? { signal: o.signal } : {}),
    onEvent: (e) => {
      if (e.resOutputsEvent && !e.resOutputsEvent.metadata.type.startsWith('pulumi:')) t.set({ resourcesDone: ++done, message: undefined });
    },
  });
  if (r.ok) return t.end('succeeded', { changes: r.changes, steps: r.steps });
  return t.end(r.cancelled ? 'cancelled' : 'failed', { changes: r.changes, error: r.error, cause: r.cause.join('\n'), detail: r.detail, steps: r.steps });
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
