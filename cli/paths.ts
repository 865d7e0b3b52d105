// Where the toolkit keeps things. Project-local state (gitignored, under .desa/) is the cluster's data,
// the Pulumi file backend, one work directory per stack and the secrets passphrase. Built tools live in
// a cache outside the repository so that other checkouts and later runs reuse them.
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '..');

/** The Pulumi project of every stack (the platform and one per desa). */
export const PROJECT = 'desa';

export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.DESA_CACHE ?? join(env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'desa');
}

/** Project-local state for an inventory: .desa/ beside desa.yaml. */
export function stateDirs(inventoryFile: string, env: NodeJS.ProcessEnv = process.env) {
  const base = env.DESA_STATE_DIR ?? join(dirname(resolve(inventoryFile)), '.desa');
  return {
    base,
    cluster: join(base, 'cluster'),
    /** Written by toolchain/cluster.sh: the local cluster's admin credentials. */
    kubeconfig: join(base, 'cluster', 'admin.kubeconfig'),
    /** The local loopback servers (cli/servers/): mail, DNS, web, S3. */
    services: join(base, 'services'),
    backend: join(base, 'state'),
    work: join(base, 'work'),
    passphraseFile: join(base, 'passphrase'),
    /** `desa check`'s last result per desa, which `desa report` shows (no secrets). */
    lastCheck: join(base, 'check.json'),
  };
}

export type StateDirs = ReturnType<typeof stateDirs>;
