// One error hierarchy, one handler (cli/main.ts) that maps it to text and an exit code. Nothing below
// the entry point calls process.exit.
import { formatProblem, type Problem } from './inventory/problems.ts';

/** Exit codes, documented in the README. */
export const EXIT = {
  ok: 0,
  /** A bug or an unexpected failure of the environment. */
  failure: 1,
  /** The command line was wrong: unknown flag, missing argument, a prompt needed but no TTY. */
  usage: 2,
  /** An input file is invalid (desa.yaml, a survey CSV): nothing was changed. */
  invalidInput: 3,
  /** An operation ran and failed (for example a stack that did not deploy). */
  operationFailed: 4,
  /** `desa drift`: the cluster differs from the state of some stack (nothing failed). */
  drift: 5,
  /** `desa check`: it ran, and at least one desa is not ready (its row says why). */
  notReady: 6,
  /** `desa plan`: the run would order more new certificates than desa may use this week (--allow-certificates N to go on). */
  overBudget: 7,
  /** Interrupted by Ctrl-C. */
  interrupted: 130,
} as const;

/** A mistake the user can fix; carries the next step. Printed without a stack trace. */
export class AbortError extends Error {
  readonly exitCode: number;
  readonly nextStep: string | undefined;
  /** The whole diagnostic behind the one-line message (what a command printed), when there is one. */
  readonly detail: string | undefined;
  constructor(message: string, opts: { nextStep?: string; exitCode?: number; detail?: string } = {}) {
    super(message);
    this.name = 'AbortError';
    this.nextStep = opts.nextStep;
    this.exitCode = opts.exitCode ?? EXIT.usage;
    this.detail = opts.detail;
  }
}

/** An input file failed validation; every problem found is reported in one go. */
export class InvalidInputError extends AbortError {
  readonly problems: Problem[];
  readonly file: string;
  constructor(file: string, problems: Problem[], nextStep?: string) {
    const n = problems.length;
    super(`${file}: ${n} problem${n === 1 ? '' : 's'} found; nothing was changed.`, {
      exitCode: EXIT.invalidInput,
      nextStep: nextStep ?? `Fix ${n === 1 ? 'it' : 'them'} and run \`desa validate --file ${file}\` again.`,
    });
    this.name = 'InvalidInputError';
    this.file = file;
    this.problems = problems;
  }

  /** The problems as text, the first `limit` of them. */
  render(limit = Infinity): string {
    return this.problems.slice(0, limit).map(formatProblem).join('\n');
  }
}

/** An operation that ran and failed, such as a provisioning step. */
export class OperationFailedError extends AbortError {
  constructor(message: string, nextStep?: string, detail?: string) {
    super(message, { exitCode: EXIT.operationFailed, ...(nextStep ? { nextStep } : {}), ...(detail ? { detail } : {}) });
    this.name = 'OperationFailedError';
  }
}

/**
 * Any error as a summary line for a terminal and, when there is more, the whole diagnostic: an
 * AbortError's one-line message and its detail; another error's first line and its whole message.
 */
export function describeError(e: unknown): { summary: string; detail?: string } {
  if (e instanceof AbortError) return { summary: e.message, ...(e.detail ? { detail: e.detail } : {}) };
  const text = (e instanceof Error ? e.message : String(e)).trim();
  const summary = text.split('\n').map((l) => l.trim()).find(Boolean) ?? 'failed';
  return text.includes('\n') ? { summary, detail: text } : { summary };
}

/** The last non-empty line of a diagnostic: where tools put the reason they stopped. */
export function summaryLine(diagnostic: string): string {
  return diagnostic.split('\n').map((l) => l.trim()).filter(Boolean).at(-1) ?? '';
}

/**
 * A child process that failed: its command line (never secrets: those go by environment or stdin), its
 * exit status or signal, and everything it printed. The message is one line (what was done, and the
 * summary line of the diagnostic); `detail` keeps the whole diagnostic.
 */
export class CommandError extends OperationFailedError {
  readonly command: readonly string[];
  /** The process's exit status; null when it was killed by a signal or did not start. */
  readonly status: number | null;
  readonly signal: string | null;
  /** stderr, or stdout when stderr was empty, whole. */
  readonly diagnostic: string;
  constructor(o: { what: string; command: readonly string[]; status: number | null; signal: string | null; diagnostic: string; cause?: string; nextStep?: string }) {
    const why = summaryLine(o.diagnostic) || o.cause || (o.signal ? `killed by ${o.signal}` : `exit status ${o.status}`);
    super(`${o.what}: ${why}`, o.nextStep, o.diagnostic.trim() || undefined);
    this.name = 'CommandError';
    this.command = o.command;
    this.status = o.status;
    this.signal = o.signal;
    this.diagnostic = o.diagnostic.trim();
  }
}

/**
 * The command has already printed its result (a report, a summary, a --json document) and only the exit
 * code remains to be set, with a short line on stderr unless --json. Lets commands keep exit codes out
 * of their own hands.
 */
export class ReportedError extends AbortError {
  constructor(exitCode: number, message: string, nextStep?: string) {
    super(message, { exitCode, ...(nextStep ? { nextStep } : {}) });
    this.name = 'ReportedError';
  }
}
