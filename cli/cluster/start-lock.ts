// One start of the local cluster and its servers at a time per checkout: two `desa up` (or `desa cluster
// up`) started together would otherwise both run cluster.sh start and both launch the servers. A file
// made with O_EXCL holds the pid; a later start waits for it (saying who), and takes over a file whose
// process is gone.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { OperationFailedError } from '../../core/errors.ts';
import { commandOf } from '../engine/locks.ts';
import { alive } from '../servers/system.ts';

export async function withStartLock<T>(base: string, work: () => Promise<T>, o: { waitSeconds?: number; say?: (line: string) => void } = {}): Promise<T> {
  mkdirSync(base, { recursive: true });
  const file = join(base, 'start.lock');
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
      throw new OperationFailedError(`another run is starting the local cluster: ${who}.`, `Let it finish, then run again (it holds ${file}).`);
    }
    if (!said) o.say?.(`waiting for ${who}, which is starting the local cluster`);
    said = true;
    await new Promise((r) => setTimeout(r, 500));
  }
  try {
    return await work();
  } finally {
    rmSync(file, { force: true });
  }
}
