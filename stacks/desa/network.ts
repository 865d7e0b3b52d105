// NetworkPolicies of a desa namespace: nothing may reach its pods, except the ingress controller
// reaching the site's pods on the site's port, and whatever the template declares between its own
// pods (OpenSID → MariaDB). Egress stays open: OpenSID fetches updates and sends mail.
import type * as k8s from '@pulumi/kubernetes';
import type { SitePlan } from '../../templates/plan.ts';

export interface PlannedPolicy {
  /** Suffix of the object's name and of the Pulumi resource name. */
  name: string;
  spec: k8s.types.input.networking.v1.NetworkPolicySpec;
}

export function networkPolicies(ingressNamespace: string, plan: SitePlan | null): PlannedPolicy[] {
  const policies: PlannedPolicy[] = [{ name: 'default-deny', spec: { podSelector: {}, policyTypes: ['Ingress'] } }];
  if (!plan) return policies;
  policies.push({
    name: 'allow-ingress-controller',
    spec: {
      podSelector: { matchLabels: plan.podLabels },
      policyTypes: ['Ingress'],
      ingress: [
        {
          from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': ingressNamespace } } }],
          // The target port of the site's Service: what the controller connects to on the pod.
          ports: [{ protocol: 'TCP', port: 'http' }],
        },
      ],
    },
  });
  for (const t of plan.internalTraffic) {
    const part = (l: Record<string, string>) => l['app.kubernetes.io/component'] ?? l['app.kubernetes.io/name'] ?? 'pods';
    policies.push({
      name: `allow-${part(t.from)}-to-${part(t.to)}`,
      spec: {
        podSelector: { matchLabels: t.to },
        policyTypes: ['Ingress'],
        ingress: [{ from: [{ podSelector: { matchLabels: t.from } }], ports: [{ protocol: 'TCP', port: t.port }] }],
      },
    });
  }
  return policies;
}
