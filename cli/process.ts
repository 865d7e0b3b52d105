// Every child process desa runs and waits for goes through here (execa underneath): no shell, stdin
// closed unless given, a timeout, and one error type for a failure (CommandError: the command, its exit
// status and its whole diagnostic). Secrets go by `env` or `input`, never in `args`.
import { execa } from 'execa';
import { CommandError } from '../core/errors.ts';

export interface RunOptions {
  /** What the command does, for the error message ("postfix reload"); default: the command line. */
  what?: string;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Written to its stdin (a key, never an argument). */
  input?: string;
  /** A file read into its stdin (a database dump). */
  inputFile?: string;
  /** A file its stdout is written to instead of kept (a database dump); it is created with the umask. */
  stdoutFile?: string;
  /** Milliseconds; default 60 s; 0: none. */
  timeout?: number;
  /** 'stderr': its output is progress for the user and goes to our stderr as it comes (and is not kept). */
  output?: 'capture' | 'stderr';
  nextStep?: string;
}

export interface RunResult {
  stdout: string;
  stderr: string;
}

export interface Outcome extends RunResult {
  ok: boolean;
  /** Set when !ok. */
  error?: CommandError;
}

/** Runs a command to its end; never throws for a failure of the command itself. */
export async function attempt(file: string, args: readonly string[], o: RunOptions = {}): Promise<Outcome> {
  const passthrough = o.output === 'stderr';
  const r = await execa(file, args, {
    env: o.env ?? process.env,
    extendEnv: false,
    reject: false,
    timeout: o.timeout ?? 60_000,
    ...(o.cwd ? { cwd: o.cwd } : {}),
    ...(o.input !== undefined ? { input: o.input } : o.inputFile !== undefined ? { inputFile: o.inputFile } : { stdin: 'ignore' as const }),
    ...(passthrough ? { stdout: 2 as const, stderr: 'inherit' as const } : o.stdoutFile !== undefined ? { stdout: { file: o.stdoutFile } } : {}),
  });
  const stdout = typeof r.stdout === 'string' ? r.stdout : '';
  const stderr = typeof r.stderr === 'string' ? r.stderr : '';
  if (!r.failed) return { ok: true, stdout, stderr };
  const command = [file, ...args];
  const cause = r.timedOut ? `timed out after ${(o.timeout ?? 60_000) / 1000}s` : r.exitCode === undefined && !r.signal ? r.shortMessage : undefined;
  const error = new CommandError({
    what: o.what ?? command.join(' '),
    command,
    status: r.exitCode ?? null,
    signal: r.signal ?? null,
    diagnostic: passthrough ? '' : [stderr, stderr.trim() ? '' : stdout].join('').trim() || (cause ?? ''),
    ...(cause ? { cause } : {}),
    ...(o.nextStep ? { nextStep: o.nextStep } : {}),
  });
  return { ok: false, stdout, stderr, error };
}

/** Runs a command to its end; a CommandError when it fails (exit status, signal, timeout, not found). */
export async function run(file: string, args: readonly string[], o: RunOptions = {}): Promise<RunResult> {
  const r = await attempt(file, args, o);
  if (r.error) throw r.error;
  return { stdout: r.stdout, stderr: r.stderr };
}
