// The engine services behind `desa up`, `desa plan` and `desa destroy`: the platform stack first, then the
// desa stacks with bounded concurrency. A failing desa does not stop the others; the platform failing
// stops everything; an interrupt stops scheduling and asks running stacks to stop cleanly. Progress goes
// to a listener (cli/engine/progress.ts); results come back as data. The pure parts (selection, the
// worker pool, orphans) are exported for unit tests; the engine calls are in workspace.ts.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { PulumiFn, Stack } from '@pulumi/pulumi/automation/index.js';
import { AbortError, EXIT } from '../../core/errors.ts';
import type { Inventory } from '../../core/inventory/model.ts';
import { PLATFORM_STACK } from '../../core/inventory/model.ts';
import { findByName } from '../../core/inventory/lookup.ts';
import { type StateDirs, stateDirs } from '../paths.ts';
import { backendFor, managedResources, readFileBackend } from './state.ts';
import type { Changes, Operation, ProgressListener, StackPhase, StackProgress } from './progress.ts';
import type { Engine } from './workspace.ts';

export interface EngineOptions {
  /** desa.yaml, absolute. */
  file: string;
  only: string[];
  concurrency: number;
  kubeconfig?: string;
  context?: string;
  env: NodeJS.ProcessEnv;
  /** Aborted on Ctrl-C: no new stack starts, running ones are asked to stop. */
  signal?: AbortSignal;
  listener?: ProgressListener;
}

export interface UpOptions extends EngineOptions {
  /** Refresh each stack's state from the cluster before updating it. */
  refresh?: boolean;
}

export interface DestroyOptions extends EngineOptions {
  /** Also delete the namespace, volumes and bucket claim (otherwise kept), and remove the stack. */
  deleteData?: boolean;
}

export type Verb = 'up' | 'plan' | 'destroy';

export interface StackResult {
  stack: string;
  operation: Operation;
  result: 'succeeded' | 'failed' | 'skipped' | 'cancelled';
  changes: Changes | null;
  seconds: number;
  error?: string;
  /** Something the user should know besides the changes ("not in desa.yaml: destroyed, data kept"). */
  note?: string;
  /** Not run: its inputs and its state are those of its last successful update (cli/engine/fingerprint.ts). */
  unchangedInputs?: true;
}

export interface RunSummary {
  verb: Verb;
  ok: boolean;
  interrupted: boolean;
  stacks: StackResult[];
  /** The local cluster's kubeconfig when the run used it (no --kubeconfig/--context). */
  localKubeconfig?: string;
  /** What the services sync applied to the local servers (local cluster only), or why it failed. */
  services?: import('../services/sync.ts').SyncReport | { error: string };
}

/** The stack config key that makes one update replace generated credentials (stacks/settings.ts `rotate`). */
export const ROTATE_KEY = 'desa:rotate';

/** The desa stacks to run: every unit, or those named by `only` (slug or stack name), in inventory order. */
export function selectStacks(inventory: Inventory, only: string[], extra: readonly string[] = []): string[] {
  const all = inventory.units.map((u) => u.stack);
  if (only.length === 0) return all;
  const nextStep = 'Run `desa validate` to list the slugs, or `desa status` for the stacks.';
  for (const s of only) findByName(inventory, s, { others: extra, flag: '--only', nextStep });
  const wanted = new Set(only);
  const fromInventory = inventory.units.filter((u) => wanted.has(u.slug) || wanted.has(u.stack)).map((u) => u.stack);
  return [...fromInventory, ...extra.filter((s) => wanted.has(s))];
}

/** Stacks in the backend whose desa is no longer in the inventory (never the platform). */
export function orphanStacks(inventory: Inventory, existing: readonly string[]): string[] {
  const wanted = new Set(inventory.units.map((u) => u.stack));
  return existing.filter((s) => s !== PLATFORM_STACK && !wanted.has(s)).sort();
}

/** Runs `work` over `items`, at most `limit` at a time, until `stop()` says so; results in the order of `items`. */
export async function pool<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>, stopped: (item: T) => R | null = () => null): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      const item = items[i]!;
      out[i] = stopped(item) ?? (await work(item));
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return out;
}

/**
 * Stack config for the local cluster `desa cluster up` runs: every platform service is "existing", the
 * loopback servers beside the cluster (mail, DNS, web, and S3 at `s3Endpoint`) standing in for them.
 */
