// How engine runs (up, plan, destroy) show progress without a TTY: one prefixed line per event that
// matters (start, a message, the outcome), never one per resource, so CI logs stay short. The wording
// (describeChanges, describeOutcome) is shared with the ink view and the engine's summary.
import { FINAL_PHASES, type Changes, type Operation, type StackPhase, type StackProgress } from '../engine/progress.ts';

/** What the engine talks to: the ink view on a TTY, prefixed lines otherwise. */
export interface Presenter {
  update(p: Readonly<StackProgress>): void;
  /** Renders what is left and lets go of the terminal. */
  finish(): Promise<void>;
}

export const RUNNING_TEXT: Record<Operation, string> = { up: 'updating…', preview: 'planning…', destroy: 'destroying…', refresh: 'comparing with the cluster…' };
const DONE_TEXT: Record<Operation, string> = { up: 'done', preview: 'plan', destroy: 'destroyed', refresh: 'drift' };
const WORDS: Record<Operation, Record<'create' | 'update' | 'delete', string>> = {
  up: { create: 'created', update: 'updated', delete: 'deleted' },
  preview: { create: 'to create', update: 'to update', delete: 'to delete' },
  destroy: { create: 'created', update: 'updated', delete: 'deleted' },
  refresh: { create: 'added', update: 'changed', delete: 'gone' },
};
/** Message lines per stack at most; the rest only show in the ink view. */
const MAX_MESSAGE_LINES = 3;

export const isFinal = (phase: StackPhase | undefined): boolean => phase !== undefined && FINAL_PHASES.has(phase);

/** "14.5s", "2m 05s". */
export function formatSeconds(seconds: number): string {
  if (seconds < 60) return `${seconds.toFixed(1)}s`;
  const s = Math.floor(seconds);
  return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s`;
}

/** Seconds since the stack left the queue, up to its end (or now); null before it started. */
export function elapsedSeconds(p: Readonly<StackProgress>, now: number = Date.now()): number | null {
  return p.startedAt === null ? null : Math.max(0, ((p.endedAt ?? now) - p.startedAt) / 1000);
}

/** "21 created, 2 updated in 14.5s", "3 to create, 1 to update, 2 unchanged", "no changes". */
export function describeChanges(changes: Readonly<Changes>, seconds: number | null, operation: Operation): string {
  const words = WORDS[operation];
  const parts = (['create', 'update', 'delete'] as const).filter((k) => changes[k] > 0).map((k) => `${changes[k]} ${words[k]}`);
  let text: string;
  if (parts.length) text = [...parts, ...(changes.same > 0 ? [`${changes.same} unchanged`] : [])].join(', ');
  else text = operation === 'destroy' ? 'nothing to delete' : operation === 'refresh' ? 'no drift' : 'no changes';
  return seconds === null ? text : `${text} in ${formatSeconds(seconds)}`;
}

/** The outcome of a stack in a final phase: "done: …", "failed after 3.1s: …", "skipped: …", "cancelled after 2.0s". */
export function describeOutcome(p: Readonly<StackProgress>, now: number = Date.now()): string {
  const secs = elapsedSeconds(p, now);
  const after = secs === null ? '' : ` after ${formatSeconds(secs)}`;
  const why = p.error ? `: ${p.error}` : '';
  switch (p.phase) {
    case 'succeeded':
      return `${DONE_TEXT[p.operation]}: ${p.changes ? describeChanges(p.changes, secs, p.operation) : secs === null ? 'finished' : `finished in ${formatSeconds(secs)}`}`;
    case 'failed':
      return `failed${after}${why}`;
    case 'skipped':
      return `skipped${why}`;
    case 'cancelled':
      return `cancelled${after}${why}`;
    default:
      return p.phase;
  }
}

/** Prints "[slug] updating…", its messages (a few) and "[slug] done: …"; resource counts never. */
export function createLinePresenter(write: (line: string) => void): Presenter {
  const seen = new Map<string, { phase: StackPhase; message: string | undefined; messageLines: number }>();
  return {
    update(p) {
      const before = seen.get(p.stack);
      const tag = `[${p.stack}]`;
      let messageLines = before?.messageLines ?? 0;
      if (p.phase === 'running' && before?.phase !== 'running') write(`${tag} ${RUNNING_TEXT[p.operation]}`);
      if (p.message && p.message !== before?.message && p.message !== p.error && messageLines < MAX_MESSAGE_LINES) {
        write(`${tag} ${p.message}`);
        messageLines++;
      }
      if (isFinal(p.phase) && !isFinal(before?.phase)) write(`${tag} ${describeOutcome(p)}`);
      seen.set(p.stack, { phase: p.phase, message: p.message, messageLines });
    },
    finish: async () => {},
  };
}
