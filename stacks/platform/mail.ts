// The mail service: docker-mailserver in the platform namespace, serving every desa mailbox under the
// desa domain with the wildcard certificate (it covers the mail host), or an existing server. Either
// way, the accounts are the desa stacks' mailbox Secrets (label <domain>/consumer=mailbox) in the
// platform namespace, applied to the server by the services sync (cli/services/).
//
// The records mail needs (MX, SPF, DKIM, DMARC) are published once for the zone: the ConfigMap
// `mail-dns` (label <domain>/consumer=dns) holds them for whatever writes the zone, and the stack
// exports them. The DKIM key pair is generated once and kept in the Secret `mail-dkim`, unless an
// existing server's public key is configured.
import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { COMMON_LABELS, CONSUMER, contractKeys, DKIM, type DnsRecord, MAIL_DNS } from '../../core/contract.ts';
import { base64, keepGenerated, secretValue } from '../secrets.ts';
import type { Settings } from '../settings.ts';
import { caaIssuers, mailDnsRecords } from './plans.ts';

export const DKIM_GENERATED = ['privateKey'] as const;

/** A fresh 2048-bit RSA key (PKCS#8 PEM); the engine keeps the first one (ignoreChanges). */
function dkimPrivateKey(): string {
  return generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
}

/** The p= value of a DKIM record: base64 of the DER SubjectPublicKeyInfo of the key. */
export function dkimPublicKey(privateKeyPem: string): string {
  return createPublicKey(privateKeyPem).export({ type: 'spki', format: 'der' }).toString('base64');
}

export const MAIL_PORTS = [
  { name: 'smtp', port: 25 },
  { name: 'submissions', port: 465 },
  { name: 'submission', port: 587 },
  { name: 'imaps', port: 993 },
] as const;

export function mailDeployment(settings: Settings, mailHost: string): k8s.types.input.apps.v1.DeploymentSpec {
  const labels = { ...COMMON_LABELS, 'app.kubernetes.io/name': 'mail' };
  const tls = settings.customResources;
  return {
    replicas: 1,
    strategy: { type: 'Recreate' },
    selector: { matchLabels: { 'app.kubernetes.io/name': 'mail' } },
    template: {
      metadata: { labels },
      spec: {
        automountServiceAccountToken: false,
        containers: [
          {
            name: 'mailserver',
            image: settings.mail.image,
            env: [
              { name: 'OVERRIDE_HOSTNAME', value: mailHost },
              { name: 'ENABLE_QUOTAS', value: '1' },
              { name: 'PERMIT_DOCKER', value: 'none' },
              { name: 'SSL_TYPE', value: tls ? 'manual' : '' },
              ...(tls
                ? [
                    { name: 'SSL_CERT_PATH', value: '/etc/desa-tls/tls.crt' },
                    { name: 'SSL_KEY_PATH', value: '/etc/desa-tls/tls.key' },
                  ]
                : []),
            ],
            ports: MAIL_PORTS.map((p) => ({ name: p.name, containerPort: p.port, protocol: 'TCP' })),
            readinessProbe: { tcpSocket: { port: 'smtp' }, periodSeconds: 15 },
            volumeMounts: [
              { name: 'data', mountPath: '/var/mail', subPath: 'mail' },
              { name: 'data', mountPath: '/var/mail-state', subPath: 'state' },
              { name: 'data', mountPath: '/tmp/docker-mailserver', subPath: 'config' },
              ...(tls ? [{ name: 'tls', mountPath: '/etc/desa-tls', readOnly: true }] : []),
            ],
          },
        ],
        volumes: [
          { name: 'data', persistentVolumeClaim: { claimName: 'mail-data' } },
          ...(tls ? [{ name: 'tls', secret: { secretName: settings.tls.wildcardSecret } }] : []),
        ],
      },
    },
  };
}

