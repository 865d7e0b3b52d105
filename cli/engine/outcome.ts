// How a run ends for the user: its exit status, and one line on why it did not succeed with what to do.
import { EXIT } from '../../core/errors.ts';
import { PLATFORM_STACK } from '../../core/inventory/model.ts';
import { budgetRefusal } from './certificate-budget.ts';
import type { RunSummary } from './run-loop.ts';

/**
 * The exit status of a run: 0 ok, 130 interrupted, 4 a stack failed; drift: 5 when a stack differs from
 * its state; plan: 7 when it would order more new certificates than desa may use this week.
 */
export function exitCodeOf(s: RunSummary): number {
  if (s.interrupted) return EXIT.interrupted;
  if (!s.ok) return EXIT.operationFailed;
  if (s.certificates && !s.certificates.withinLimit) return EXIT.overBudget;
  return drifted(s).length > 0 ? EXIT.drift : EXIT.ok;
}

/** The stacks whose state and cluster differ (desa drift). */
export const drifted = (s: RunSummary) => s.stacks.filter((r) => r.result === 'succeeded' && (r.drift?.length ?? 0) > 0).map((r) => r.stack);

/** One line on why a run did not succeed, and what to do; `target` explains a failure of its own part. */
export function failureMessage<S extends RunSummary>(s: S, target?: (s: S) => { message: string; nextStep: string } | null): { message: string; nextStep: string } {
  if (s.interrupted) {
    return {
      message: `Interrupted: ${s.stacks.filter((r) => r.result === 'succeeded').length} stack(s) finished, the rest were stopped or not started.`,
      nextStep: `Run \`desa ${s.verb}\` again: finished stacks show no changes and interrupted ones pick up where they stopped.`,
    };
  }
  const failed = s.stacks.filter((r) => r.result === 'failed').map((r) => r.stack);
  const overBudget = failed.length === 0 && s.certificates ? budgetRefusal(s.certificates) : null;
  if (overBudget) return overBudget;
  if (failed.length === 0 && s.verb === 'drift') {
    const d = drifted(s);
    return {
      message: `Drift: ${d.length} stack(s) differ from what their state says: ${d.join(', ')}.`,
      nextStep: 'See above what differs. `desa up --refresh` (with --only for those desa) re-creates what is gone and undoes what was changed.',
    };
  }
  const own = failed.length === 0 ? target?.(s) : null;
  if (own) return own;
  if (failed.includes(PLATFORM_STACK)) {
    return { message: 'The platform stack failed; no desa was touched.', nextStep: `Fix the cause shown above and run \`desa ${s.verb}\` again.` };
  }
  return {
    message: `${failed.length} stack(s) failed: ${failed.join(', ')}.`,
    nextStep: `Fix the cause shown above and run \`desa ${s.verb}\` again${s.verb === 'up' ? '; stacks that succeeded will show no changes' : ''}.`,
  };
}
