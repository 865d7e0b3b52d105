// The contract between the engine runs (up, plan, destroy) and whatever shows them: the ink view on a
// TTY, prefixed lines otherwise. Plain data, one snapshot per change of one stack.

/** Counts of resource operations, as Pulumi's summary reports them. Replacements count as updates. */
export interface Changes {
  create: number;
  update: number;
  delete: number;
  same: number;
}

/** refresh: a refresh preview (`desa drift`): what differs between the state and the cluster, changing neither. */
export type Operation = 'up' | 'preview' | 'destroy' | 'refresh';

export type StackPhase =
  /** Waiting for a free slot. */
  | 'queued'
  /** Opening the stack: work directory, configuration, a stale lock. */
  | 'preparing'
  | 'running'
  | 'succeeded'
  | 'failed'
  /** Not run: the platform failed, or the run was interrupted before its turn. */
  | 'skipped'
  /** Stopped by Ctrl-C while running; the engine was asked to stop cleanly. */
  | 'cancelled';

export interface StackProgress {
  stack: string;
  operation: Operation;
  phase: StackPhase;
  /** Resource operations finished so far in this run (each resource counts once). */
  resourcesDone: number;
  /** How many resources the stack had after its last run; null when it has never run. */
  resourcesExpected: number | null;
  /** ms since the epoch; set once the stack leaves the queue. */
  startedAt: number | null;
  /** ms since the epoch; set when the phase becomes final. */
  endedAt: number | null;
  /** The changes, once known (final phases). */
  changes: Changes | null;
  /** Why it failed or was skipped: one line. */
  error?: string;
  /** The latest thing worth a line: "lock left by a killed run, cancelled", a resource being created… */
  message?: string;
}

export type ProgressListener = (p: Readonly<StackProgress>) => void;

export const FINAL_PHASES: ReadonlySet<StackPhase> = new Set(['succeeded', 'failed', 'skipped', 'cancelled']);
