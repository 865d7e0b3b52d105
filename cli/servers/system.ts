// What the supervisor asks of the operating system (Linux): who we are, which users exist, whether a
// pid is alive and one of ours, whether a port is listening. Read from /etc and /proc: no processes.
import { existsSync, readFileSync, readlinkSync } from 'node:fs';
import { userInfo } from 'node:os';
import { isAbsolute } from 'node:path';
import { isExecutable, which } from '../toolchain/pins.ts';

export interface Account {
  uid: number;
  gid: number;
}

function table(file: string): string[][] {
  try {
    return readFileSync(file, 'utf8')
      .split('\n')
      .filter((l) => l && !l.startsWith('#'))
      .map((l) => l.split(':'));
  } catch {
    return [];
  }
}

/** A local user (/etc/passwd), or null. */
export function lookupUser(name: string): Account | null {
  const row = table('/etc/passwd').find((r) => r[0] === name);
  return row ? { uid: Number(row[2]), gid: Number(row[3]) } : null;
}

/** A local group's gid (/etc/group), or null. */
export function lookupGroup(name: string): number | null {
  const row = table('/etc/group').find((r) => r[0] === name);
  return row ? Number(row[2]) : null;
}

function groupName(gid: number): string {
  return table('/etc/group').find((r) => Number(r[2]) === gid)?.[0] ?? String(gid);
}

/** user[:group] → uid and gid (the user's own group when none is named); null when either is unknown. */
export function lookupOwner(owner: string): Account | null {
  const [user, group] = owner.split(':');
  const u = lookupUser(user!);
  if (!u) return null;
  if (!group) return u;
  const gid = lookupGroup(group);
  return gid === null ? null : { uid: u.uid, gid };
}

export interface Identity {
  root: boolean;
  self: { user: string; group: string };
  /** The group of `nobody` (Debian: nogroup). */
  nobodyGroup: string;
}

export function identity(): Identity {
  const me = userInfo();
  const nobody = lookupUser('nobody');
  return { root: me.uid === 0, self: { user: me.username, group: groupName(me.gid) }, nobodyGroup: nobody ? groupName(nobody.gid) : 'nogroup' };
}

/** The environment with /usr/sbin and /sbin on PATH, where Debian puts the servers. */
export function withSbin(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return { ...env, PATH: `${env.PATH ?? '/usr/bin:/bin'}:/usr/sbin:/sbin` };
}

/** The executable a launch names: absolute as it is, else found on PATH (with sbin); null when absent. */
export function findCommand(command: string, env: NodeJS.ProcessEnv): string | null {
  if (isAbsolute(command)) return isExecutable(command) ? command : null;
  return which(command, withSbin(env));
}

/** A process that has not exited (a zombie waiting to be reaped counts as gone). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  try {
    // pid (comm) state …: comm may hold spaces and parentheses, so the state follows the last ')'.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}

/** Alive, and a server of `dir`: its command line names a path under it, or it runs in it (Postfix's master). */
export function ours(pid: number, dir: string): boolean {
  if (!Number.isInteger(pid) || pid <= 0 || !alive(pid)) return false;
  try {
    if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ').includes(`${dir}/`)) return true;
  } catch {
    return false;
  }
  try {
    return readlinkSync(`/proc/${pid}/cwd`).startsWith(`${dir}/`);
  } catch {
    return false;
  }
}

/** The pid in a pid file, or null. */
export function readPid(file: string): number | null {
  if (!existsSync(file)) return null;
  const text = readFileSync(file, 'utf8').trim();
  return /^\d+$/.test(text) ? Number(text) : null;
}

/** Whether something listens on `port` on 127.0.0.1 (or on every address), from /proc/net/tcp or udp. */
export function listening(port: number, proto: 'tcp' | 'udp' = 'tcp'): boolean {
  const hex = `:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  const state = proto === 'udp' ? '07' : '0A';
  let text: string;
  try {
    text = readFileSync(`/proc/net/${proto}`, 'utf8');
  } catch {
    return false;
  }
  for (const line of text.split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    const local = f[1];
    if (!local || f[3] !== state || !local.endsWith(hex)) continue;
    const addr = local.slice(0, 8);
    if (addr === '0100007F' || addr === '7F000001' || addr === '00000000') return true;
  }
  return false;
}