export function localClusterConfig(inventory: string, kubeconfig: string, s3Endpoint = 'http://127.0.0.1:7070'): Record<string, unknown> {
  return {
    'desa:inventory': inventory,
    'desa:customResources': false,
    'desa:ingress': { mode: 'existing', publishesStatus: false },
    'desa:tls': { certManager: 'existing' },
    'desa:dns': { mode: 'existing' },
    'desa:mail': { mode: 'existing' },
    'desa:storage': { mode: 'existing', endpoint: s3Endpoint },
    'kubernetes:kubeconfig': kubeconfig,
  };
}

/** Follows one stack's run and reports a fresh snapshot to the listener on every change. */
export class Tracker {
  readonly p: StackProgress;
  /** performance.now() when the stack left the queue. */
  private t0: number | null = null;
  private readonly listener: ProgressListener | undefined;
  constructor(stack: string, operation: Operation, expected: number | null, listener: ProgressListener | undefined) {
    this.listener = listener;
    this.p = { stack, operation, phase: 'queued', resourcesDone: 0, resourcesExpected: expected, startedAt: null, endedAt: null, changes: null };
  }
  /** Seconds since the stack left the queue (0 for one that never did). */
  seconds(): number {
    return this.t0 === null ? 0 : Math.round((performance.now() - this.t0) / 100) / 10;
  }
  set(change: Partial<StackProgress>): void {
    Object.assign(this.p, change);
    if (this.p.startedAt === null && this.p.phase !== 'queued' && this.p.phase !== 'skipped') {
      this.p.startedAt = Date.now();
      this.t0 = performance.now();
    }
    if (['succeeded', 'failed', 'skipped', 'cancelled'].includes(this.p.phase)) this.p.endedAt = Date.now();
    this.listener?.({ ...this.p });
  }
  end(phase: StackPhase & StackResult['result'], change: Partial<StackProgress> = {}): StackResult {
    this.set({ ...change, phase });
    const { stack, operation, changes, error } = this.p;
    return { stack, operation, result: phase, changes, seconds: this.seconds(), ...(error ? { error } : {}) };
  }
}

/** What every verb needs: the inventory, where state lives, the engine, the program and its config. */
export interface Context {
  inventory: Inventory;
  dirs: StateDirs;
  engine: Engine;
  config: Record<string, unknown>;
  program: PulumiFn;
  ws: typeof import('./workspace.ts');
  localKubeconfig: string | null;
  /** The file backend's directory (lock files, checkpoints); null for other backends. */
  backendDir: string | null;
}

export async function prepare(o: EngineOptions, check: (inventory: Inventory) => void = (inv) => void selectStacks(inv, o.only)): Promise<Context> {
  // Validate everything the user typed before anything runs (or a local cluster starts).
  const { loadInventory } = await import('../../core/inventory/load.ts');
  const inventory = loadInventory(o.file).inventory;
  check(inventory);
  const dirs = stateDirs(o.file, o.env);
  const ws = await import('./workspace.ts');
  const engine = await ws.findEngine(o.env);
  let config: Record<string, unknown>;
  let localKubeconfig: string | null = null;
  if (o.kubeconfig || o.context) {
    config = { 'desa:inventory': o.file };
    if (o.kubeconfig) config['kubernetes:kubeconfig'] = o.kubeconfig;
    if (o.context) config['kubernetes:context'] = o.context;
  } else {
    const { clusterUp } = await import('../cluster/local-cluster.ts');
    const c = await clusterUp({ file: o.file, nodes: 1, env: o.env, domain: inventory.kabupaten.domain });
    const { readLocalServices } = await import('../services/local-servers.ts');
    const s3 = readLocalServices(dirs.services)?.ports.s3;
    config = localClusterConfig(o.file, c.kubeconfig, s3 ? `http://127.0.0.1:${s3}` : undefined);
    localKubeconfig = c.kubeconfig;
  }
  const program = (await import('../../stacks/index.ts')).default;
  const backend = backendFor(o.file, o.env);
  return { inventory, dirs, engine, config, program, ws, localKubeconfig, backendDir: backend.kind === 'file' ? backend.dir : null };
}

/** Opens a stack with its config written and a killed run's leftovers recovered. */
export async function open(ctx: Context, name: string, o: EngineOptions, t: Tracker): Promise<Stack> {
  t.set({ phase: 'preparing' });
  const stack = await ctx.ws.openStack({ stack: name, dirs: ctx.dirs, engine: ctx.engine, program: ctx.program, env: o.env });
  await ctx.ws.writeConfig(stack, ctx.config);
  // A rotation is for the one update `desa rotate` runs; one that was interrupted must not repeat.
  await ctx.ws.unsetConfig(stack, [ROTATE_KEY]);
  const recovered = await ctx.ws.recover(stack, ctx.backendDir, o.signal);
  if (recovered) t.set({ message: recovered });
  return stack;
}

function firstLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split('\n').map((l) => l.trim()).find((l) => l) ?? 'failed';
}

/** Runs `op` on an opened stack, counting finished resources into the tracker. */
export async function operate(ctx: Context, stack: Stack, op: Operation, t: Tracker, o: EngineOptions, extra: { refresh?: boolean; excludeProtected?: boolean } = {}): Promise<StackResult> {
  t.set({ phase: 'running' });
  let done = 0;
  const r = await ctx.ws.runOperation(stack, op, {
    ...extra,
    ...(o.signal ? { signal: o.signal } : {}),
    onEvent: (e) => {
      if (e.resOutputsEvent && !e.resOutputsEvent.metadata.type.startsWith('pulumi:')) t.set({ resourcesDone: ++done, message: undefined });
    },
  });
  if (r.ok) return t.end('succeeded', { changes: r.changes });
  return t.end(r.cancelled ? 'cancelled' : 'failed', { changes: r.changes, error: r.error });
}

export type Job = { stack: string; run: (t: Tracker) => Promise<StackResult>; operation: Operation };

/**
 * The shared loop: the platform first (its failure skips the rest), then the jobs, which are planned
 * only after it (orphans are known once the platform stack is open), with bounded concurrency.
 */
export async function runAll(verb: Verb, o: EngineOptions, platform: Job | null, plan: () => Job[], expected: () => Map<string, number>): Promise<RunSummary> {
  const trackers = new Map<string, Tracker>();
  const track = (j: Job) => {
    const t = new Tracker(j.stack, j.operation, expected().get(j.stack) ?? null, o.listener);
    trackers.set(j.stack, t);
    o.listener?.({ ...t.p });
    return t;
  };
  const attempt = async (j: Job): Promise<StackResult> => {
    const t = trackers.get(j.stack)!;
    try {
      return await j.run(t);
    } catch (e) {
      return t.end(o.signal?.aborted ? 'cancelled' : 'failed', { error: o.signal?.aborted ? 'interrupted' : firstLine(e) });
    }
  };
  const skip = (j: Job, why: string) => trackers.get(j.stack)!.end('skipped', { error: why });

  const results: StackResult[] = [];
  let platformFailed = false;
  if (platform) {
    track(platform);
    const r = o.signal?.aborted ? skip(platform, 'interrupted') : await attempt(platform);
    results.push(r);
    platformFailed = r.result !== 'succeeded';
  }
  const jobs = plan();
  for (const j of jobs) track(j);
  if (platformFailed) {
    for (const j of jobs) results.push(skip(j, o.signal?.aborted ? 'interrupted' : 'platform failed'));
  } else {
    results.push(...(await pool(jobs, o.concurrency, attempt, (j) => (o.signal?.aborted ? skip(j, 'interrupted') : null))));
  }
  const interrupted = o.signal?.aborted === true;
  return { verb, ok: !interrupted && results.every((r) => r.result === 'succeeded'), interrupted, stacks: results };
}

export function withCluster(ctx: Context, s: RunSummary): RunSummary {
  return ctx.localKubeconfig ? { ...s, localKubeconfig: ctx.localKubeconfig } : s;
}

/**
 * After up or destroy on the local cluster: applies what the stacks left in the cluster to the loopback
 * servers (cli/services/sync.ts). It runs even when some stacks failed, for the ones that did not; a
 * failing sync fails the run (the services would not match the stacks).
 */
export async function withServices(ctx: Context, o: EngineOptions, s: RunSummary, deleteData: readonly string[] = []): Promise<RunSummary> {
  const out = withCluster(ctx, s);
  if (!ctx.localKubeconfig || s.interrupted || o.env.DESA_SERVICES === 'off') return out;
  const { readLocalServices } = await import('../services/local-servers.ts');
  const services = readLocalServices(ctx.dirs.services);
  if (!services) return out;
  const { syncServices } = await import('../services/sync.ts');
  try {
    return { ...out, services: await syncServices({ services, kubeconfig: ctx.localKubeconfig, inventory: ctx.inventory, env: o.env, deleteData }) };
  } catch (e) {
    return { ...out, ok: false, services: { error: (e as Error).message.split('\n')[0]! } };
  }
}

