// The ingress controller every desa's Ingress goes through: Traefik installed from its chart, or one
// already in the cluster. Either way, with custom resources on, its default TLS store is the wildcard
// certificate, so desa Ingresses need no secretName (stacks/desa/subdomain.ts).
import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { COMMON_LABELS } from '../../core/contract.ts';
import { PINS, type Settings } from '../settings.ts';
import { defaultTlsStore, traefikValues } from './plans.ts';

export interface IngressControllerArgs {
  settings: Settings;
  /** The platform namespace, where the default TLS store sits next to the wildcard Secret. */
  platformNamespace: k8s.core.v1.Namespace;
  provider: k8s.Provider;
}

export class IngressController extends pulumi.ComponentResource {
  readonly className: string;
  readonly namespace: string;

  constructor(name: string, args: IngressControllerArgs, opts?: pulumi.ComponentResourceOptions) {
    super('desa:platform:Ingress', name, {}, opts);
    const { settings, provider } = args;
    const child = { parent: this, provider };
    const chartDeps: pulumi.Resource[] = [];
    if (settings.ingress.mode === 'deploy') {
      const ns = new k8s.core.v1.Namespace(
        `${name}-namespace`,
        { metadata: { name: settings.ingress.namespace, labels: COMMON_LABELS } },
        child,
      );
      chartDeps.push(
        new k8s.helm.v4.Chart(
          `${name}-traefik`,
          {
            chart: PINS.traefikChart.chart,
            version: PINS.traefikChart.version,
            repositoryOpts: { repo: PINS.traefikChart.repo },
            namespace: settings.ingress.namespace,
            values: traefikValues(settings),
          },
          { ...child, dependsOn: [ns] },
        ),
      );
    }
    if (settings.customResources) {
      new k8s.apiextensions.CustomResource(`${name}-default-tls`, defaultTlsStore(settings), {
        ...child,
        dependsOn: [args.platformNamespace, ...chartDeps],
      });
    }
    this.className = settings.ingress.className;
    this.namespace = settings.ingress.namespace;
    this.registerOutputs({ className: this.className, namespace: this.namespace });
  }
}
