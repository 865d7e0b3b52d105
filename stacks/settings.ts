// Stack configuration: read once at the edge (stacks/index.ts), validated with zod, handed down as
// typed values. Components never read config. Every key, its default and when it is needed is listed
// in stacks/README.md.
import * as pulumi from '@pulumi/pulumi';
import { z } from 'zod';
import { DEFAULT_PLATFORM_NAMESPACE } from '../core/contract.ts';

/** Images and chart versions pinned in one place. Not pulled on this machine: see stacks/README.md. */
export const PINS = {
  profilImage: 'docker.io/nginxinc/nginx-unprivileged:1.28-alpine',
  mariadbImage: 'docker.io/library/mariadb:10.11',
  mailImage: 'ghcr.io/docker-mailserver/docker-mailserver:15.0.0',
  storageImage: 'docker.io/versity/versitygw:v1.8.0',
  traefikChart: { chart: 'traefik', version: '42.4.1', repo: 'https://traefik.github.io/charts' },
  certManagerChart: { chart: 'oci://quay.io/jetstack/charts/cert-manager', version: 'v1.21.1' },
  /** Roundcube's official image, Apache flavour (one container, no separate web server). */
  roundcubeImage: 'docker.io/roundcube/roundcubemail:1.6.12-apache',
  /** SFTPGo at the version the local default builds from the Go module proxy. */
  sftpgoImage: 'docker.io/drakkan/sftpgo:v2.7.5',
  externalDnsChart: { chart: 'external-dns', version: '1.21.1', repo: 'https://kubernetes-sigs.github.io/external-dns/' },
} as const;

const mode = z.enum(['deploy', 'existing']);

/** An OpenSID source that is a file to check and unpack (a URL, or a path ending in .tar.gz or .tgz), not a folder. */
export const isTarball = (source: string) => source.startsWith('https://') || /\.(tar\.gz|tgz)$/.test(source);
const dnsLabel = z.string().regex(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/, { message: 'expected a DNS label such as desa-platform' });
const quantity = z.string().regex(/^[1-9][0-9]*(Mi|Gi|Ti)$/, { message: 'expected a size such as 50Gi' });

const rfc2136 = z.strictObject({
  /** host:port of the authoritative server that takes dynamic updates for the zone. */
  nameserver: z.string().min(1),
  tsigKeyName: z.string().min(1),
  tsigAlgorithm: z.enum(['HMACSHA256', 'HMACSHA384', 'HMACSHA512']).default('HMACSHA256'),
});

