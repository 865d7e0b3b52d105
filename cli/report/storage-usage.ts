// The desas' file-space usage against quota, read live from the local SFTPGo (cli/services/files.ts
// readFilesUsage: one listing of its users, no write) when this inventory's local servers have run and
// SFTPGo is running. Otherwise the usage is not known, and the report says so: never zeros. Against a
// cluster other than the embedded one (the stacks applied with --kubeconfig/--context) the local SFTPGo
// is not that cluster's, so it is not read. Loads the servers' modules only when their state exists, so
// a report without local servers (the national benchmark) pays nothing for it.
import type { MeasuredUsage } from './model.ts';

export interface ReadUsage {
  measuredAt: string;
  units: Map<string, MeasuredUsage>;
}

/** Seconds SFTPGo has to answer before the report goes on without the usage. */
export const USAGE_TIMEOUT_MS = 5_000;

export async function readStorageUsage(file: string, env: NodeJS.ProcessEnv, timeoutMs = USAGE_TIMEOUT_MS): Promise<ReadUsage | undefined> {
  const [{ stateDirs }, { readLocalServices }] = await Promise.all([import('../paths.ts'), import('../servers/state.ts')]);
  if (env.DESA_SERVICES === 'off') return undefined;
  const dirs = stateDirs(file, env);
  const services = readLocalServices(dirs.services);
  if (!services) return undefined;
  const [{ serversStatus }, { otherCluster }, { PLATFORM_STACK }] = await Promise.all([
    import('../servers/supervisor.ts'),
    import('../engine/stack-config-file.ts'),
    import('../../core/inventory/model.ts'),
  ]);
  if (otherCluster(dirs, PLATFORM_STACK)) return undefined;
  if (serversStatus({ dir: services.dir, env }).find((s) => s.name === 'sftpgo')?.state !== 'running') return undefined;
  const [{ readFilesUsage }, { log }] = await Promise.all([import('../services/files.ts'), import('../ui/output.ts')]);
  try {
    const measuredAt = new Date().toISOString();
    const usage = await readFilesUsage(services, timeoutMs);
    return { measuredAt, units: new Map(usage.map(({ slug, ...u }) => [slug, u])) };
  } catch (e) {
    const err = e as Error & { cause?: { code?: string } };
    const why = err.name === 'TimeoutError' ? `no answer within ${timeoutMs / 1000} s` : `${err.message}${err.cause?.code ? ` (${err.cause.code})` : ''}`;
    log.warn(`file-space usage not measured: the local SFTPGo on port ${services.ports.files} did not answer (${why}). \`desa cluster status\` shows the servers; --no-state skips it.`);
    return undefined;
  }
}
