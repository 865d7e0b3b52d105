// What the platform stack builds, as plain data: Helm values and custom resource bodies. Pure, and
// tested without Pulumi. The components in this directory only create what these return.
import type { Settings } from '../settings.ts';
import { COMMON_LABELS, type DnsRecord, MAIL_DNS } from '../../core/contract.ts';

export const ACME_SERVERS = {
  production: 'https://acme-v02.api.letsencrypt.org/directory',
  staging: 'https://acme-staging-v02.api.letsencrypt.org/directory',
} as const;

export const CLUSTER_ISSUER = 'letsencrypt-dns01';
/** Let's Encrypt's CAA identity, for production and staging alike. */
export const LETS_ENCRYPT_CAA = 'letsencrypt.org';

/** The CAs allowed to issue for the zone: the configured ones, else Let's Encrypt. */
export function caaIssuers(settings: Settings): string[] {
  return settings.tls.caa ?? [LETS_ENCRYPT_CAA];
}

/**
 * The zone's CAA record: only these CAs may issue for the domain and any name under it, wildcards
 * included (RFC 8659: a CA climbs from the name to the zone and obeys the first CAA set it finds).
 */
export function caaRecords(domain: string, ttl: number, issuers: readonly string[]): DnsRecord[] {
  if (issuers.length === 0) return [];
  return [{ name: `${domain}.`, type: 'CAA', ttl, values: [...issuers.map((i) => `0 issue "${i}"`), ...issuers.map((i) => `0 issuewild "${i}"`)] }];
}
export const TSIG_SECRET_KEY = 'secret';

/** Problems with the configuration for the platform stack, one line each; empty when it can run. */
export function platformProblems(settings: Settings, has: { tsigSecret: boolean }): string[] {
  const problems: string[] = [];
  const needsRfc2136 = settings.customResources || settings.dns.mode === 'deploy';
  if (needsRfc2136 && !settings.dns.rfc2136) {
    problems.push('desa:dns.rfc2136 is not set: the DNS-01 challenge and ExternalDNS update the zone over RFC 2136 (nameserver, tsigKeyName).');
  }
  if (needsRfc2136 && !has.tsigSecret) {
    problems.push('desa:dnsTsigSecret is not set: `pulumi config set --secret desa:dnsTsigSecret <base64 TSIG key>`.');
  }
  if (settings.storage.mode === 'existing' && !settings.storage.endpoint) {
    problems.push('desa:storage.endpoint is not set: an existing storage service needs its S3 endpoint.');
  }
  return problems;
}

/** The one wildcard certificate all desa share (Let's Encrypt allows 50 certificates a week per registered domain). */
export function wildcardCertificate(settings: Settings, domain: string) {
  return {
    apiVersion: 'cert-manager.io/v1',
    kind: 'Certificate',
    metadata: { name: 'wildcard', namespace: settings.platformNamespace, labels: COMMON_LABELS },
    spec: {
      secretName: settings.tls.wildcardSecret,
      commonName: `*.${domain}`,
      dnsNames: [`*.${domain}`, domain],
      issuerRef: { name: CLUSTER_ISSUER, kind: 'ClusterIssuer', group: 'cert-manager.io' },
      privateKey: { algorithm: 'ECDSA', size: 256, rotationPolicy: 'Always' },
      secretTemplate: { labels: COMMON_LABELS },
    },
  };
}

export function clusterIssuer(settings: Settings, domain: string, tsigSecretName: string) {
  const rfc = settings.dns.rfc2136!;
  return {
    apiVersion: 'cert-manager.io/v1',
    kind: 'ClusterIssuer',
    metadata: { name: CLUSTER_ISSUER, labels: COMMON_LABELS },
    spec: {
      acme: {
        server: ACME_SERVERS[settings.tls.acmeServer],
        // No contact unless one is configured: Let's Encrypt sends no expiry e-mail since June 2025.
        ...(settings.tls.acmeEmail ? { email: settings.tls.acmeEmail } : {}),
        privateKeySecretRef: { name: `${CLUSTER_ISSUER}-account` },
        // ARI (RFC 9773): renew inside the CA's suggested window (acted on only with the ACMEUseARI gate).
        renewalInformationSource: settings.tls.ari ? 'ARI' : 'None',
        solvers: [
          {
            selector: { dnsZones: [domain] },
            dns01: {
              rfc2136: {
                nameserver: rfc.nameserver,
                tsigKeyName: rfc.tsigKeyName,
                tsigAlgorithm: rfc.tsigAlgorithm,
                tsigSecretSecretRef: { name: tsigSecretName, key: TSIG_SECRET_KEY },
              },
            },
          },
        ],
      },
    },
  };
}

/**
 * cert-manager's chart values: its CRDs, and the ACMEUseARI feature gate when ARI is wanted (the gate is
 * alpha in the pinned 1.21; without it the controller ignores renewalInformationSource).
 */
export function certManagerValues(settings: Settings) {
  return { crds: { enabled: true }, ...(settings.tls.ari ? { featureGates: 'ACMEUseARI=true' } : {}) };
}

/** Traefik's default TLS store: the wildcard certificate for every host without a secretName. */
export function defaultTlsStore(settings: Settings) {
  return {
    apiVersion: 'traefik.io/v1alpha1',
    kind: 'TLSStore',
    // Traefik uses only the store named `default`, and ignores it if two namespaces define one.
    metadata: { name: 'default', namespace: settings.platformNamespace, labels: COMMON_LABELS },
    spec: { defaultCertificate: { secretName: settings.tls.wildcardSecret } },
  };
}

