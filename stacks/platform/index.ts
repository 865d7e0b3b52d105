// The platform stack: what every desa shares. The `desa-platform` namespace, the ingress controller,
// TLS (one wildcard certificate), DNS, mail, storage, webmail and files, each deployed here or referenced as existing.
import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { COMMON_LABELS } from '../../core/contract.ts';
import { platformRefs, type Settings } from '../settings.ts';
import { Certificates } from './certificates.ts';
import { Dns } from './dns.ts';
import { IngressController } from './ingress.ts';
import { Mail } from './mail.ts';
import { platformProblems } from './plans.ts';
import { Storage } from './storage.ts';
import { Files, Webmail } from './webapps.ts';

export interface PlatformArgs {
  settings: Settings;
  domain: string;
  tsigSecret: pulumi.Output<string> | undefined;
  provider: k8s.Provider;
}

export class Platform extends pulumi.ComponentResource {
  readonly outputs: Record<string, pulumi.Input<unknown>>;

  constructor(name: string, args: PlatformArgs, opts?: pulumi.ComponentResourceOptions) {
    // Check first: a configuration problem fails here, before anything is registered.
    const { settings, domain, provider } = args;
    const problems = platformProblems(settings, { tsigSecret: args.tsigSecret !== undefined });
    if (problems.length) {
      throw new pulumi.RunError(`The platform stack cannot run with this configuration:\n  ${problems.join('\n  ')}`);
    }
    super('desa:platform:Platform', name, {}, opts);
    const refs = platformRefs(settings, domain);
    const parent = { parent: this };
    const namespace = new k8s.core.v1.Namespace(
      `${name}-namespace`,
      { metadata: { name: settings.platformNamespace, labels: COMMON_LABELS } },
      { parent: this, provider },
    );
    const common = { settings, platformNamespace: namespace, provider };
    const ingress = new IngressController(`${name}-ingress`, common, parent);
    const tls = new Certificates(`${name}-tls`, { ...common, domain, tsigSecret: args.tsigSecret }, parent);
    const mail = new Mail(`${name}-mail`, { ...common, domain, mailHost: refs.mailHost }, parent);
    const dns = new Dns(`${name}-dns`, { ...common, domain, tsigSecret: args.tsigSecret, mailRecords: mail.dnsRecords }, parent);
    const storage = new Storage(`${name}-storage`, common, parent);
    const webmail = new Webmail(`${name}-webmail`, { ...common, refs, domain }, parent);
    const files = new Files(`${name}-files`, { ...common, refs, domain }, parent);

    this.outputs = {
      namespace: namespace.metadata.name,
      customResources: settings.customResources,
      ingressClass: ingress.className,
      ingressNamespace: ingress.namespace,
      defaultCertificate: refs.defaultCertificate,
      wildcardSecret: tls.wildcardSecret,
      wildcardDnsNames: tls.dnsNames,
      clusterIssuer: tls.clusterIssuer,
      dnsZone: dns.zone,
      dnsMode: dns.mode,
      mailHost: mail.host,
      mailEndpoint: mail.endpoint,
      mailDnsRecords: mail.dnsRecords,
      storageEndpoint: storage.endpoint,
      webmailUrl: webmail.url,
      filesUrl: files.url,
      modes: {
        ingress: settings.ingress.mode,
        certManager: settings.tls.certManager,
        dns: settings.dns.mode,
        mail: settings.mail.mode,
        storage: settings.storage.mode,
        webmail: settings.webmail.mode,
        files: settings.files.mode,
      },
    };
    this.registerOutputs(this.outputs);
  }
}
