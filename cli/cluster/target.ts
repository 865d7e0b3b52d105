// The local target of up, plan, destroy and rotate (no --kubeconfig/--context): it starts the local
// cluster and its servers, points the platform at those servers as its "existing" services, and after
// the run applies what the stacks left in the cluster to the servers (the services sync), with the
// platform stack's actual settings. The command passes it to the engine; the engine never reaches for it.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeError, OperationFailedError } from '../../core/errors.ts';
import type { Inventory } from '../../core/inventory/model.ts';
import { PLATFORM_STACK } from '../../core/inventory/model.ts';
import type { CertificateOrder, IssuedCertificate } from '../engine/certificate-budget.ts';
import type { RunSummary } from '../engine/run-loop.ts';
import { stackSettings } from '../engine/stack-config.ts';
import type { AfterRun, Target } from '../engine/target.ts';
import type { StateDirs } from '../paths.ts';
import { LOCAL_CA_CAA } from '../servers/pebble.ts';
import { readLocalServices } from '../servers/state.ts';
import { kubectlJson, syncServices, type SyncReport } from '../services/sync.ts';
import { clusterUp } from './local-cluster.ts';
import { defaultClassProblem } from './volumes.ts';
import { log } from '../ui/output.ts';
import type { ServerFailure } from './servers.ts';

/** What a run on the local cluster adds to its summary (--json: .localKubeconfig, .services). */
export interface LocalExtras {
  /** The local cluster's kubeconfig. */
  localKubeconfig: string;
  /** What the services sync applied to the local servers, or why it failed. */
  services: SyncReport | { error: string; detail?: string };
  /** Local servers that are installed but did not come up: the run fails, naming them. */
  serversFailed: ServerFailure[];
}

/**
 * The OpenSID release the local servers serve: DESA_OPENSID_SOURCE (an https URL or an absolute path of
 * the release's .tar.gz, or an unpacked folder) and DESA_OPENSID_SHA256 (the tarball's checksum).
 * Unset, an OpenSID desa fails with what to set, and the others go on.
 */
export function localOpensid(env: NodeJS.ProcessEnv): Record<string, string> {
  return {
    mode: 'existing',
    ...(env.DESA_OPENSID_SOURCE ? { source: env.DESA_OPENSID_SOURCE } : {}),
    ...(env.DESA_OPENSID_SHA256 ? { sha256: env.DESA_OPENSID_SHA256 } : {}),
  };
}

/**
 * Stack config for the local cluster: every platform service is "existing", the loopback servers beside
 * the cluster (mail, DNS, web, and S3 at `s3Endpoint`) standing in for them; OpenSID too (`opensid`,
 * from localOpensid).
 */
export function localClusterConfig(inventory: string, kubeconfig: string, s3Endpoint = 'http://127.0.0.1:7070', opensid: Record<string, string> = { mode: 'existing' }): Record<string, unknown> {
  return {
    'desa:inventory': inventory,
    'desa:customResources': false,
    'desa:ingress': { mode: 'existing', publishesStatus: false },
    // The local PowerDNS serves the zone, so its CAA record names the local CA (Pebble), not Let's Encrypt.
    'desa:tls': { certManager: 'existing', caa: [LOCAL_CA_CAA] },
    'desa:dns': { mode: 'existing' },
    'desa:mail': { mode: 'existing' },
    'desa:storage': { mode: 'existing', endpoint: s3Endpoint },
    // Roundcube and SFTPGo run beside the cluster, behind the local nginx.
    'desa:webmail': { mode: 'existing' },
    'desa:files': { mode: 'existing' },
    'desa:opensid': opensid,
    'kubernetes:kubeconfig': kubeconfig,
  };
}

async function sync(r: AfterRun, kubeconfig: string, env: NodeJS.ProcessEnv): Promise<{ ok: boolean; extras: Partial<LocalExtras> }> {
  const services = env.DESA_SERVICES === 'off' ? null : readLocalServices(r.dirs.services);
  if (!services) return { ok: true, extras: {} };
  try {
    const settings = stackSettings(r.dirs, PLATFORM_STACK, r.config);
    const report = await syncServices({
      services,
      kubeconfig,
      inventory: r.inventory,
      settings: { platformNamespace: settings.platformNamespace, dnsTtl: settings.dns.ttl, opensid: settings.opensid.source ? { source: settings.opensid.source, sha256: settings.opensid.sha256 } : null },
      env,
      deleteData: r.deleteData,
      say: (line) => log.step(line),
    });
    // An OpenSID desa that could not be provisioned is not served: the run failed for it.
    return { ok: !report.opensid?.sites.some((x) => x.state === 'failed'), extras: { services: report } };
  } catch (e) {
    const { summary, detail } = describeError(e);
    return { ok: false, extras: { services: { error: summary, ...(detail ? { detail } : {}) } } };
  }
}

