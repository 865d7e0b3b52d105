// The benchmark's results: one record per timed step, and `desa up` timed on a cluster with its JSON
// summary checked against what was expected.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PLATFORM_STACK } from '../../core/inventory/model.ts';
import { type Cluster, clusterPids } from './clusters.ts';
import { run, say, state, tail } from './processes.ts';
import { CONCURRENCY, DESA, inventory, logs, units } from './setup.ts';

export interface Result {
  id: string;
  what: string;
  stacks: number;
  ok: boolean;
  seconds: number;
  peakMiB: number | null;
  peakProcesses: number;
  objects?: number | null;
  controlPlaneMiB?: { rss: number; hwm: number } | null;
  /** Every process of the local cluster (etcd, kube-apiserver, controller-manager, scheduler, kwok, …): RSS after the run and peak (VmHWM). */
  clusterMiB?: Record<string, { rss: number; hwm: number }> | null;
  detail?: Record<string, unknown>;
  error?: string;
}
export const results: Result[] = [];
export const problems: string[] = [];

export function record(r: Result): Result {
  results.push(r);
  const mem = r.peakMiB === null ? '' : `, peak ${r.peakMiB.toFixed(0)} MiB over ${r.peakProcesses} processes`;
  const [first, ...more] = (r.error ?? '').split('\n');
  say(`  ${r.ok ? 'done' : 'FAILED'}: ${r.seconds.toFixed(1)} s${mem}${first ? `: ${first}` : ''}`);
  if (more.length && !state.aborted) process.stderr.write(`${more.map((l) => `    ${l}`).join('\n')}\n`);
  if (!r.ok) problems.push(`${r.id}: ${r.error ?? 'failed'}`);
  return r;
}

interface UpJson {
  ok: boolean;
  stacks: { stack: string; result: string; seconds: number; changes: { create: number; update: number; delete: number; same: number } | null; error?: string }[];
}

/** `desa up` on a cluster, timed and sampled; its JSON summary checked against what was expected. */
export async function desaUp(c: Cluster, id: string, what: string, only: string[] | null, expect: 'create' | 'none'): Promise<Result> {
  const args = ['up', '--file', inventory, ...(only ? ['--only', ...only] : []), '--concurrency', String(CONCURRENCY), '--json'];
  const log = join(logs, `${id}.log`);
  say(`[${c.name}] ${what}…`);
  const r = await run(DESA, args, {
    env: c.env,
    log,
    sample: new Set(clusterPids(c).values()),
    progress: () => `${(readFileSync(log, 'utf8').match(/^\[[^\]]+\] (done|failed|skipped|cancelled)\b/gm) ?? []).length} stacks finished`,
  });
  let summary: UpJson | null = null;
  try {
    summary = JSON.parse(r.stdout) as UpJson;
  } catch {
    // reported below
  }
  const stacks = summary?.stacks ?? [];
  const sum = (k: 'create' | 'update' | 'delete' | 'same') => stacks.reduce((n, s) => n + (s.changes?.[k] ?? 0), 0);
  const changed = sum('create') + sum('update') + sum('delete');
  let error: string | undefined;
  if (r.code !== 0 || !summary?.ok) {
    const failed = stacks.filter((s) => s.result !== 'succeeded').map((s) => `${s.stack}: ${s.error ?? s.result}`);
    error = `desa up exited ${r.code}${failed.length ? ` (${failed.slice(0, 3).join('; ')})` : ''}\n${tail(log)}`;
  } else if (expect === 'none' && changed > 0) {
    error = `expected no changes, got ${sum('create')} created, ${sum('update')} updated, ${sum('delete')} deleted`;
  } else if (expect === 'create' && sum('create') === 0) {
    error = 'expected resources to be created, none were';
  }
  const perStack = stacks.filter((s) => s.stack !== PLATFORM_STACK).map((s) => s.seconds).sort((a, b) => a - b);
  return record({
    id,
    what,
    stacks: stacks.length || (only?.length ?? units.length) + 1,
    ok: !error,
    seconds: r.seconds,
    peakMiB: r.peakMiB,
    peakProcesses: r.peakProcesses,
    detail: {
      created: sum('create'),
      updated: sum('update'),
      deleted: sum('delete'),
      unchanged: sum('same'),
      platformSeconds: stacks.find((s) => s.stack === PLATFORM_STACK)?.seconds ?? null,
      desaSecondsMedian: perStack.length ? perStack[Math.floor(perStack.length / 2)] : null,
      desaSecondsMax: perStack.at(-1) ?? null,
    },
    ...(error ? { error } : {}),
  });
}
