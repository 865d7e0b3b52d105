// The run loop shared by up, plan, destroy and rotate: the platform first (its failure skips the rest),
// then the desa jobs with bounded concurrency; a failing desa does not stop the others, an interrupt
// stops scheduling. Each stack's progress goes to a listener through its Tracker; results come back as
// data. No engine calls here: a Job is whatever the verb made of its stack.
import { performance } from 'node:perf_hooks';
import type { CertificateBudget } from './certificate-budget.ts';
import { describeError } from '../../core/errors.ts';
import type { Step } from './diagnostics.ts';
import type { ProtectedData } from './release.ts';
import type { DriftItem } from './drift-model.ts';
import type { Changes, Operation, ProgressListener, StackPhase, StackProgress } from './progress.ts';

export type Verb = 'up' | 'plan' | 'destroy' | 'drift';

export interface StackResult {
  stack: string;
  operation: Operation;
  result: 'succeeded' | 'failed' | 'skipped' | 'cancelled';
  changes: Changes | null;
  seconds: number;
  /** Why it failed or was skipped: one line. */
  error?: string;
  /** Why it failed, whole: the engine's diagnostics for the failing resources, every line (the first is `error`). */
  cause?: string;
  /** The whole diagnostic behind `error`, when there is more than that line. */
  detail?: string;
  /** The file that keeps the whole log of its failure (.desa/work/<stack>/last-error.log). */
  log?: string;
  /** The resources it created, updated, replaced or deleted (a preview: would); for a failure, those done before. */
  steps?: Step[];
  /** Something the user should know besides the changes ("not in desa.yaml: destroyed, data kept"). */
  note?: string;
  /** Protected data the change would have had to delete, and did not (release.ts): what would be lost, and its name for --release-data. */
  protectedData?: ProtectedData[];
  /** What a person must know about its steps (a mailbox removed keeps its Maildir): diagnostics.ts stepWarnings. */
  warnings?: string[];
  /** Not run: its inputs and its state are those of its last successful update (cli/engine/fingerprint.ts). */
  unchangedInputs?: true;
  /** desa drift: what differs between its state and the cluster (drift-model.ts); empty when nothing. */
  drift?: DriftItem[];
}

export interface RunSummary {
  verb: Verb;
  ok: boolean;
  interrupted: boolean;
  stacks: StackResult[];
  /** desa plan: the new certificates this run would order against the weekly allowance. */
  certificates?: CertificateBudget;
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

/** Follows one stack's run and reports a fresh snapshot to the listener on every change. */
export class Tracker {
  readonly p: StackProgress;
  /** performance.now() when the stack left the queue. */
  private t0: number | null = null;
  private extra: Pick<StackResult, 'cause' | 'detail' | 'steps'> = {};
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
  end(phase: StackPhase & StackResult['result'], change: Partial<StackProgress> & Pick<StackResult, 'cause' | 'detail' | 'steps'> = {}): StackResult {
    const { detail, cause, steps, ...progress } = change;
    if (detail) this.extra.detail = detail;
    if (cause) this.extra.cause = cause;
    if (steps && steps.length > 0) this.extra.steps = steps;
    this.set({ ...progress, phase });
    const { stack, operation, changes, error } = this.p;
    const { detail: d, cause: c, steps: st } = this.extra;
    return {
      stack,
      operation,
      result: phase,
      changes,
      seconds: this.seconds(),
      ...(error ? { error } : {}),
      ...(error && c ? { cause: c } : {}),
      ...(error && d ? { detail: d } : {}),
      ...(st ? { steps: st } : {}),
    };
  }
}

export type Job = { stack: string; run: (t: Tracker) => Promise<StackResult>; operation: Operation };

export interface LoopOptions {
  concurrency: number;
  /** Aborted on Ctrl-C: no new stack starts, running ones are asked to stop. */
  signal?: AbortSignal | undefined;
  listener?: ProgressListener | undefined;
}

/**
 * The platform first (its failure skips the rest), then the jobs, which are planned only after it
 * (orphans are known once the platform stack is open), with bounded concurrency.
 */
export async function runAll(verb: Verb, o: LoopOptions, platform: Job | null, plan: () => Job[], expected: () => Map<string, number>): Promise<RunSummary> {
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
      if (o.signal?.aborted) return t.end('cancelled', { error: 'interrupted' });
      const { summary, detail } = describeError(e);
      return t.end('failed', { error: summary, detail });
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
