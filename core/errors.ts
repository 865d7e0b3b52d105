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
  /** Interrupted by Ctrl-C. */
  interrupted: 130,
} as const;

/** A mistake the user can fix; carries the next step. Printed without a stack trace. */
export class AbortError extends Error {
  readonly exitCode: number;
  readonly nextStep: string | undefined;
  constructor(message: string, opts: { nextStep?: string; exitCode?: number } = {}) {
    super(message);
    this.name = 'AbortError';
    this.nextStep = opts.nextStep;
    this.exitCode = opts.exitCode ?? EXIT.usage;
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
  constructor(message: string, nextStep?: string) {
    super(message, { exitCode: EXIT.operationFailed, ...(nextStep ? { nextStep } : {}) });
    this.name = 'OperationFailedError';
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