/**
 * Before any stack runs: desa whose site has volumes need the cluster's default StorageClass, or their
 * claims stay Pending and each stack waits 5 minutes for nothing. Fails at once, with the cause.
 */
async function requireVolumes(inventory: Inventory, kubeconfig: string, env: NodeJS.ProcessEnv): Promise<void> {
  const withVolumes = inventory.units.filter((u) => u.services.site.enabled && u.services.site.template === 'opensid');
  if (withVolumes.length === 0) return;
  const problem = defaultClassProblem(await kubectlJson(kubeconfig, ['storageclasses'], env));
  if (!problem) return;
  const names = withVolumes.slice(0, 3).map((u) => u.slug).join(', ') + (withVolumes.length > 3 ? ` and ${withVolumes.length - 3} more` : '');
  throw new OperationFailedError(
    `${problem}: the volume claims of ${names} (template opensid) could never bind; nothing was run.`,
    'Run `desa cluster down` and `desa cluster up`: the cluster\'s volume provisioner makes its default StorageClass (desa-local) again.',
  );
}

/**
 * The local CA's wildcard, as `desa up` would decide it (cli/services/tls-plan.ts; without asking the CA
 * for its renewal window): ordered when none is held, it is from an earlier CA root, covers other names,
 * or is due; and the one held, by its notBefore.
 */
async function localCertificates(servicesDir: string, domain: string, env: NodeJS.ProcessEnv): Promise<{ orders: CertificateOrder[]; issued: IssuedCertificate[] }> {
  if (env.DESA_SERVICES === 'off' || !readLocalServices(servicesDir)) return { orders: [], issued: [] };
  const [{ readHeld }, { certificateDecision }, { TLS_FILES, certificateNames }] = await Promise.all([import('../services/tls.ts'), import('../services/tls-plan.ts'), import('../servers/tls-files.ts')]);
  const caFile = join(servicesDir, TLS_FILES.ca);
  const held = readHeld(join(servicesDir, TLS_FILES.cert), existsSync(caFile) ? readFileSync(caFile, 'utf8') : null);
  const names = certificateNames(domain);
  const decision = certificateDecision({ wanted: names, held, window: null, now: new Date() });
  return {
    orders: decision.order ? [{ source: `the local CA: ${names.join(' + ')}`, reason: decision.reason }] : [],
    issued: held ? [{ source: `the local CA: ${held.names.join(' + ')}`, notBefore: held.notBefore }] : [],
  };
}

export function localTarget(file: string, env: NodeJS.ProcessEnv): Target<LocalExtras> {
  return {
    open: async (inventory: Inventory, dirs: StateDirs) => {
      const c = await clusterUp({ file, nodes: 1, env, site: { domain: inventory.kabupaten.domain, kabupaten: inventory.kabupaten.name } });
      await requireVolumes(inventory, c.kubeconfig, env);
      const s3 = readLocalServices(dirs.services)?.ports.s3;
      return {
        config: localClusterConfig(file, c.kubeconfig, s3 ? `http://127.0.0.1:${s3}` : undefined, localOpensid(env)),
        extras: { localKubeconfig: c.kubeconfig },
        identity: c.identity,
        certificates: () => localCertificates(dirs.services, inventory.kabupaten.domain, env),
        finish: async (r) => {
          const out = await sync(r, c.kubeconfig, env);
          if (c.servicesFailed.length === 0) return out;
          return { ok: false, extras: { ...out.extras, serversFailed: c.servicesFailed } };
        },
      };
    },
    explain: (s: RunSummary & Partial<LocalExtras>) => {
      if (s.services && 'error' in s.services) {
        return {
          message: `Every stack succeeded, but applying them to the local servers failed: ${s.services.error}`,
          nextStep: `Check \`desa cluster status\` and the logs in .desa/services/log, then run \`desa ${s.verb}\` again.`,
        };
      }
      if (s.serversFailed?.length) {
        return {
          message: `Every stack succeeded, but ${s.serversFailed.length} local server(s) did not start, so what they serve is not there: ${s.serversFailed.map((f) => f.server).join(', ')}.`,
          nextStep: `See why above and in .desa/services/log; \`desa cluster status\` lists the servers. Fix it and run \`desa ${s.verb}\` again.`,
        };
      }
      const failed = s.services && 'opensid' in s.services ? (s.services.opensid?.sites ?? []).filter((x) => x.state === 'failed') : [];
      if (failed.length === 0) return null;
      return {
        message: `Every stack succeeded, but OpenSID could not be provisioned for ${failed.map((x) => `${x.slug} (${x.error?.split('\n')[0] ?? 'unknown'})`).join(', ')}; its name is not published.`,
        nextStep: `See the logs in .desa/services/opensid/sites/<slug>/log and .desa/services/log, then run \`desa ${s.verb}\` again.`,
      };
    },
  };
}