/** Existing stacks and their resource counts (one CLI call), through any opened stack's workspace. */
async function existingStacks(stack: Stack): Promise<Map<string, number>> {
  const list = await stack.workspace.listStacks();
  return new Map(list.map((s) => [s.name, s.resourceCount ?? 0]));
}

/** `desa up`: platform, then each selected desa; without --only, stacks of desa gone from desa.yaml are destroyed, data kept. */
export async function up(o: UpOptions): Promise<RunSummary> {
  const ctx = await prepare(o);
  const desas = selectStacks(ctx.inventory, o.only);
  let existing = new Map<string, number>();
  let platformStack: Stack | undefined;
  const extra = o.refresh ? { refresh: true } : {};
  const platform: Job = {
    stack: PLATFORM_STACK,
    operation: 'up',
    run: async (t) => {
      platformStack = await open(ctx, PLATFORM_STACK, o, t);
      existing = await existingStacks(platformStack);
      return operate(ctx, platformStack, 'up', t, o, extra);
    },
  };
  const fp = await import('./fingerprint.ts');
  const code = fp.codeHash();
  const { readCheckpoint, lockHeld } = await import('./state.ts');
  const upDesa = async (stack: string, t: Tracker): Promise<StackResult> => {
    const workDir = join(ctx.dirs.work, stack);
    const unit = ctx.inventory.units.find((u) => u.stack === stack)!;
    const settings = join(workDir, `Pulumi.${stack}.yaml`);
    // The settings file as it is now: before a stack's first update it does not exist yet, so the record
    // takes the fingerprint again after the update, when it holds what the next run will find.
    const inputsNow = () =>
      fp.fingerprint({
        unit,
        kabupaten: ctx.inventory.kabupaten,
        programmes: ctx.inventory.programmes,
        config: ctx.config,
        settings: existsSync(settings) ? readFileSync(settings, 'utf8') : null,
        code,
      });
    const inputs = inputsNow();
    const stateOf = () => {
      try {
        return ctx.backendDir ? readCheckpoint(ctx.backendDir, stack)?.checkpoint?.latest : undefined;
      } catch {
        return undefined;
      }
    };
    const before = stateOf();
    const current = {
      fingerprint: inputs,
      stateTime: before?.manifest?.time ?? null,
      pending: before?.pending_operations?.length ?? 0,
      locked: ctx.backendDir === null || lockHeld(ctx.backendDir, stack),
    };
    if (!o.refresh && fp.unchanged(fp.readLastUpdate(workDir), current)) {
      const same = managedResources(before?.resources ?? []).length;
      return { ...t.end('succeeded', { changes: { create: 0, update: 0, delete: 0, same } }), unchangedInputs: true };
    }
    fp.forgetLastUpdate(workDir);
    const r = await operate(ctx, await open(ctx, stack, o, t), 'up', t, o, extra);
    const after = stateOf()?.manifest?.time;
    if (r.result === 'succeeded' && after) fp.writeLastUpdate(workDir, { fingerprint: inputsNow(), stateTime: after });
    return r;
  };
  const jobs = (): Job[] => [
    ...desas.map((stack): Job => ({ stack, operation: 'up', run: (t) => upDesa(stack, t) })),
    ...(o.only.length === 0 ? orphanStacks(ctx.inventory, [...existing.keys()]).map((stack) => offboardJob(ctx, stack, o, false)) : []),
  ];
  return withServices(ctx, o, await runAll('up', o, platform, jobs, () => existing));
}

