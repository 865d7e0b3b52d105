// Who holds a stack: Pulumi's file backend writes a lock file per running operation
// (.pulumi/locks/organization/<project>/<stack>/<id>.json: pid, username, hostname, timestamp), and a
// CLI that finds one says so ("…/<id>.json: created by user@host (pid N) at TIME"). desa reads either,
// names the holder (process, host, since when; on this host, the desa command behind that process), and
// waits a bounded time for it before giving up with what to do. Pure but for reading the lock files and
// /proc.
import { readdirSync, readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { OperationFailedError } from '../../core/errors.ts';
import { PROJECT } from '../paths.ts';

export interface LockHolder {
  pid: number | null;
  user?: string;
  host?: string;
  /** ISO 8601, when the lock was taken. */
  since?: string;
}

/** The lock files of a stack in a file backend, as holders. */
export function readLockHolders(backendDir: string, stack: string): LockHolder[] {
  const dir = join(backendDir, '.pulumi', 'locks', 'organization', PROJECT, stack);
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith('.json'));
  } catch {
    return [];
  }
  const holders: LockHolder[] = [];
  for (const n of names) {
    try {
      const j = JSON.parse(readFileSync(join(dir, n), 'utf8')) as { pid?: unknown; username?: unknown; hostname?: unknown; timestamp?: unknown };
      holders.push({
        pid: typeof j.pid === 'number' ? j.pid : null,
        ...(typeof j.username === 'string' ? { user: j.username } : {}),
        ...(typeof j.hostname === 'string' ? { host: j.hostname } : {}),
        ...(typeof j.timestamp === 'string' ? { since: j.timestamp } : {}),
      });
    } catch {
      holders.push({ pid: null }); // being written, or unreadable: still a lock
    }
  }
  return holders;
}

const LOCKED = /the stack is currently locked by|\[409\] Conflict: Another update is currently in progress/;

/** Whether an engine failure is another run holding the stack. */
export const isLockError = (text: string): boolean => LOCKED.test(text);

/** The holders a CLI's lock error names ("…json: created by user@host (pid N) at TIME"); [] when it names none. */
export function holdersInError(text: string): LockHolder[] {
  return [...text.matchAll(/created by ([^@\s]+)@(\S+) \(pid (\d+)\) at (\S+)/g)].map((m) => ({ pid: Number(m[3]), user: m[1]!, host: m[2]!, since: m[4]! }));
}

/** On this host: the command line of a process, shortened ("desa up --refresh"), or null. */
export function commandOf(pid: number): string | null {
  try {
    const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
    const main = argv.findIndex((a) => a.endsWith('cli/main.ts') || a.endsWith('/desa') || a === 'desa');
    if (main >= 0) return ['desa', ...argv.slice(main + 1)].join(' ');
    return argv.map((a) => a.split('/').at(-1)).slice(0, 3).join(' ') || null;
  } catch {
    return null;
  }
}

function parentOf(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    return Number.isInteger(ppid) && ppid > 1 ? ppid : null;
  } catch {
    return null;
  }
}

/** "process 4242 (pulumi up, run by `desa up --refresh`, pid 4200) of root on vm-1 since 2026-12-03 10:02:03 UTC, 4s ago" */
export function describeHolder(h: LockHolder, o: { host?: string; now?: number; command?: (pid: number) => string | null; parent?: (pid: number) => number | null } = {}): string {
  const here = h.host === undefined || h.host === (o.host ?? hostname());
  const cmd = o.command ?? commandOf;
  const parent = o.parent ?? parentOf;
  let who = h.pid === null ? 'a run whose lock file names no process' : `process ${h.pid}`;
  if (h.pid !== null && here) {
    const own = cmd(h.pid);
    const ppid = parent(h.pid);
    const by = ppid !== null ? cmd(ppid) : null;
    const parts = [own, by?.startsWith('desa ') ? `run by \`${by}\`, pid ${ppid}` : null].filter(Boolean);
    if (parts.length) who += ` (${parts.join(', ')})`;
  }
  if (h.user) who += ` of ${h.user}`;
  if (h.host) who += ` on ${here ? `this machine (${h.host})` : h.host}`;
  if (h.since) {
    const t = new Date(h.since);
    if (!Number.isNaN(t.getTime())) {
      const ago = Math.max(0, Math.round(((o.now ?? Date.now()) - t.getTime()) / 1000));
      who += ` since ${t.toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z')} (${ago}s ago)`;
    }
  }
  return who;
}

/** Another run holds a stack; says who, and what to do. */
export class StackLockedError extends OperationFailedError {
  readonly holders: LockHolder[];
  constructor(stack: string, holders: LockHolder[], o: { waited: number; detail?: string; describe?: (h: LockHolder) => string }) {
    const describe = o.describe ?? ((h: LockHolder) => describeHolder(h));
    const who = holders.length ? holders.map(describe).join('; ') : 'another run (the engine did not say which)';
    const waited = o.waited > 0 ? ` (waited ${o.waited}s)` : '';
    super(
      `another run holds stack ${stack}${waited}: ${who}. Let it finish, then run again (--lock-wait SECONDS waits longer).`,
      `desa waits for a stack another run holds (--lock-wait, default 300 seconds; 0 refuses at once). ` +
        `If that process no longer exists (a machine that was lost), release the lock with \`pulumi cancel --stack ${stack}\` ` +
        `in .desa/work/${stack}, or just run desa again on that machine: it cancels locks whose process is gone.`,
      o.detail,
    );
    this.name = 'StackLockedError';
    this.holders = holders;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Holders that may still be working: all but those on this host whose process is gone (recover() cancels those). */
export function liveHolders(holders: readonly LockHolder[], host = hostname(), isAlive = alive): LockHolder[] {
  return holders.filter((h) => h.pid === null || (h.host !== undefined && h.host !== host) || isAlive(h.pid));
}
