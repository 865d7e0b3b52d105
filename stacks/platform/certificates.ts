// TLS for every desa: cert-manager (installed from its chart, or existing), a Let's Encrypt ClusterIssuer
// solving DNS-01 over RFC 2136, and ONE wildcard Certificate in the platform namespace. Custom resources
// only when the config allows them (a bare control plane has no cert-manager CRDs).
import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { COMMON_LABELS } from '../../core/contract.ts';
import { base64 } from '../secrets.ts';
import { PINS, type Settings } from '../settings.ts';
import { CLUSTER_ISSUER, TSIG_SECRET_KEY, certManagerValues, clusterIssuer, wildcardCertificate } from './plans.ts';

export interface CertificatesArgs {
  settings: Settings;
  domain: string;
  platformNamespace: k8s.core.v1.Namespace;
  tsigSecret: pulumi.Output<string> | undefined;
  provider: k8s.Provider;
}

export class Certificates extends pulumi.ComponentResource {
  readonly wildcardSecret: string;
  readonly dnsNames: string[];
  readonly clusterIssuer: string | null;

  constructor(name: string, args: CertificatesArgs, opts?: pulumi.ComponentResourceOptions) {
    super('desa:platform:Certificates', name, {}, opts);
    const { settings, domain, provider } = args;
    const child = { parent: this, provider };
    const cmNamespace = settings.tls.certManagerNamespace;
    const deps: pulumi.Resource[] = [];
    if (settings.tls.certManager === 'deploy') {
      const ns = new k8s.core.v1.Namespace(`${name}-namespace`, { metadata: { name: cmNamespace, labels: COMMON_LABELS } }, child);
      deps.push(ns);
      deps.push(
        new k8s.helm.v4.Chart(
          `${name}-cert-manager`,
          { chart: PINS.certManagerChart.chart, version: PINS.certManagerChart.version, namespace: cmNamespace, values: certManagerValues(settings) },
          { ...child, dependsOn: [ns] },
        ),
      );
    }
    const certificate = wildcardCertificate(settings, domain);
    if (settings.customResources) {
      // A ClusterIssuer reads its secrets from cert-manager's own namespace.
      const tsigName = 'rfc2136-tsig';
      const tsig = new k8s.core.v1.Secret(
        `${name}-tsig`,
        {
          metadata: { name: tsigName, namespace: cmNamespace, labels: COMMON_LABELS },
          type: 'Opaque',
          data: { [TSIG_SECRET_KEY]: pulumi.secret(args.tsigSecret!.apply(base64)) },
        },
        { ...child, dependsOn: deps },
      );
      const issuer = new k8s.apiextensions.CustomResource(`${name}-issuer`, clusterIssuer(settings, domain, tsigName), {
        ...child,
        dependsOn: [...deps, tsig],
      });
      new k8s.apiextensions.CustomResource(`${name}-wildcard`, certificate, {
        ...child,
        dependsOn: [issuer, args.platformNamespace],
      });
    }
    this.wildcardSecret = settings.tls.wildcardSecret;
    this.dnsNames = certificate.spec.dnsNames;
    this.clusterIssuer = settings.customResources ? CLUSTER_ISSUER : null;
    this.registerOutputs({ wildcardSecret: this.wildcardSecret, dnsNames: this.dnsNames, clusterIssuer: this.clusterIssuer });
  }
}
