// The whole log of a failed stack, kept where the summary can name it: .desa/work/<stack>/last-error.log
// (last-plan-error.log for a preview, so a failed plan does not hide the failure of the last update).
// The summary and --json show the cause; the file keeps everything the engine said. Mode 0600: the
// engine masks secrets in what it prints, and the file stays the user's alone all the same.
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stateDirs } from '../paths.ts';
import type { Operation } from './progress.ts';
import type { RunSummary, StackResult } from './run-loop.ts';

export function failureLogPath(workRoot: string, stack: string, op: Operation): string {
  return join(workRoot, stack, op === 'preview' ? 'last-plan-error.log' : 'last-error.log');
}

/** The text of one failure's log. */
export function failureLogText(verb: string, r: StackResult, at: Date): string {
  return [
    `desa ${verb}: ${r.stack} (${r.operation}) failed at ${at.toISOString()} after ${r.seconds}s.`,
    '',
    'Cause:',
    r.cause ?? r.error ?? 'unknown',
    '',
    "Everything the engine said (its error diagnostics, then the Pulumi CLI's output):",
    r.detail ?? r.error ?? '',
    '',
  ].join('\n');
}

/**
 * Writes the log of every failed stack and names it in its result; removes the log of a stack whose
 * update or destroy now succeeded (a stale log would mislead).
 */
export function keepFailureLogs<S extends RunSummary>(workRoot: string, s: S, at: Date = new Date()): S {
  const stacks = s.stacks.map((r): StackResult => {
    const path = failureLogPath(workRoot, r.stack, r.operation);
    if (r.result === 'failed') {
      try {
        mkdirSync(join(workRoot, r.stack), { recursive: true });
        writeFileSync(path, failureLogText(s.verb, r, at), { mode: 0o600 });
        return { ...r, log: path };
      } catch {
        return r;
      }
    }
    if (r.result === 'succeeded' && r.operation !== 'preview') rmSync(path, { force: true });
    return r;
  });
  return { ...s, stacks };
}

/** Where a stack's failure log is, if there is one (null: none). */
export type ErrorLogs = (stack: string) => string | null;

/** The failure logs desa keeps beside desa.yaml (.desa/work/<stack>/last-error.log), when there. */
export function errorLogs(file: string, env: NodeJS.ProcessEnv): ErrorLogs {
  const work = stateDirs(file, env).work;
  return (stack) => {
    const path = failureLogPath(work, stack, 'up');
    return existsSync(path) ? path : null;
  };
}