/** Destroys a desa stack. Kept: protected resources (namespace, volumes, bucket claim) unless deleteData. */
function offboardJob(ctx: Context, stack: string, o: EngineOptions, deleteData: boolean): Job {
  return {
    stack,
    operation: 'destroy',
    run: async (t) => {
      const s = await open(ctx, stack, o, t);
      const held = await ctx.ws.heldResources(s);
      const none = { create: 0, update: 0, delete: 0, same: 0 };
      if (held.total === 0) {
        // Never provisioned (a plan creates the stack) or already emptied: nothing to keep.
        await s.workspace.removeStack(stack);
        return { ...t.end('succeeded', { changes: none }), note: 'held nothing; stack removed' };
      }
      if (!deleteData && held.total === held.protected) {
        return { ...t.end('succeeded', { changes: none }), note: `already destroyed; ${held.protected} resource(s) of data kept` };
      }
      const { forgetLastUpdate } = await import('./fingerprint.ts');
      forgetLastUpdate(join(ctx.dirs.work, stack));
      if (deleteData) await ctx.ws.unprotectAll(s);
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

/** `desa plan`: a preview of the platform and each selected desa; removed desa show what `up` would destroy. */
export async function plan(o: EngineOptions): Promise<RunSummary> {
  const ctx = await prepare(o);
  const desas = selectStacks(ctx.inventory, o.only);
  let existing = new Map<string, number>();
  const platform: Job = {
    stack: PLATFORM_STACK,
    operation: 'preview',
    run: async (t) => {
      const s = await open(ctx, PLATFORM_STACK, o, t);
      existing = await existingStacks(s);
      return operate(ctx, s, 'preview', t, o);
    },
  };
  const jobs = (): Job[] => [
    ...desas.map((stack): Job => ({ stack, operation: 'preview', run: async (t) => operate(ctx, await open(ctx, stack, o, t), 'preview', t, o) })),
    ...(o.only.length === 0 ? orphanStacks(ctx.inventory, [...existing.keys()]) : []).map(
      (stack): Job => ({
        stack,
        operation: 'preview',
        run: async (t) => {
          const held = await ctx.ws.heldResources(await open(ctx, stack, o, t));
          const changes = { create: 0, update: 0, delete: held.total - held.protected, same: held.protected };
          return { ...t.end('succeeded', { changes }), note: 'not in desa.yaml: `desa up` destroys it, keeping its data' };
        },
      }),
    ),
  ];
  return withCluster(ctx, await runAll('plan', o, platform, jobs, () => existing));
}

/** `desa destroy --only …`: offboards the named desa (or stacks left by removed desa). Never the platform. */
export async function destroy(o: DestroyOptions): Promise<RunSummary> {
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
  const existing = await existingStacks(await ctx.ws.openStack({ stack: PLATFORM_STACK, dirs: ctx.dirs, engine: ctx.engine, program: ctx.program, env: o.env }));
  const targets = selectStacks(ctx.inventory, o.only, orphanStacks(ctx.inventory, [...existing.keys()]));
  const jobs = targets.map((stack): Job => {
    if (!existing.has(stack)) {
      return { stack, operation: 'destroy', run: async (t) => ({ ...t.end('succeeded', { changes: { create: 0, update: 0, delete: 0, same: 0 } }), note: 'never provisioned: nothing to destroy' }) };
    }
    return offboardJob(ctx, stack, o, o.deleteData === true);
  });
  const summary = await runAll('destroy', o, null, () => jobs, () => existing);
  const dataGone = o.deleteData ? summary.stacks.filter((r) => r.result === 'succeeded').map((r) => ctx.inventory.units.find((u) => u.stack === r.stack)?.slug ?? r.stack) : [];
  return withServices(ctx, o, summary, dataGone);
}

/** The exit status of a run: 0 ok, 130 interrupted, 4 a stack failed. */
export function exitCodeOf(s: RunSummary): number {
  if (s.interrupted) return EXIT.interrupted;
  return s.ok ? EXIT.ok : EXIT.operationFailed;
}

/** One line on why a run did not succeed, and what to do. */
export function failureMessage(s: RunSummary): { message: string; nextStep: string } {
  if (s.interrupted) {
    return {
      message: `Interrupted: ${s.stacks.filter((r) => r.result === 'succeeded').length} stack(s) finished, the rest were stopped or not started.`,
      nextStep: `Run \`desa ${s.verb}\` again: finished stacks show no changes and interrupted ones pick up where they stopped.`,
    };
  }
  const failed = s.stacks.filter((r) => r.result === 'failed').map((r) => r.stack);
  if (failed.length === 0 && s.services && 'error' in s.services) {
    return {
      message: `Every stack succeeded, but applying them to the local servers failed: ${s.services.error}`,
      nextStep: `Check \`desa cluster status\` and the logs in .desa/services/log, then run \`desa ${s.verb}\` again.`,
    };
  }
  if (failed.includes(PLATFORM_STACK)) {
    return { message: 'The platform stack failed; no desa was touched.', nextStep: `Fix the cause shown above and run \`desa ${s.verb}\` again.` };
  }
  return {
    message: `${failed.length} stack(s) failed: ${failed.join(', ')}.`,
    nextStep: `Fix the cause shown above and run \`desa ${s.verb}\` again${s.verb === 'up' ? '; stacks that succeeded will show no changes' : ''}.`,
  };
}
