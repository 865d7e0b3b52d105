// DNS for the desa subdomains: ExternalDNS (installed from its chart into the platform namespace)
// publishes the host of every desa Ingress into the zone over RFC 2136. With mode existing the zone is
// managed elsewhere (for example one wildcard record pointing at the ingress controller).
import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { COMMON_LABELS, type DnsRecord } from '../../core/contract.ts';
import { base64 } from '../secrets.ts';
import { PINS, type Settings } from '../settings.ts';
import { TSIG_SECRET_KEY, externalDnsValues, mailDnsEndpoint } from './plans.ts';

export interface DnsArgs {
  settings: Settings;
  domain: string;
  platformNamespace: k8s.core.v1.Namespace;
  tsigSecret: pulumi.Output<string> | undefined;
  /** The zone-level records the mail service needs, published through ExternalDNS's crd source. */
  mailRecords: pulumi.Output<DnsRecord[]>;
  provider: k8s.Provider;
}

export class Dns extends pulumi.ComponentResource {
  readonly zone: string;
  readonly mode: string;

  constructor(name: string, args: DnsArgs, opts?: pulumi.ComponentResourceOptions) {
    super('desa:platform:Dns', name, {}, opts);
    const { settings, domain, provider } = args;
    if (settings.dns.mode === 'deploy') {
      const child = { parent: this, provider, dependsOn: [args.platformNamespace] };
      const tsigName = 'external-dns-tsig';
      const tsig = new k8s.core.v1.Secret(
        `${name}-tsig`,
        {
          metadata: { name: tsigName, namespace: settings.platformNamespace, labels: COMMON_LABELS },
          type: 'Opaque',
          data: { [TSIG_SECRET_KEY]: pulumi.secret(args.tsigSecret!.apply(base64)) },
        },
        child,
      );
      const chart = new k8s.helm.v4.Chart(
        `${name}-external-dns`,
        {
          chart: PINS.externalDnsChart.chart,
          version: PINS.externalDnsChart.version,
          repositoryOpts: { repo: PINS.externalDnsChart.repo },
          namespace: settings.platformNamespace,
          values: externalDnsValues(settings, domain, tsigName),
        },
        { ...child, dependsOn: [args.platformNamespace, tsig] },
      );
      if (settings.customResources) {
        // The chart installs the DNSEndpoint CRD; the endpoint waits for it.
        const body = mailDnsEndpoint(settings, []);
        new k8s.apiextensions.CustomResource(
          `${name}-mail-records`,
          { apiVersion: body.apiVersion, kind: body.kind, metadata: body.metadata, spec: args.mailRecords.apply((r) => mailDnsEndpoint(settings, r).spec) },
          { ...child, dependsOn: [chart] },
        );
      }
    }
    this.zone = domain;
    this.mode = settings.dns.mode;
    this.registerOutputs({ zone: this.zone, mode: this.mode });
  }
}