export const settingsSchema = z.strictObject({
  /** desa.yaml, relative to the project root (the directory of Pulumi.yaml). */
  inventory: z.string().min(1).default('desa.yaml'),
  platformNamespace: dnsLabel.default(DEFAULT_PLATFORM_NAMESPACE),
  /**
   * Generated credentials to replace in this run (`desa rotate` sets it for one update, then removes it):
   * mailbox roles, or `storage` for the bucket key. Listed ones take a freshly generated value once.
   */
  rotate: z.array(z.string().min(1)).default([]),
  /**
   * What a desa's namespace ran before this update, during a switch of site template (`desa up` sets it
   * for one update, then removes it): the quota admits both until the old site is gone.
   */
  siteTransition: z.enum(['profil', 'opensid', 'none']).optional(),
  /** Off on a bare control plane without cert-manager/Traefik CRDs: skips every CustomResource. */
  customResources: z.boolean().default(true),
  ingress: z
    .strictObject({
      mode: mode.default('deploy'),
      className: dnsLabel.default('traefik'),
      namespace: dnsLabel.default('traefik'),
      /**
       * Whether the ingress controller writes its address into each Ingress's status. Pulumi waits for
       * that address; set false where none will come (a controller outside the cluster, the local
       * control plane), and desa Ingresses are then not awaited.
       */
      publishesStatus: z.boolean().default(true),
    })
    .prefault({}),
  tls: z
    .strictObject({
      certManager: mode.default('deploy'),
      certManagerNamespace: dnsLabel.default('cert-manager'),
      /**
       * A contact address for the ACME account. Optional: Let's Encrypt stopped sending expiry e-mail in
       * June 2025, and cert-manager renews on its own.
       */
      acmeEmail: z.email().optional(),
      /** Let's Encrypt's production endpoint, or its staging one (untrusted certificates, far higher limits) to try a set-up. */
      acmeServer: z.enum(['production', 'staging']).default('production'),
      /**
       * Renew when the CA's renewal information (ARI, RFC 9773) says so: the issuer's
       * renewalInformationSource ARI, and, with certManager deploy, the controller's ACMEUseARI feature
       * gate (alpha since cert-manager 1.21). An existing cert-manager must have the gate on itself.
       */
      ari: z.boolean().default(true),
      /**
       * The CAs the zone's CAA record allows (issue and issuewild), as their CAA domain names. Unset:
       * letsencrypt.org (its production and staging endpoints both check it). [] publishes no CAA record.
       */
      caa: z.array(z.string().regex(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/, { message: 'expected a CA\'s CAA domain name such as letsencrypt.org' })).optional(),
      wildcardSecret: dnsLabel.default('wildcard-tls'),
    })
    .prefault({}),
  dns: z
    .strictObject({
      mode: mode.default('deploy'),
      rfc2136: rfc2136.optional(),
      ttl: z.number().int().min(30).max(86400).default(300),
    })
    .prefault({}),
  mail: z
    .strictObject({
      mode: mode.default('deploy'),
      /** Defaults to mail.<domain>. */
      host: z.string().min(1).optional(),
      image: z.string().min(1).default(PINS.mailImage),
      size: quantity.default('50Gi'),
      /** DKIM selector: the key is published at <selector>._domainkey.<domain>. */
      dkimSelector: dnsLabel.default('mail'),
      /**
       * An existing server's DKIM public key (base64 of the DER SubjectPublicKeyInfo, the p= of its
       * record). Unset: the platform generates the key pair once and keeps it in the mail-dkim Secret.
       */
      dkimPublicKey: z.string().regex(/^[A-Za-z0-9+/]+=*$/, { message: 'expected the base64 p= value of the DKIM record' }).optional(),
      /** Where receivers send DMARC aggregate reports (rua); none when unset. */
      dmarcReportsTo: z.email().optional(),
    })
    .prefault({}),
  storage: z
    .strictObject({
      mode: mode.default('deploy'),
      /** Required when mode is existing: the S3 endpoint of the storage service. */
      endpoint: z.url().optional(),
      image: z.string().min(1).default(PINS.storageImage),
      size: quantity.default('500Gi'),
    })
    .prefault({}),
  /** Roundcube at webmail.<domain>: deployed here, or served elsewhere (the local default: the local nginx). */
  webmail: z
    .strictObject({
      mode: mode.default('deploy'),
      image: z.string().min(1).default(PINS.roundcubeImage),
      /** Its SQLite database (preferences, contacts); mail itself stays on the mail server. */
      size: quantity.default('1Gi'),
    })
    .prefault({}),
  /** SFTPGo at files.<domain> (web client, WebDAV under /dav): deployed here with its data volume, or elsewhere. */
  files: z
    .strictObject({
      mode: mode.default('deploy'),
      image: z.string().min(1).default(PINS.sftpgoImage),
      size: quantity.default('500Gi'),
    })
    .prefault({}),
  opensid: z
    .strictObject({
      /**
       * deploy: OpenSID runs in the cluster from `images.opensid` (an image built from the release);
       * existing: a server outside the cluster provisions it from the contract Secret (core/contract.ts
       * OPENSID), as the local servers do.
       */
      mode: mode.default('deploy'),
      /** The release (existing mode): an https URL or an absolute path of its .tar.gz, or of an unpacked folder. */
      source: z.string().refine((v) => /^https:\/\/\S+$/.test(v) || v.startsWith('/'), { message: 'expected an https:// URL or an absolute path' }).optional(),
      /** sha256 of the .tar.gz: required for a URL or a tarball, checked before anything is unpacked. */
      sha256: z.string().regex(/^[0-9a-f]{64}$/, { message: 'expected 64 lower-case hex digits' }).optional(),
      /** Deploy mode: a MariaDB StatefulSet per desa, or an existing database server. */
      database: z
        .strictObject({
          mode: mode.default('deploy'),
          /** Required when mode is existing. */
          host: z.string().min(1).optional(),
          port: z.number().int().min(1).max(65535).default(3306),
        })
        .prefault({}),
    })
    .refine((o) => !o.source || !isTarball(o.source) || o.sha256 !== undefined, { message: 'a URL or a .tar.gz source needs its sha256 too', path: ['sha256'] })
    .refine((o) => o.database.mode === 'deploy' || o.database.host !== undefined, { message: 'an existing database server needs its host', path: ['database', 'host'] })
    .prefault({}),
  images: z
    .strictObject({
      profil: z.string().min(1).default(PINS.profilImage),
      /** No public image is pinned: set it before any desa uses the opensid template. */
      opensid: z.string().min(1).optional(),
      mariadb: z.string().min(1).default(PINS.mariadbImage),
    })
    .prefault({}),
});

export type Settings = z.infer<typeof settingsSchema>;

