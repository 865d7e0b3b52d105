// The contract between what the stacks leave in the cluster and whatever serves it: the services sync
// (cli/services/) for the local servers, or a Kabupaten's own mail and storage servers. Label and
// annotation keys, object names, data keys and defaults live here once; the stacks write with them and
// the sync reads with them, so neither side types a key by hand. Plain data, no I/O.
import { FALLBACK } from './inventory/resolve.ts';

/** Every object the stacks create carries these; the sync selects ConfigMaps and Ingresses with the first. */
export const COMMON_LABELS: Record<string, string> = {
  'app.kubernetes.io/part-of': 'desa',
  'app.kubernetes.io/managed-by': 'pulumi',
};

/** `app.kubernetes.io/part-of=desa`, as a label selector. */
export const PART_OF_SELECTOR = 'app.kubernetes.io/part-of=desa';

/** Label and annotation keys, prefixed with the inventory's domain (`<domain>/code`, such as desa.bekasikab.go.id/code). */
export function contractKeys(domain: string) {
  return {
    // labels
    code: `${domain}/code`,
    slug: `${domain}/slug`,
    kind: `${domain}/kind`,
    kecamatan: `${domain}/kecamatan`,
    kecamatanCode: `${domain}/kecamatan-code`,
    programme: (id: string) => `${domain}/programme.${id}`,
    siteTemplate: `${domain}/site-template`,
    /** On Secrets and ConfigMaps in the platform namespace: which service consumes them (CONSUMER). */
    consumer: `${domain}/consumer`,
    role: `${domain}/role`,
    // annotations
    /** A mailbox's or bucket's quota, as a Kubernetes quantity (2Gi). */
    quota: `${domain}/quota`,
    /** A mailbox's aliases, comma-separated addresses. */
    aliases: `${domain}/aliases`,
    /** On a bucket claim: the name of the Secret whose presence grants its key (BUCKET_ACCESS). */
    access: `${domain}/access`,
    name: `${domain}/name`,
    kecamatanName: `${domain}/kecamatan-name`,
    host: `${domain}/host`,
  };
}

/** The namespace of the platform's shared objects (the mailbox and bucket Secrets) unless desa:platformNamespace says otherwise. */
export const DEFAULT_PLATFORM_NAMESPACE = 'desa-platform';

/** Values of the consumer label: who reads the object. */
export const CONSUMER = { mailbox: 'mailbox', bucket: 'bucket', bucketAccess: 'bucket-access', dkim: 'dkim', dns: 'dns', opensid: 'opensid' } as const;

/** A mailbox Secret (platform namespace): one per account. */
export const MAILBOX = {
  name: (slug: string, role: string) => `mailbox-${slug}-${role}`,
  data: { address: 'address', role: 'role', password: 'password' },
} as const;

/**
 * A bucket Secret (platform namespace): one per desa with storage; the claim on its bucket, which stands
 * for its data and outlives an offboarding. It also keeps the generated key's value, so that the key
 * survives a re-run; whether the key is granted is BUCKET_ACCESS's to say.
 */
export const BUCKET = {
  name: (slug: string) => `bucket-${slug}`,
  data: { bucket: 'bucket', accessKeyId: 'accessKeyId', secretAccessKey: 'secretAccessKey', policy: 'policy', filesPassword: 'filesPassword', filesAdminPassword: 'filesAdminPassword' },
} as const;

/**
 * The desa's file space (SFTPGo on the embedded default): one login per desa, whose home is the desa's
 * storage (its quota), and an admin limited to the desa's own users (its role). Their passwords are
 * generated beside the bucket's key (BUCKET.data filesPassword, filesAdminPassword): granted while the
 * access Secret exists, rotated with it, revoked by offboarding while the files stay.
 */
export const FILES = {
  user: (slug: string) => slug,
  admin: (slug: string) => `${slug}-admin`,
  /** The group and the role of a desa's users. */
  group: (slug: string) => `desa-${slug}`,
  /** Where WebDAV is under files.<domain> (Windows Explorer maps https://files.<domain>/dav/). */
  davPath: '/dav',
  /** The file count each GiB of the storage quota allows (a 20Gi desa: 200,000 files). */
  filesPerGiB: 10_000,
} as const;

/**
 * A bucket's access (platform namespace): the key a storage server grants, a copy of the claim's. It is
 * not data, so offboarding deletes it while the claim stays: a claim whose `access` annotation names a
 * Secret that is gone is a kept bucket whose key is revoked. A claim without that annotation was made
 * before this Secret existed: its key is granted while its desa is in desa.yaml.
 */
export const BUCKET_ACCESS = {
  name: (slug: string) => `bucket-access-${slug}`,
  data: BUCKET.data,
} as const;

/** The platform's DKIM key pair (platform namespace), generated once. */
export const DKIM = { name: 'mail-dkim', data: { selector: 'selector', privateKey: 'privateKey' } } as const;

/** The records mail needs (platform namespace ConfigMap): a JSON array of DnsRecord. */
export const MAIL_DNS = { name: 'mail-dns', data: { records: 'records.json' } } as const;

/**
 * An OpenSID desa's accounts: one Secret per desa. Served outside the cluster (`desa:opensid.mode`
 * existing: the local servers, or a Kabupaten's own hosting), it is in the platform namespace, labelled
 * <domain>/consumer=opensid, and the server provisions from it: the database and its user (`database`,
 * `username`, `password`), the administrator's password (`adminPassword` for `adminUsername`), the
 * identity (`identity`, JSON of core/opensid.ts OpensidIdentity) and the host. In the cluster it is
 * `opensid` in the desa's namespace, with `rootPassword` for its MariaDB.
 */
export const OPENSID = {
  name: (slug: string) => `opensid-${slug}`,
  inCluster: 'opensid',
  data: {
    host: 'host',
    code: 'code',
    database: 'database',
    username: 'username',
    password: 'password',
    adminUsername: 'adminUsername',
    adminPassword: 'adminPassword',
    identity: 'identity',
    rootPassword: 'rootPassword',
  },
  /** The administrator OpenSID's seeder creates (with the password sid304, which provisioning replaces). */
  admin: 'admin',
  /** Its login page, under the desa's host. */
  loginPath: '/index.php/siteman',
} as const;

/** A profil site's page (desa namespace ConfigMap), served for the host of the Ingress in that namespace. */
export const SITE_PAGE = { name: 'profil-content', data: { page: 'index.html' } } as const;

/** One DNS record set the platform publishes: names are absolute (trailing dot), TXT values carry their quotes. */
export interface DnsRecord {
  name: string;
  type: 'A' | 'MX' | 'TXT' | 'CAA';
  ttl: number;
  values: string[];
}

/** What a mailbox gets when its Secret names no quota: the inventory's own fallback. */
export const DEFAULT_MAILBOX_QUOTA: string = FALLBACK.mailQuota;

/**
 * Webmail's host: under the Kabupaten's mail domain (webmail.desa.bekasikab.go.id), served by the local
 * nginx on the embedded default and named on the credential sheet. A desa whose slug is `webmail` would be
 * shadowed by it (an exact server_name wins over the sites' pattern).
 */
export const webmailHost = (domain: string): string => `webmail.${domain}`;

/**
 * The file space's host (SFTPGo's web client and REST API at /, WebDAV at FILES.davPath), beside webmail
 * under the Kabupaten's domain; the same in deploy mode and on the local default. Like webmail's, it
 * shadows a desa whose slug is `files`.
 */
export const filesHost = (domain: string): string => `files.${domain}`;
