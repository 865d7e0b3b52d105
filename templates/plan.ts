// What a site template asks to have built, as plain data. Templates are pure functions from a desa to a
// SitePlan; the Site component (stacks/desa/site.ts) turns a plan into Kubernetes objects, so the
// templates are tested without Pulumi and the component stays a thin loop.
import type * as k8s from '@pulumi/kubernetes';

type Labels = Record<string, string>;

export interface SiteContext {
  /** Namespace the objects go to. */
  namespace: string;
  /** Labels every object carries (desa identity); templates add `app.kubernetes.io/component`. */
  labels: Labels;
}

export interface PlannedConfigMap {
  name: string;
  labels: Labels;
  data: Record<string, string>;
}

/** A Secret whose `generated` keys are filled with fresh random passwords on creation, then kept. */
export interface PlannedSecret {
  name: string;
  labels: Labels;
  data: Record<string, string>;
  generated: string[];
}

export interface PlannedVolumeClaim {
  name: string;
  labels: Labels;
  size: string;
}

export interface SitePlan {
  /** The Service and port the desa's Ingress sends traffic to. */
  backend: { service: string; port: number };
  /** Labels of the pods that receive traffic from the ingress controller (for the NetworkPolicy). */
  podLabels: Labels;
  /** Extra allow rules between the template's own pods (for example site → database). */
  internalTraffic: { from: Labels; to: Labels; port: number }[];
  configMaps: PlannedConfigMap[];
  secrets: PlannedSecret[];
  volumeClaims: PlannedVolumeClaim[];
  deployments: { name: string; labels: Labels; spec: k8s.types.input.apps.v1.DeploymentSpec }[];
  statefulSets: { name: string; labels: Labels; spec: k8s.types.input.apps.v1.StatefulSetSpec }[];
  services: { name: string; labels: Labels; spec: k8s.types.input.core.v1.ServiceSpec }[];
}

/** Security settings shared by every container the templates run. */
export function restrictedContainer(runAsUser?: number): k8s.types.input.core.v1.SecurityContext {
  return {
    allowPrivilegeEscalation: false,
    capabilities: { drop: ['ALL'] },
    ...(runAsUser !== undefined ? { runAsNonRoot: true, runAsUser, runAsGroup: runAsUser } : {}),
    seccompProfile: { type: 'RuntimeDefault' },
  };
}
