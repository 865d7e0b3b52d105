// The services sync: reads what the stacks left in the cluster and applies it to the servers, the way a
// controller in the cluster would: mailbox Secrets → Dovecot and Postfix, bucket Secrets → the S3
// gateway, Ingress hosts and the platform's mail records → the DNS zone, profil pages → the web server.
// `desa up` and `desa destroy` run it after the stacks when they use the local cluster and its loopback
// servers. It is idempotent: a second run with nothing new changes no file and sends no update.
import { contractKeys, type DnsRecord, PART_OF_SELECTOR } from '../../core/contract.ts';
import type { Inventory } from '../../core/inventory/model.ts';
import { cacheDir, ROOT } from '../paths.ts';
import { run } from '../process.ts';
import { readServiceSecret, type LocalServices } from '../servers/state.ts';
import { serversStatus } from '../servers/supervisor.ts';
import { kubectlPath, readPins } from '../toolchain/pins.ts';
import { type ClusterObjects, desiredServices, type KubeObject } from './desired.ts';
import { applyDns } from './dns.ts';
import { applyFiles, type FilesReport } from './files.ts';
import { deleteMaildirs, writeDkimKey, writeMail } from './mail-files.ts';
import { applyOpensid, opensidInUse, type OpensidReport } from './opensid.ts';
import type { ReleaseSource } from './opensid-release.ts';
import { applyBuckets, type BucketReport } from './s3.ts';
import { writeSites } from './sites.ts';
import { identity } from '../servers/system.ts';
import { withPidLock } from '../pid-lock.ts';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

export interface SyncReport {
  /** Endpoints on 127.0.0.1, for people and tests. */
  endpoints: { smtp: number; submission: number; imap: number; imaps: number; dns: number; http: number; https: number; s3: number };
  mailboxes: number;
  aliases: number;
  /** The DKIM selector outgoing mail is signed with, or null when nothing signs. */
  dkimSelector: string | null;
  buckets: BucketReport;
  /** The desas' file space (SFTPGo), when it runs: logins, revoked ones, usage against quota. */
  files?: FilesReport;
  records: number;
  sites: number;
  /** OpenSID on the local servers, when any desa is (or was) on it. */
  opensid?: OpensidReport;
  /** Servers not running (not installed, or Postfix without root): their part was skipped. */
  skipped: { server: string; reason: string }[];
  changed: { mail: boolean; dns: number; sites: number };
  /** Wall milliseconds of each part that ran (mail, dkim, opensid, dns, sites, buckets, files). */
  timings: Record<string, number>;
}

/** What the sync takes from the stacks' configuration (the platform stack's settings, as it ran). */
export interface SyncSettings {
  /** Where the mailbox and bucket Secrets are. */
  platformNamespace: string;
  /** The TTL of the records it publishes. */
  dnsTtl: number;
  /** The OpenSID release (desa:opensid.source and sha256), when one is configured. */
  opensid?: ReleaseSource | null;
}

/** `kubectl get ARGS -o json` on the cluster of `kubeconfig`: its items. */
export async function kubectlJson(kubeconfig: string, args: string[], env: NodeJS.ProcessEnv): Promise<KubeObject[]> {
  const kubectl = kubectlPath(cacheDir(env), readPins(ROOT));
  const r = await run(kubectl, ['--kubeconfig', kubeconfig, '--request-timeout=30s', 'get', ...args, '-o', 'json'], { env, what: `kubectl get ${args[0]}` });
  return (JSON.parse(r.stdout) as { items: KubeObject[] }).items;
}

/** Reads, in two calls, every object the sync needs. Secret values stay in this process's memory. */
export async function readCluster(kubeconfig: string, domain: string, namespace: string, env: NodeJS.ProcessEnv): Promise<ClusterObjects> {
  const [secrets, others] = await Promise.all([
    kubectlJson(kubeconfig, ['secrets', '-n', namespace, '-l', contractKeys(domain).consumer], env),
    kubectlJson(kubeconfig, ['configmaps,ingresses', '-A', '-l', PART_OF_SELECTOR], env),
  ]);
  const kind = (o: KubeObject) => (o as { kind?: string }).kind;
  return { secrets, configMaps: others.filter((o) => kind(o) === 'ConfigMap'), ingresses: others.filter((o) => kind(o) === 'Ingress') };
}

export interface SyncOptions {
  services: LocalServices;
  kubeconfig: string;
  inventory: Inventory;
  settings: SyncSettings;
  env: NodeJS.ProcessEnv;
  /** Slugs whose data `destroy --delete-data` removes: their Maildirs and bucket go too. */
  deleteData?: readonly string[];
}

/** The records to publish: a desa on OpenSID that is not ready (not seeded, or failed) keeps its name out. */
export function publishable(records: readonly DnsRecord[], opensid: Pick<OpensidReport, 'sites'> | undefined): DnsRecord[] {
  const notReady = new Set((opensid?.sites ?? []).filter((x) => x.state !== 'ready').map((x) => `${x.host}.`));
  return records.filter((r) => !(r.type === 'A' && notReady.has(r.name)));
}

