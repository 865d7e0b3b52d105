// What the platform's services must serve, derived from the cluster as the stacks left it: the mailbox and
// bucket Secrets and the mail-dns ConfigMap in the platform namespace, and each desa's Ingress and profil
// page. Plain data in, plain data out: no I/O, so the rules (who gets an account, which names exist,
// what an offboarded desa keeps) are tested without servers. Values read from Secrets stay in memory.
import { dovecotQuota } from '../servers/dovecot.ts';
import { BUCKET, BUCKET_ACCESS, CONSUMER, contractKeys, DEFAULT_MAILBOX_QUOTA, DKIM, type DnsRecord, filesHost, MAIL_DNS, MAILBOX, OPENSID, SITE_PAGE, webmailHost } from '../../core/contract.ts';
import type { OpensidIdentity } from '../../core/opensid.ts';

/** The part of a Kubernetes object the sync reads. */
export interface KubeObject {
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  data?: Record<string, string>;
  spec?: { rules?: { host?: string }[] };
}

export interface ClusterObjects {
  /** Secrets of the platform namespace labelled <domain>/consumer. */
  secrets: KubeObject[];
  /** ConfigMaps labelled app.kubernetes.io/part-of=desa, in every namespace. */
  configMaps: KubeObject[];
  /** Ingresses labelled app.kubernetes.io/part-of=desa, in every namespace. */
  ingresses: KubeObject[];
}

export interface Mailbox {
  slug: string;
  address: string;
  password: string;
  /** Dovecot's form of the quota: 2Gi → 2G (Dovecot's units are powers of 1024). */
  quota: string;
  aliases: string[];
}

export interface Bucket {
  slug: string;
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** The quota as the desa stack annotated it (20Gi); reported against usage, enforced by the file space. */
  quota: string;
  /** The passwords of the desa's file-space login and admin ('' from a claim made before they existed). */
  filesPassword: string;
  filesAdminPassword: string;
  /**
   * False for a kept bucket whose desa was offboarded (its access Secret deleted, or its desa gone from
   * desa.yaml): the data stays, the key is revoked.
   */
  active: boolean;
}

export interface Site {
  /** The directory the web server serves for the host: its first label. */
  name: string;
  host: string;
  html: string;
}

/** An OpenSID desa to serve (its contract Secret, core/contract.ts OPENSID), from a desa in desa.yaml. */
export interface OpensidSite {
  slug: string;
  host: string;
  /** The desa's code without dots (OpenSID's kode_desa). */
  code: string;
  database: string;
  /** The database user, and the system user its PHP runs as. */
  username: string;
  password: string;
  adminUsername: string;
  adminPassword: string;
  identity: OpensidIdentity;
}

export interface Desired {
  zone: string;
  /** The key mail is signed with (the platform's mail-dkim Secret), when the platform generated one. */
  dkim: { selector: string; privateKey: string } | null;
  mailboxes: Mailbox[];
  buckets: Bucket[];
  records: DnsRecord[];
  sites: Site[];
  opensid: OpensidSite[];
}

export interface DesiredOptions {
  domain: string;
  /** Slugs of the units in desa.yaml. */
  units: ReadonlySet<string>;
  /** The address desa hosts and the mail host resolve to (the ingress controller's, the mail server's). */
  address: string;
  ttl: number;
}

function decode(obj: KubeObject, key: string): string {
  const v = obj.data?.[key];
  if (v === undefined) throw new Error(`Secret ${obj.metadata.namespace}/${obj.metadata.name} has no "${key}"`);
  return Buffer.from(v, 'base64').toString('utf8');
}

/** A key a Secret may lack (made before the key existed): ''. */
function optional(obj: KubeObject, key: string): string {
  const v = obj.data?.[key];
  return v === undefined ? '' : Buffer.from(v, 'base64').toString('utf8');
}

/** The first label of a host under the zone, or null for a host outside it. */
export function siteName(host: string, domain: string): string | null {
  const h = host.toLowerCase().replace(/\.$/, '');
  const suffix = `.${domain.toLowerCase()}`;
  if (!h.endsWith(suffix)) return null;
  const label = h.slice(0, -suffix.length);
  return /^[a-z0-9]+(-[a-z0-9]+)*$/.test(label) ? label : null;
}

const byName = <T>(key: (x: T) => string) => (a: T, b: T) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0);

