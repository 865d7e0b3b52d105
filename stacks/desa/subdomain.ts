// The subdomain <slug>.<domain>: an Ingress for the site, or a permanent redirect to the desa's own app
// (template external with a known URL), or nothing (external with no URL yet, or subdomain disabled).
//
// TLS: the Ingress lists the host under `tls` with no secretName, so the controller serves its default
// certificate, the one wildcard certificate of the platform; its private key never leaves the platform
// namespace. DNS: ExternalDNS (ingress source) publishes the Ingress host, with the TTL annotated here.
import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import type { Unit } from '../../core/inventory/model.ts';
import type { SitePlan } from '../../templates/plan.ts';
import { identityLabels } from '../labels.ts';
import type { PlatformRefs } from '../settings.ts';

type Annotations = Record<string, string>;

export interface SubdomainPlan {
  host: string;
  kind: 'site' | 'redirect';
  ingress: { name: string; annotations: Annotations; spec: k8s.types.input.networking.v1.IngressSpec };
  /** For a redirect: a Traefik Middleware, and a Service with no pods for the Ingress to name. */
  redirect: { url: string; middleware: string; service: string } | null;
}

export function subdomainPlan(unit: Unit, refs: PlatformRefs, site: SitePlan | null): SubdomainPlan | null {
  const { subdomain, site: siteService } = unit.services;
  if (!subdomain.enabled) return null;
  const host = subdomain.host;
  const url = siteService.enabled && siteService.template === 'external' ? siteService.url : null;
  // A redirect needs the Middleware CRD; without custom resources there is nothing to serve.
  const redirect = url && refs.customResources ? { url, middleware: 'redirect-external', service: 'redirect-external' } : null;
  if (!site && !redirect) return null;

  const annotations: Annotations = {
    'external-dns.alpha.kubernetes.io/hostname': host,
    'external-dns.alpha.kubernetes.io/ttl': String(refs.dnsTtl),
    'traefik.ingress.kubernetes.io/router.entrypoints': 'websecure',
    'traefik.ingress.kubernetes.io/router.tls': 'true',
  };
  if (redirect) annotations['traefik.ingress.kubernetes.io/router.middlewares'] = `${unit.namespace}-${redirect.middleware}@kubernetescrd`;
  // Pulumi waits for the controller to publish an address in the Ingress status; where the controller
  // publishes none, that wait would end only at its 10-minute timeout. Only the Ingress is skipped:
  // Deployments and Services are still awaited for real.
  if (!refs.ingress.publishesStatus) annotations['pulumi.com/skipAwait'] = 'true';
  const backend = site ? site.backend : { service: redirect!.service, port: 80 };
  return {
    host,
    kind: site ? 'site' : 'redirect',
    redirect,
    ingress: {
      name: 'subdomain',
      annotations,
      spec: {
        ingressClassName: refs.ingress.className,
        // No secretName: the controller's default certificate (the platform's wildcard) is served.
        tls: [{ hosts: [host] }],
        rules: [
          {
            host,
            http: {
              paths: [
                { path: '/', pathType: 'Prefix', backend: { service: { name: backend.service, port: { number: backend.port } } } },
              ],
            },
          },
        ],
      },
    },
  };
}

export interface SubdomainArgs {
  unit: Unit;
  domain: string;
  plan: SubdomainPlan;
  namespace: pulumi.Input<string>;
  provider: k8s.Provider;
  dependsOn?: pulumi.Input<pulumi.Resource>[];
}

export class Subdomain extends pulumi.ComponentResource {
  readonly host: string;
  readonly url: string;

  constructor(name: string, args: SubdomainArgs, opts?: pulumi.ComponentResourceOptions) {
    super('desa:desa:Subdomain', name, {}, opts);
    const { plan, provider } = args;
    const child = { parent: this, provider, dependsOn: args.dependsOn ?? [] };
    const labels = identityLabels(args.unit, args.domain);
    const redirect = plan.redirect;
    if (redirect) {
      new k8s.apiextensions.CustomResource(
        `${name}-redirect`,
        {
          apiVersion: 'traefik.io/v1alpha1',
          kind: 'Middleware',
          metadata: { name: redirect.middleware, namespace: args.namespace, labels },
          spec: { redirectRegex: { regex: '^.*$', replacement: redirect.url, permanent: true } },
        },
        child,
      );
      // The redirect answers before the request reaches a backend; the Ingress still has to name one.
      new k8s.core.v1.Service(
        `${name}-redirect-backend`,
        { metadata: { name: redirect.service, namespace: args.namespace, labels }, spec: { ports: [{ name: 'http', port: 80 }] } },
        child,
      );
    }
    new k8s.networking.v1.Ingress(
      `${name}-ingress`,
      {
        metadata: { name: plan.ingress.name, namespace: args.namespace, labels, annotations: plan.ingress.annotations },
        spec: plan.ingress.spec,
      },
      child,
    );
    this.host = plan.host;
    this.url = `https://${plan.host}/`;
    this.registerOutputs({ host: this.host, url: this.url });
  }
}
