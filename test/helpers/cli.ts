// Runs the real CLI (bin/desa, on the project's Node 24) as a user would, without a TTY.
import { spawnSync } from 'node:child_process';
import { DESA_BIN } from './inventory.ts';

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

export function desa(args: string[], opts: { cwd?: string; env?: Record<string, string>; input?: string } = {}): Run {
  const r = spawnSync(DESA_BIN, args, {
    cwd: opts.cwd,
    encoding: 'utf8',
    input: opts.input ?? '',
    env: { ...process.env, NO_COLOR: '1', CI: 'true', ...opts.env },
    timeout: 60_000,
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** A stack trace in user-facing output is a defect: user mistakes get a message, not internals. */
export const STACK_TRACE = /^\s+at .+:\d+:\d+\)?$/m;