export interface KubernetesSettings {
  kubeconfig?: string;
  context?: string;
}

/** Everything the program reads from configuration. */
export interface StackConfig {
  settings: Settings;
  kubernetes: KubernetesSettings;
  /** TSIG secret for RFC 2136 updates (cert-manager DNS-01, ExternalDNS), when set. */
  tsigSecret: pulumi.Output<string> | undefined;
}

const OBJECT_KEYS = ['ingress', 'tls', 'dns', 'mail', 'storage', 'webmail', 'files', 'opensid', 'images'] as const;

/** Validates raw config values (as `pulumi config` holds them); throws a RunError naming each bad key. */
export function parseSettings(raw: Record<string, unknown>): Settings {
  const result = settingsSchema.safeParse(raw);
  if (result.success) return result.data;
  const lines = result.error.issues.map((i) => {
    const [head, ...rest] = i.path.map(String);
    const key = head === undefined ? 'desa' : `desa:${head}${rest.length ? ` (${rest.join('.')})` : ''}`;
    return `  ${key}: ${i.message}`;
  });
  throw new pulumi.RunError(`Invalid stack configuration:\n${lines.join('\n')}\nSet it with \`pulumi config set --path\`, see stacks/README.md.`);
}

/**
 * Settings from `desa:` config values as a stack's settings file holds them (cli/engine/stack-config.ts):
 * strings as desa writes them (objects as JSON, booleans as text), or YAML values set with
 * `pulumi config set --path`. Validated by the same schema as readStackConfig's.
 */
export function settingsFromConfig(config: Record<string, unknown>): Settings {
  const raw: Record<string, unknown> = {};
  const parsed = (key: string, v: unknown) => {
    if (typeof v !== 'string') return v;
    try {
      return JSON.parse(v) as unknown;
    } catch {
      throw new pulumi.RunError(`Invalid stack configuration:\n  desa:${key}: not valid JSON`);
    }
  };
  for (const key of ['inventory', 'platformNamespace', 'siteTransition'] as const) if (config[`desa:${key}`] !== undefined) raw[key] = config[`desa:${key}`];
  const cr = config['desa:customResources'];
  if (cr !== undefined) raw.customResources = cr === 'true' ? true : cr === 'false' ? false : cr;
  for (const key of ['rotate', ...OBJECT_KEYS]) if (config[`desa:${key}`] !== undefined) raw[key] = parsed(key, config[`desa:${key}`]);
  return parseSettings(raw);
}

/** Reads the `desa:` and `kubernetes:` config of the running stack. Called once, by stacks/index.ts. */
export function readStackConfig(): StackConfig {
  const desa = new pulumi.Config('desa');
  const raw: Record<string, unknown> = {};
  const put = (key: string, value: unknown) => {
    if (value !== undefined) raw[key] = value;
  };
  put('inventory', desa.get('inventory'));
  put('platformNamespace', desa.get('platformNamespace'));
  put('siteTransition', desa.get('siteTransition'));
  put('customResources', desa.getBoolean('customResources'));
  put('rotate', desa.getObject<unknown>('rotate'));
  for (const key of OBJECT_KEYS) put(key, desa.getObject<unknown>(key));
  const kube = new pulumi.Config('kubernetes');
  const kubernetes: KubernetesSettings = {};
  const kubeconfig = kube.get('kubeconfig');
  const context = kube.get('context');
  if (kubeconfig) kubernetes.kubeconfig = kubeconfig;
  if (context) kubernetes.context = context;
  return { settings: parseSettings(raw), kubernetes, tsigSecret: desa.getSecret('dnsTsigSecret') };
}

/** What desa stacks need to know about the platform. Derived from the shared settings, so the platform
 *  stack and every desa stack agree without a StackReference. */
export interface PlatformRefs {
  namespace: string;
  ingress: { className: string; namespace: string; publishesStatus: boolean };
  customResources: boolean;
  /** namespace/name of the wildcard certificate's Secret, the ingress controller's default certificate. */
  defaultCertificate: string;
  dnsTtl: number;
  mailHost: string;
}

export function platformRefs(settings: Settings, domain: string): PlatformRefs {
  return {
    namespace: settings.platformNamespace,
    ingress: {
      className: settings.ingress.className,
      namespace: settings.ingress.namespace,
      publishesStatus: settings.ingress.publishesStatus,
    },
    customResources: settings.customResources,
    defaultCertificate: `${settings.platformNamespace}/${settings.tls.wildcardSecret}`,
    dnsTtl: settings.dns.ttl,
    mailHost: settings.mail.host ?? `mail.${domain}`,
  };
}
