// `desa up`: the platform stack first, then each selected desa with bounded concurrency. A failing desa
// does not stop the others; the platform failing stops everything. Pure parts (selection, the worker
// pool, summary lines) are exported for unit tests; the engine work is in workspace.ts.
import { performance } from 'node:perf_hooks';
import { AbortError, EXIT, OperationFailedError } from '../errors.ts';
import type { Inventory } from '../inventory/model.ts';
import { PLATFORM_STACK } from '../inventory/model.ts';
import { didYouMean } from '../inventory/problems.ts';
import { log } from '../ui/output.ts';
import { stateDirs } from './paths.ts';
import type { Changes } from './workspace.ts';

export interface UpOptions {
  /** desa.yaml, absolute. */
  file: string;
  only: string[];
  concurrency: number;
  kubeconfig?: string;
  context?: string;
  env: NodeJS.ProcessEnv;
}

export interface StackResult {
  stack: string;
  result: 'succeeded' | 'failed' | 'skipped';
  changes: Changes | null;
  seconds: number;
  error?: string;
}

export interface UpSummary {
  ok: boolean;
  stacks: StackResult[];
}

/** The desa stacks to run: every unit, or those named by `only` (slug or stack name), in inventory order. */
export function selectStacks(inventory: Inventory, only: string[]): string[] {
  const all = inventory.units.map((u) => u.stack);
  if (only.length === 0) return all;
  const known = new Set([...all, ...inventory.units.map((u) => u.slug)]);
  for (const s of only) {
    if (!known.has(s)) {
      const hint = didYouMean(s, [...known]);
      throw new AbortError(`--only ${s}: no desa or kelurahan with that slug in ${inventory.file}.`, {
        exitCode: EXIT.usage,
        nextStep: hint ? `Did you mean \`${hint}\`?` : 'Run `desa validate` to list the slugs.',
      });
    }
  }
  const wanted = new Set(only);
  return inventory.units.filter((u) => wanted.has(u.slug) || wanted.has(u.stack)).map((u) => u.stack);
}

/** Runs `work` over `items`, at most `limit` at a time; results in the order of `items`. */
export async function pool<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await work(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return out;
}

/** `21 created, 2 updated in 14.5s`; `no changes` when nothing changed. */
export function describeChanges(c: Changes | null, seconds: number): string {
  const parts: string[] = [];
  if (c?.create) parts.push(`${c.create} created`);
  if (c?.update) parts.push(`${c.update} updated`);
  if (c?.delete) parts.push(`${c.delete} deleted`);
  if (c?.same) parts.push(`${c.same} unchanged`);
  return `${parts.length ? parts.join(', ') : 'no changes'} in ${seconds.toFixed(1)}s`;
}

export function summaryLines(s: UpSummary): string[] {
  const width = Math.max(...s.stacks.map((r) => r.stack.length));
  return s.stacks.map((r) => {
    const head = `${r.stack.padEnd(width)}  ${r.result.padEnd(9)}`;
    if (r.result === 'skipped') return `${head}  ${r.error ?? ''}`.trimEnd();
    return `${head}  ${describeChanges(r.changes, r.seconds)}${r.error ? `: ${r.error}` : ''}`;
  });
}

/** Stack config for the local cluster `desa cluster up` runs: every platform service is "existing". */
export function localClusterConfig(inventory: string, kubeconfig: string): Record<string, unknown> {
  return {
    'desa:inventory': inventory,
    'desa:customResources': false,
    'desa:ingress': { mode: 'existing', publishesStatus: false },
    'desa:tls': { certManager: 'existing' },
    'desa:dns': { mode: 'existing' },
    'desa:mail': { mode: 'existing' },
    'desa:storage': { mode: 'existing', endpoint: 'http://127.0.0.1:9000' },
    'kubernetes:kubeconfig': kubeconfig,
  };
}

export async function provision(o: UpOptions): Promise<UpSummary> {
  // Validate everything the user typed before anything runs.
  const { loadInventory } = await import('../inventory/load.ts');
  const inventory = loadInventory(o.file).inventory;
  const desas = selectStacks(inventory, o.only);
  const dirs = stateDirs(o.file, o.env);

  const ws = await import('./workspace.ts');
  const engine = await ws.findEngine(o.env);

  let config: Record<string, unknown>;
  if (o.kubeconfig || o.context) {
    config = { 'desa:inventory': o.file };
    if (o.kubeconfig) config['kubernetes:kubeconfig'] = o.kubeconfig;
    if (o.context) config['kubernetes:context'] = o.context;
  } else {
    const { clusterUp } = await import('../cluster/local-cluster.ts');
    const c = await clusterUp({ file: o.file, nodes: 1, env: o.env });
    config = localClusterConfig(o.file, c.kubeconfig);
  }
  const program = (await import('../../stacks/index.ts')).default;

  const run = async (name: string): Promise<StackResult> => {
    const t0 = performance.now();
    const seconds = () => Math.round((performance.now() - t0) / 100) / 10;
    const say = (msg: string) => log.info(`[${name}] ${msg}`);
    try {
      const stack = await ws.openStack({ stack: name, dirs, engine, program, env: o.env });
      await stack.setAllConfig(ws.toConfigMap(config));
      const stale = ws.staleLocks(dirs.backend, name);
      if (stale.length > 0) {
        say(`lock left by a run that is gone (${stale.length} lock file(s)); cancelling it`);
        await stack.cancel();
      }
      say('updating…');
      const r = await ws.upStack(stack);
      if (r.ok) {
        say(`done: ${describeChanges(r.changes, seconds())}`);
        return { stack: name, result: 'succeeded', changes: r.changes, seconds: seconds() };
      }
      say(`failed after ${seconds().toFixed(1)}s: ${r.error}`);
      return { stack: name, result: 'failed', changes: r.changes, seconds: seconds(), error: r.error };
    } catch (e) {
      const error = (e instanceof Error ? e.message : String(e)).split('\n').find((l) => l.trim()) ?? 'failed';
      say(`failed: ${error}`);
      return { stack: name, result: 'failed', changes: null, seconds: seconds(), error };
    }
  };

  const results: StackResult[] = [await run(PLATFORM_STACK)];
  if (results[0]!.result === 'failed') {
    for (const d of desas) results.push({ stack: d, result: 'skipped', changes: null, seconds: 0, error: 'platform failed' });
  } else {
    results.push(...(await pool(desas, o.concurrency, run)));
  }
  return { ok: results.every((r) => r.result === 'succeeded'), stacks: results };
}

/** The error `desa up` ends with when a stack failed (exit 4). */
export function failure(s: UpSummary): OperationFailedError {
  const failed = s.stacks.filter((r) => r.result === 'failed').map((r) => r.stack);
  const platform = failed.includes(PLATFORM_STACK);
  return new OperationFailedError(
    platform ? 'The platform stack failed; no desa was provisioned.' : `${failed.length} stack(s) failed: ${failed.join(', ')}.`,
    'Fix the cause shown above and run `desa up` again; stacks that succeeded will show no changes.',
  );
}
