// Files and folders of the local servers, written the way servers want them: atomically (a temp file,
// then rename), only when the content differs, with a mode, and as root with an owner.
import { chmodSync, chownSync, closeSync, existsSync, mkdirSync, openSync, readFileSync, readSync, renameSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Account } from './system.ts';

export interface WriteOptions {
  /** Applied when running as root. */
  owner?: Account | null;
  /** A modification time for a new file (Postfix waits until main.cf is more than a second old). */
  mtime?: Date;
}

/** Writes a file only when its content differs, through a temp file and rename. True when it changed. */
export function writeIfChanged(file: string, content: string, mode = 0o600, o: WriteOptions = {}): boolean {
  if (existsSync(file) && readFileSync(file, 'utf8') === content) return false;
  mkdirSync(dirname(file), { recursive: true });
  const tmp = join(dirname(file), `.${basename(file)}.tmp`);
  writeFileSync(tmp, content, { mode });
  chmodSync(tmp, mode);
  if (o.owner) chownSync(tmp, o.owner.uid, o.owner.gid);
  if (o.mtime) utimesSync(tmp, o.mtime, o.mtime);
  renameSync(tmp, file);
  return true;
}

/** A folder with its mode (and owner, as root); an existing one keeps its content. */
export function makeFolder(path: string, mode = 0o755, owner: Account | null = null): void {
  mkdirSync(path, { recursive: true });
  if ((statSync(path).mode & 0o7777) !== mode) chmodSync(path, mode);
  if (owner) chownSync(path, owner.uid, owner.gid);
}

/** The last `lines` lines of a file (its last 64 KiB at most); empty when it does not exist. */
export function tail(file: string, lines = 20): string {
  if (!existsSync(file)) return '';
  const size = statSync(file).size;
  const length = Math.min(size, 65_536);
  const buffer = Buffer.alloc(length);
  const fd = openSync(file, 'r');
  try {
    readSync(fd, buffer, 0, length, size - length);
  } finally {
    closeSync(fd);
  }
  return buffer.toString('utf8').trimEnd().split('\n').slice(-lines).join('\n');
}
