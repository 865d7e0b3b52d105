// The desa's namespace and its fences: quota and default limits sized by the site template, and
// NetworkPolicies (see network.ts).
import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import type { Unit } from '../../core/inventory/model.ts';
import type { SitePlan } from '../../templates/plan.ts';
import { identityLabels, namespaceAnnotations, namespaceLabels } from '../labels.ts';
import { networkPolicies } from './network.ts';
import type { Sizing } from './sizing.ts';

export interface DesaNamespaceArgs {
  unit: Unit;
  domain: string;
  sizing: Sizing;
  /** Namespace of the ingress controller, allowed to reach the site's pods. */
  ingressNamespace: string;
  /** What the site template runs, or null when nothing runs here. */
  site: SitePlan | null;
  provider: k8s.Provider;
}

export class DesaNamespace extends pulumi.ComponentResource {
  readonly name: pulumi.Output<string>;

  constructor(name: string, args: DesaNamespaceArgs, opts?: pulumi.ComponentResourceOptions) {
    super('desa:desa:Namespace', name, {}, opts);
    const { unit, domain, sizing, provider } = args;
    const child = { parent: this, provider };

    const ns = new k8s.core.v1.Namespace(
      name,
      {
        metadata: {
          name: unit.namespace,
          labels: namespaceLabels(unit, domain, sizing.podSecurity),
          annotations: namespaceAnnotations(unit, domain),
        },
      },
      // Deleting a namespace deletes the desa's volumes with it: it is data, kept by `desa destroy`
      // (--exclude-protected) and only deleted with --delete-data.
      { ...child, protect: true },
    );
    this.name = ns.metadata.name;
    const inNs = { parent: this, provider, dependsOn: [ns] };
    const metadata = (suffix: string) => ({ name: suffix, namespace: this.name, labels: identityLabels(unit, domain) });

    new k8s.core.v1.ResourceQuota(`${name}-quota`, { metadata: metadata('desa-quota'), spec: { hard: sizing.quota } }, inNs);
    new k8s.core.v1.LimitRange(`${name}-limits`, { metadata: metadata('desa-limits'), spec: { limits: sizing.limits } }, inNs);
    for (const p of networkPolicies(args.ingressNamespace, args.site)) {
      new k8s.networking.v1.NetworkPolicy(`${name}-${p.name}`, { metadata: metadata(p.name), spec: p.spec }, inNs);
    }
    this.registerOutputs({ name: this.name });
  }
}
