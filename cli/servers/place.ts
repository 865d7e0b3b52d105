// Where the servers' files live. Beside desa.yaml (.desa/services) when the servers' own users can reach
// that folder; but Debian makes home folders 0700 and /root is 0700, and as root the mail, web and DNS
// servers drop to unprivileged users (dovecot, postfix, nobody, opendkim) that cannot enter such a
// folder. Then the files go to a folder of the project's own under /var/lib/desa (DESA_SERVICES_HOME),
// one per checkout (a hash of its path), made and moded by desa, and .desa/services becomes a symbolic
// link to it: every reader finds them where they always were, the servers get paths they can reach, and
// the user is never asked to change the permissions of their home folder.
import { createHash } from 'node:crypto';
import { cpSync, existsSync, lstatSync, mkdirSync, readdirSync, realpathSync, renameSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** The default home of relocated server folders. */
export const SERVICES_HOME = '/var/lib/desa';

/** The folders from `path` up to / (the nearest existing ones) that other users cannot enter (no o+x). */
export function closedToOthers(path: string, stat: (p: string) => { mode: number } | undefined = (p) => statSync(p, { throwIfNoEntry: false })): string[] {
  const closed: string[] = [];
  for (let p = resolve(path); ; p = dirname(p)) {
    const st = stat(p);
    if (st && (st.mode & 0o001) === 0) closed.push(p);
    if (p === '/') return closed;
  }
}

/** The real path of the servers' folder (through its link, when relocated); `dir` resolved when it does not exist yet. */
export function realServersDir(dir: string): string {
  try {
    return realpathSync(dir);
  } catch {
    return resolve(dir);
  }
}

/** Where a relocated folder goes: HOME/services-<12 hex of the checkout's path>. Short, for unix sockets. */
export function relocatedPath(dir: string, home: string): string {
  return join(home, `services-${createHash('sha256').update(resolve(dir)).digest('hex').slice(0, 12)}`);
}

/**
 * Makes the servers' folder reachable by their users and returns its real path: `dir` itself when no
 * folder on its way is closed to others (or desa is not root: the servers then run as the user), else a
 * folder under `home` that `dir` links to. Files already in a real `dir` move there once.
 */
export function placeServersFolder(dir: string, o: { root: boolean; home?: string }): { dir: string; relocated: boolean } {
  const path = resolve(dir);
  const link = lstatSync(path, { throwIfNoEntry: false });
  if (link?.isSymbolicLink()) {
    const real = realServersDir(path);
    if (existsSync(real)) return { dir: real, relocated: true };
  }
  if (!o.root || closedToOthers(path).length === 0) {
    if (link?.isSymbolicLink()) rmSync(path); // a link whose folder is gone
    return { dir: path, relocated: false };
  }
  const home = o.home ?? SERVICES_HOME;
  const closedHome = closedToOthers(home);
  if (closedHome.length > 0) {
    throw new Error(`${closedToOthers(path)[0]} and ${closedHome[0]} are not open to the servers' users (mail and web processes run as unprivileged users); set DESA_SERVICES_HOME to a folder they can enter`);
  }
  const target = relocatedPath(path, home);
  mkdirSync(home, { recursive: true, mode: 0o755 });
  mkdirSync(dirname(path), { recursive: true });
  if (link?.isSymbolicLink()) rmSync(path);
  if (link?.isDirectory()) {
    // Move what a run before this one left there (a checkout whose folder was closed later).
    if (!existsSync(target)) {
      try {
        renameSync(path, target);
      } catch {
        cpSync(path, target, { recursive: true, preserveTimestamps: true, verbatimSymlinks: true });
        rmSync(path, { recursive: true, force: true });
      }
    } else {
      for (const n of readdirSync(path)) if (!existsSync(join(target, n))) renameSync(join(path, n), join(target, n));
      rmSync(path, { recursive: true, force: true });
    }
  }
  mkdirSync(target, { recursive: true, mode: 0o755 });
  symlinkSync(target, path);
  return { dir: target, relocated: true };
}

/** Deletes the servers' folder: through its link, the relocated folder too. */
export function removeServersFolder(dir: string): void {
  const path = resolve(dir);
  const link = lstatSync(path, { throwIfNoEntry: false });
  if (link?.isSymbolicLink()) rmSync(realServersDir(path), { recursive: true, force: true });
  rmSync(path, { recursive: true, force: true });
}
