// One holder at a time per file, across processes on this machine: a file made with O_EXCL holds the
// holder's pid; a later caller waits for it (saying who), and takes over a file whose process is gone.
// Used where two runs started together (two `desa up`, two shards on one machine) would otherwise both
// start the local cluster, or both apply the stacks' objects to the same local servers.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { OperationFailedError } from '../core/errors.ts';
import { commandOf } from './engine/locks.ts';
import { alive } from './servers/system.ts';

export interface PidLockOptions {
  /** What the holder is doing, for the messages: "starting the local cluster". */
  doing: string;
  /** How long to wait for another holder before giving up naming it (default 30 min). */
  waitSeconds?: number;
  /** Told once when this run starts waiting. */
  say?: (line: string) => void;
}

export async function withPidLock<T>(file: string, work: () => Promise<T>, o: PidLockOptions): Promise<T> {
  mkdirSync(dirname(file), { recursive: true });
  const deadline = Date.now() + (o.waitSeconds ?? 1800) * 1000;
  let said = false;
  for (;;) {
    try {
      writeFileSync(file, `${process.pid}\n`, { flag: 'wx' });
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    let pid = Number.NaN;
    try {
      pid = Number(readFileSync(file, 'utf8').trim());
    } catch {
      continue; // removed meanwhile
    }
    if (!Number.isInteger(pid) || pid <= 0 || !alive(pid)) {
      rmSync(file, { force: true });
      continue;
    }
    const who = `process ${pid}${commandOf(pid) ? ` (\`${commandOf(pid)}\`)` : ''}`;
    if (Date.now() >= deadline) {
      throw new OperationFailedError(`another run is ${o.doing}: ${who}.`, `Let it finish, then run again (it holds ${file}).`);
    }
    if (!said) o.say?.(`waiting for ${who}, which is ${o.doing}`);
    said = true;
    await new Promise((r) => setTimeout(r, 500));
  }
  try {
    return await work();
  } finally {
    rmSync(file, { force: true });
  }
}
