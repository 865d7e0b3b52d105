// One start of the local cluster and its servers at a time per checkout: two `desa up` (or `desa cluster
// up`) started together would otherwise both run cluster.sh start and both launch the servers.
import { join } from 'node:path';
import { withPidLock } from '../pid-lock.ts';

export function withStartLock<T>(base: string, work: () => Promise<T>, o: { waitSeconds?: number; say?: (line: string) => void } = {}): Promise<T> {
  return withPidLock(join(base, 'start.lock'), work, { doing: 'starting the local cluster', ...o });
}
