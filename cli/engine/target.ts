// Where the stacks go, decided by the command: a cluster the user names (--kubeconfig, --context), or the
// local cluster with its servers (cli/cluster/target.ts). The engine opens the target once the
// inventory is valid, gives every stack the config it returns, and after up, destroy or rotate hands it
// the run's outcome (the local target applies it to its servers). The engine never reaches for a
// cluster or a server itself.
import type { Inventory } from '../../core/inventory/model.ts';
import type { CertificateOrder, IssuedCertificate } from './certificate-budget.ts';
import type { StateDirs } from '../paths.ts';
import type { ClusterIdentity } from './identity.ts';
import type { RunSummary, Verb } from './run-loop.ts';

export interface AfterRun {
  verb: Verb;
  summary: RunSummary;
  inventory: Inventory;
  dirs: StateDirs;
  /** The config every stack got (the platform's own may have more: stack-config.ts reads it). */
  config: Record<string, unknown>;
  /** Slugs whose data `destroy --delete-data` removed. */
  deleteData: readonly string[];
}

export interface OpenedTarget<X extends object> {
  /** Stack config every stack gets: kubernetes:* and the desa:* service modes. */
  config: Record<string, unknown>;
  /** Merged into every summary (the local cluster's kubeconfig). */
  extras: Partial<X>;
  /**
   * The cluster the stacks go to (identity.ts): recorded by every stack, and a stack applied to another
   * one is refreshed first. Null when it could not be read (then no stack is skipped as unchanged).
   */
  identity: ClusterIdentity | null;
  /** Why the identity could not be read, for a warning. */
  identityProblem?: string;
  /**
   * Certificates the target orders itself, outside the stacks (the local CA's wildcard): what this run
   * would order, and what was issued (for the weekly budget `desa plan` checks).
   */
  certificates?(): Promise<{ orders: CertificateOrder[]; issued: IssuedCertificate[] }>;
  /** After up, destroy and rotate, unless interrupted: what it adds to the summary, and whether it worked. */
  finish?(r: AfterRun): Promise<{ ok: boolean; extras: Partial<X> }>;
}

export interface Target<X extends object = object> {
  /** Called once the inventory is valid, before any stack runs. */
  open(inventory: Inventory, dirs: StateDirs): Promise<OpenedTarget<X>>;
  /** Why a run failed for the target's own part when every stack succeeded, or null. */
  explain?(s: RunSummary & Partial<X>): { message: string; nextStep: string } | null;
}

/** A cluster named by --kubeconfig and/or --context: the stacks get exactly that, nothing runs beside it. */
export function kubeconfigTarget<X extends object = object>(file: string, o: { kubeconfig?: string | undefined; context?: string | undefined }): Target<X> {
  const config: Record<string, unknown> = { 'desa:inventory': file };
  if (o.kubeconfig) config['kubernetes:kubeconfig'] = o.kubeconfig;
  if (o.context) config['kubernetes:context'] = o.context;
  return {
    open: async () => {
      const { readClusterIdentity } = await import('../cluster/identity.ts');
      const { identity, problem } = await readClusterIdentity(o, process.env);
      return { config, extras: {}, identity, ...(problem ? { identityProblem: problem } : {}) };
    },
  };
}