/**
 * One sync at a time on these servers: two runs that end together (two shards on one machine, two
 * `desa up`) would otherwise create the same logins twice and write the same files at once. The second
 * reads the cluster after the first has applied it, so it sees what both runs made.
 */
export async function syncServices(o: SyncOptions & { say?: (line: string) => void }): Promise<SyncReport> {
  return withPidLock(
    join(o.services.dir, 'sync.lock'),
    async () => applyServices(await readCluster(o.kubeconfig, o.inventory.kabupaten.domain, o.settings.platformNamespace, o.env), o),
    { doing: 'applying the stacks to the local servers', ...(o.say ? { say: o.say } : {}) },
  );
}

/** The sync's second half: the cluster's objects, as read, applied to the servers. */
export async function applyServices(objects: ClusterObjects, o: Omit<SyncOptions, 'kubeconfig'>): Promise<SyncReport> {
  const { services: s, env } = o;
  const domain = o.inventory.kabupaten.domain;
  const desired = desiredServices(objects, { domain, units: new Set(o.inventory.units.map((u) => u.slug)), address: '127.0.0.1', ttl: o.settings.dnsTtl });
  const status = new Map(serversStatus({ dir: s.dir, env }).map((x) => [x.name, x]));
  const skipped: SyncReport['skipped'] = [];
  const up = (name: string) => {
    const x = status.get(name);
    if (x?.state === 'running') return true;
    skipped.push({ server: name, reason: x?.reason ?? x?.state ?? 'unknown' });
    return false;
  };
  const deleteData = new Set(o.deleteData ?? []);
  const mail = { services: s, domain, env };
  const timings: Record<string, number> = {};
  const timed = async <T>(part: string, work: () => Promise<T> | T): Promise<T> => {
    const t0 = performance.now();
    try {
      return await work();
    } finally {
      timings[part] = Math.round(performance.now() - t0);
    }
  };

  // Dovecot alone gives IMAP logins; Postfix (root only) adds submission and delivery.
  let mailChanged = false;
  const dovecot = up('dovecot');
  const postfix = up('postfix');
  if (dovecot || postfix) mailChanged = (await timed('mail', () => writeMail(mail, desired.mailboxes))).changed;
  for (const slug of deleteData) deleteMaildirs(s, domain, slug);
  let dkimSelector: string | null = null;
  if (desired.dkim && postfix && up('opendkim')) {
    await timed('dkim', () => writeDkimKey(mail, desired.dkim!));
    dkimSelector = desired.dkim.selector;
  }
  // OpenSID before DNS: a desa's name is published only once its OpenSID is seeded and provisioned.
  let opensid: OpensidReport | undefined;
  if (opensidInUse(s.dir, desired.opensid)) {
    if (up('mariadb') && up('php-fpm') && up('nginx')) {
      opensid = await timed('opensid', () => applyOpensid({ services: s, domain, env, release: o.settings.opensid ?? null, sites: desired.opensid, deleteData, identity: identity() }));
    } else {
      opensid = { release: null, sites: desired.opensid.map((x) => ({ slug: x.slug, host: x.host, state: 'failed', seeded: false, error: 'the OpenSID servers (mariadb, php-fpm, nginx) are not all running here' })), kept: [], deleted: [] };
    }
  }
  const records = publishable(desired.records, opensid);
  let dnsChanged = 0;
  if (up('pdns')) {
    const r = await timed('dns', () => applyDns({ url: `http://127.0.0.1:${s.ports.dnsApi}`, apiKey: readServiceSecret(s.dir, 'dns-api-key') }, desired.zone, records));
    dnsChanged = r.changed + r.deleted;
  }
  let sitesChanged = 0;
  if (up('nginx')) {
    const r = await timed('sites', () => writeSites(s, desired.sites));
    sitesChanged = r.changed + r.removed;
  }
  let buckets: BucketReport = { active: 0, revoked: 0, deleted: 0, usage: [] };
  if (up('versitygw')) {
    buckets = await timed('buckets', () => applyBuckets(s, desired.buckets, deleteData, env));
  }
  // The file space: from the same bucket Secrets (its passwords are the access Secret's), on local disk.
  let files: FilesReport | undefined;
  if (up('sftpgo')) files = await timed('files', () => applyFiles(s, desired.buckets, deleteData));
  return {
    endpoints: { smtp: s.ports.smtp, submission: s.ports.submission, imap: s.ports.imap, imaps: s.ports.imaps, dns: s.ports.dns, http: s.ports.http, https: s.ports.https, s3: s.ports.s3 },
    mailboxes: desired.mailboxes.length,
    aliases: desired.mailboxes.reduce((n, m) => n + m.aliases.length, 0),
    dkimSelector,
    buckets,
    ...(files ? { files } : {}),
    records: records.length,
    sites: desired.sites.length,
    ...(opensid ? { opensid } : {}),
    skipped,
    changed: { mail: mailChanged, dns: dnsChanged, sites: sitesChanged },
    timings,
  };
}