export function desiredServices(objects: ClusterObjects, o: DesiredOptions): Desired {
  const { domain } = o;
  const k = contractKeys(domain);
  const consumer = (obj: KubeObject) => obj.metadata.labels?.[k.consumer];
  const slugOf = (obj: KubeObject) => obj.metadata.labels?.[k.slug] ?? '';
  const zone = `${domain}.`;
  const mailboxes: Mailbox[] = [];
  const opensid: OpensidSite[] = [];
  const claims: KubeObject[] = [];
  const access = new Map<string, KubeObject>();
  let dkim: Desired['dkim'] = null;
  for (const s of objects.secrets) {
    const kind = consumer(s);
    const quota = s.metadata.annotations?.[k.quota] ?? '';
    if (kind === CONSUMER.mailbox) {
      const aliases = (s.metadata.annotations?.[k.aliases] ?? '').split(',').map((a) => a.trim()).filter(Boolean);
      const d = MAILBOX.data;
      mailboxes.push({ slug: slugOf(s), address: decode(s, d.address), password: decode(s, d.password), quota: dovecotQuota(quota || DEFAULT_MAILBOX_QUOTA), aliases });
    } else if (kind === CONSUMER.dkim) {
      dkim = { selector: decode(s, DKIM.data.selector), privateKey: decode(s, DKIM.data.privateKey) };
    } else if (kind === CONSUMER.bucket) {
      claims.push(s);
    } else if (kind === CONSUMER.bucketAccess) {
      access.set(s.metadata.name, s);
    } else if (kind === CONSUMER.opensid && o.units.has(slugOf(s))) {
      // A desa gone from desa.yaml is not served, whatever Secret a failed offboarding left behind.
      const d = OPENSID.data;
      const username = decode(s, d.username);
      // The name becomes a system user and a database account: never anything else.
      if (!/^opensid_\d{10}$/.test(username)) throw new Error(`Secret ${s.metadata.namespace}/${s.metadata.name}: "${username}" is not an OpenSID account name (opensid_<code>)`);
      opensid.push({
        slug: slugOf(s),
        host: decode(s, d.host),
        code: decode(s, d.code),
        database: decode(s, d.database),
        username,
        password: decode(s, d.password),
        adminUsername: decode(s, d.adminUsername),
        adminPassword: decode(s, d.adminPassword),
        identity: JSON.parse(decode(s, d.identity)) as OpensidIdentity,
      });
    }
  }
  // A bucket is its claim; its key is granted by the access Secret the claim names, while that exists.
  // A claim that names none predates the access Secrets: granted while its desa is in desa.yaml.
  const buckets: Bucket[] = claims.map((claim) => {
    const slug = slugOf(claim);
    const named = claim.metadata.annotations?.[k.access];
    const grant = named === undefined ? claim : access.get(named);
    const key = grant ?? claim;
    return {
      slug,
      bucket: decode(claim, BUCKET.data.bucket),
      accessKeyId: decode(key, BUCKET_ACCESS.data.accessKeyId),
      secretAccessKey: decode(key, BUCKET_ACCESS.data.secretAccessKey),
      filesPassword: optional(key, BUCKET_ACCESS.data.filesPassword),
      filesAdminPassword: optional(key, BUCKET_ACCESS.data.filesAdminPassword),
      quota: claim.metadata.annotations?.[k.quota] ?? '',
      active: o.units.has(slug) && grant !== undefined,
    };
  });

  // Names: every desa Ingress host, the mail host, webmail and files (served by the local nginx), and the
  // zone records the platform published (mail, CAA).
  const hosts = new Map<string, string>(); // host → namespace
  for (const ing of objects.ingresses) {
    for (const rule of ing.spec?.rules ?? []) {
      if (rule.host && siteName(rule.host, domain)) hosts.set(rule.host.toLowerCase(), ing.metadata.namespace ?? '');
    }
  }
  const mailDns = objects.configMaps.find((c) => c.metadata.name === MAIL_DNS.name && consumer(c) === CONSUMER.dns);
  const recordsJson = mailDns?.data?.[MAIL_DNS.data.records];
  const mailRecords: DnsRecord[] = recordsJson ? JSON.parse(recordsJson) : [];
  const mailHosts = mailRecords.filter((r) => r.type === 'MX').flatMap((r) => r.values.map((v) => v.split(/\s+/)[1]!.replace(/\.$/, '')));
  const records: DnsRecord[] = [
    ...[...new Set([...hosts.keys(), ...mailHosts.filter((h) => h.endsWith(`.${domain}`)), webmailHost(domain), filesHost(domain)])].map(
      (h): DnsRecord => ({ name: `${h}.`, type: 'A', ttl: o.ttl, values: [o.address] }),
    ),
    ...mailRecords,
  ].sort(byName((r) => `${r.name} ${r.type}`));

  // Sites: the profil page of the namespace that holds the host's Ingress.
  const sites: Site[] = [];
  for (const [host, namespace] of hosts) {
    const page = objects.configMaps.find((c) => c.metadata.name === SITE_PAGE.name && c.metadata.namespace === namespace);
    const html = page?.data?.[SITE_PAGE.data.page];
    if (html !== undefined) sites.push({ name: siteName(host, domain)!, host, html });
  }

  return {
    zone,
    dkim,
    mailboxes: mailboxes.sort(byName((m) => m.address)),
    buckets: buckets.sort(byName((b) => b.bucket)),
    records,
    sites: sites.sort(byName((s) => s.name)),
    opensid: opensid.sort(byName((x) => x.slug)),
  };
}