export function traefikValues(settings: Settings) {
  return {
    ingressClass: { enabled: true, isDefaultClass: false, name: settings.ingress.className },
    providers: {
      // allowEmptyServices: redirect-only Ingresses name a Service with no pods (stacks/desa/subdomain.ts).
      kubernetesIngress: { enabled: true, allowEmptyServices: true, publishedService: { enabled: true } },
      kubernetesCRD: { enabled: settings.customResources, allowEmptyServices: true },
    },
    ports: { web: { redirections: { entryPoint: { to: 'websecure', scheme: 'https', permanent: true } } } },
    service: { type: 'LoadBalancer' },
  };
}

/** cert-manager and ExternalDNS name TSIG algorithms differently. */
const EXTERNAL_DNS_ALG = { HMACSHA256: 'hmac-sha256', HMACSHA384: 'hmac-sha384', HMACSHA512: 'hmac-sha512' } as const;

export function splitHostPort(nameserver: string): { host: string; port: number } {
  const m = /^(.*?)(?::(\d+))?$/.exec(nameserver)!;
  return { host: m[1]!.replace(/^\[|\]$/g, ''), port: m[2] ? Number(m[2]) : 53 };
}

export function externalDnsValues(settings: Settings, domain: string, tsigSecretName: string) {
  const rfc = settings.dns.rfc2136!;
  const { host, port } = splitHostPort(rfc.nameserver);
  return {
    provider: { name: 'rfc2136' },
    // ingress: every desa host; crd: the zone's mail records (the DNSEndpoint from mailDnsEndpoint).
    sources: ['ingress', 'crd'],
    domainFilters: [domain],
    // sync: records of deleted Ingresses are removed; TXT ownership keeps hands off records made elsewhere.
    policy: 'sync',
    registry: 'txt',
    txtOwnerId: settings.platformNamespace,
    extraArgs: [
      `--rfc2136-host=${host}`,
      `--rfc2136-port=${port}`,
      `--rfc2136-zone=${domain}`,
      `--rfc2136-tsig-keyname=${rfc.tsigKeyName}`,
      `--rfc2136-tsig-secret-alg=${EXTERNAL_DNS_ALG[rfc.tsigAlgorithm]}`,
      '--rfc2136-tsig-axfr',
      ...['A', 'AAAA', 'CNAME', 'MX', 'TXT', 'CAA'].map((t) => `--managed-record-types=${t}`),
    ],
    // The key comes from a Secret through the environment, never on the command line.
    env: [{ name: 'EXTERNAL_DNS_RFC2136_TSIG_SECRET', valueFrom: { secretKeyRef: { name: tsigSecretName, key: TSIG_SECRET_KEY } } }],
  };
}

/** TXT strings are at most 255 characters: a longer value (a DKIM key) is split into quoted pieces. */
export function txtValue(text: string): string {
  const pieces: string[] = [];
  for (let i = 0; i < text.length; i += 255) pieces.push(`"${text.slice(i, i + 255)}"`);
  return pieces.join(' ') || '""';
}

/**
 * What mail for the desa domain needs to be delivered and trusted, published once for the zone (every
 * mailbox is <slug>.<role>@<domain>): MX to the mail host, SPF allowing only it, DMARC, and the DKIM key
 * the mail server signs with, when one is known (publicKey: base64 of the DER SubjectPublicKeyInfo).
 */
export function mailDnsRecords(args: {
  domain: string;
  mailHost: string;
  ttl: number;
  dkim: { selector: string; publicKey: string } | null;
  dmarcReportsTo?: string | undefined;
  /** The CAs the zone's CAA record allows (caaIssuers); none: no CAA record. */
  caa?: readonly string[];
}): DnsRecord[] {
  const zone = `${args.domain}.`;
  const dmarc = ['v=DMARC1', 'p=quarantine', 'adkim=s', 'aspf=s', ...(args.dmarcReportsTo ? [`rua=mailto:${args.dmarcReportsTo}`] : [])].join('; ');
  const records: DnsRecord[] = [
    { name: zone, type: 'MX', ttl: args.ttl, values: [`10 ${args.mailHost}.`] },
    { name: zone, type: 'TXT', ttl: args.ttl, values: [txtValue('v=spf1 mx -all')] },
    { name: `_dmarc.${zone}`, type: 'TXT', ttl: args.ttl, values: [txtValue(dmarc)] },
  ];
  if (args.dkim) {
    records.push({ name: `${args.dkim.selector}._domainkey.${zone}`, type: 'TXT', ttl: args.ttl, values: [txtValue(`v=DKIM1; k=rsa; p=${args.dkim.publicKey}`)] });
  }
  return [...records, ...caaRecords(args.domain, args.ttl, args.caa ?? [])];
}

/** The mail records as an ExternalDNS DNSEndpoint (crd source), for a zone ExternalDNS writes. */
export function mailDnsEndpoint(settings: Settings, records: readonly DnsRecord[]) {
  const unquote = (v: string) => [...v.matchAll(/"([^"]*)"/g)].map((m) => m[1]).join('');
  return {
    apiVersion: 'externaldns.k8s.io/v1alpha1',
    kind: 'DNSEndpoint',
    metadata: { name: MAIL_DNS.name, namespace: settings.platformNamespace, labels: COMMON_LABELS },
    spec: {
      endpoints: records.map((r) => ({
        dnsName: r.name.replace(/\.$/, ''),
        recordType: r.type,
        recordTTL: r.ttl,
        // ExternalDNS quotes TXT values itself, and splits long ones.
        targets: r.type === 'TXT' ? r.values.map(unquote) : r.values.map((v) => v.replace(/\.$/, '')),
      })),
    },
  };
}