export interface MailArgs {
  settings: Settings;
  domain: string;
  mailHost: string;
  platformNamespace: k8s.core.v1.Namespace;
  provider: k8s.Provider;
}

export class Mail extends pulumi.ComponentResource {
  readonly host: string;
  readonly endpoint: string;
  readonly dnsRecords: pulumi.Output<DnsRecord[]>;

  constructor(name: string, args: MailArgs, opts?: pulumi.ComponentResourceOptions) {
    super('desa:platform:Mail', name, {}, opts);
    const { settings, provider } = args;
    const ns = settings.platformNamespace;
    if (settings.mail.mode === 'deploy') {
      const child = { parent: this, provider, dependsOn: [args.platformNamespace] };
      const meta = (n: string) => ({ name: n, namespace: ns, labels: { ...COMMON_LABELS, 'app.kubernetes.io/name': 'mail' } });
      const pvc = new k8s.core.v1.PersistentVolumeClaim(
        `${name}-data`,
        { metadata: meta('mail-data'), spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: settings.mail.size } } } },
        { ...child, protect: true },
      );
      new k8s.apps.v1.Deployment(`${name}-server`, { metadata: meta('mail'), spec: mailDeployment(settings, args.mailHost) }, {
        ...child,
        dependsOn: [args.platformNamespace, pvc],
      });
      new k8s.core.v1.Service(
        `${name}-service`,
        {
          metadata: meta('mail'),
          spec: {
            type: 'LoadBalancer',
            selector: { 'app.kubernetes.io/name': 'mail' },
            ports: MAIL_PORTS.map((p) => ({ name: p.name, port: p.port, targetPort: p.name, protocol: 'TCP' })),
          },
        },
        child,
      );
    }
    this.host = args.mailHost;
    this.endpoint = settings.mail.mode === 'deploy' ? `mail.${ns}.svc.cluster.local` : args.mailHost;

    const child = { parent: this, provider, dependsOn: [args.platformNamespace] };
    const labels = { ...COMMON_LABELS, 'app.kubernetes.io/name': 'mail' };
    let publicKey: pulumi.Output<string>;
    if (settings.mail.dkimPublicKey) {
      publicKey = pulumi.output(settings.mail.dkimPublicKey);
    } else {
      const dkim = new k8s.core.v1.Secret(
        `${name}-dkim`,
        {
          metadata: { name: DKIM.name, namespace: ns, labels: { ...labels, [contractKeys(args.domain).consumer]: CONSUMER.dkim } },
          type: 'Opaque',
          data: { [DKIM.data.selector]: base64(settings.mail.dkimSelector), [DKIM.data.privateKey]: pulumi.secret(base64(dkimPrivateKey())) },
        },
        { ...child, ignoreChanges: keepGenerated(DKIM_GENERATED) },
      );
      // The public half is not secret: it is published.
      publicKey = pulumi.unsecret(secretValue(dkim.data, DKIM.data.privateKey).apply(dkimPublicKey));
    }
    this.dnsRecords = publicKey.apply((key) =>
      mailDnsRecords({
        domain: args.domain,
        mailHost: args.mailHost,
        ttl: settings.dns.ttl,
        dkim: { selector: settings.mail.dkimSelector, publicKey: key },
        dmarcReportsTo: settings.mail.dmarcReportsTo,
        // The zone's CAA record rides with the mail records: the one set of zone records the platform publishes.
        caa: caaIssuers(settings),
      }),
    );
    new k8s.core.v1.ConfigMap(
      `${name}-dns`,
      {
        metadata: { name: MAIL_DNS.name, namespace: ns, labels: { ...labels, [contractKeys(args.domain).consumer]: CONSUMER.dns } },
        data: { [MAIL_DNS.data.records]: this.dnsRecords.apply((r) => JSON.stringify(r, null, 2)) },
      },
      child,
    );
    this.registerOutputs({ host: this.host, endpoint: this.endpoint, dnsRecords: this.dnsRecords });
  }
}
