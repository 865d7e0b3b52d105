// The desa's site: picks the template's plan and turns it into Kubernetes objects. The templates
// (templates/*) decide what runs; this component only creates what a plan lists.
import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import type { Inventory, Unit } from '../../core/inventory/model.ts';
import { opensidExternalPlan, opensidPlan } from '../../templates/opensid/workload.ts';
import type { SitePlan } from '../../templates/plan.ts';
import { renderProfil } from '../../templates/profil/render.ts';
import { profilPlan } from '../../templates/profil/workload.ts';
import { identityLabels } from '../labels.ts';
import { keepGenerated, secretData } from '../secrets.ts';
import type { Settings } from '../settings.ts';
import type { Sizing } from './sizing.ts';

export interface SiteInputs {
  unit: Unit;
  inventory: Pick<Inventory, 'kabupaten' | 'programmes'>;
  images: Settings['images'];
  opensid: Settings['opensid'];
  sizing: Sizing;
}

/** Why an opensid desa cannot be provisioned with these settings (what to set), or null. */
export function opensidProblem(unit: Unit, images: Settings['images'], opensid: Settings['opensid']): string | null {
  const who = `${unit.name} (${unit.slug}) uses the opensid template`;
  if (opensid.mode === 'existing') {
    if (opensid.source) return null;
    return (
      `${who} but no OpenSID release is configured.\n` +
      'Set `desa:opensid.source` to the release (an https URL or an absolute path of its .tar.gz, with `desa:opensid.sha256`, or an unpacked folder); ' +
      'on the local cluster, set DESA_OPENSID_SOURCE and DESA_OPENSID_SHA256 (see templates/opensid/README.md).'
    );
  }
  if (images.opensid) return null;
  return (
    `${who} but no OpenSID image is configured.\n` +
    'Build one from the release (templates/opensid/image/README.md) and set it with `pulumi config set --path desa:images.opensid <registry/image:tag>`.'
  );
}

/** The plan of the desa's site, or null when no workload runs (external app, or no site). */
export function sitePlanFor(input: SiteInputs): SitePlan | null {
  const { unit, inventory, images, opensid, sizing } = input;
  const site = unit.services.site;
  if (!site.enabled) return null;
  const ctx = { namespace: unit.namespace, labels: identityLabels(unit, inventory.kabupaten.domain) };
  switch (site.template) {
    case 'profil': {
      const programmes = inventory.programmes.filter((p) => unit.programmes.includes(p.id));
      const html = renderProfil({ unit, kabupaten: inventory.kabupaten, programmes });
      return profilPlan({ ...ctx, html, image: images.profil });
    }
    case 'opensid': {
      const problem = opensidProblem(unit, images, opensid);
      if (problem) throw new pulumi.RunError(problem);
      if (opensid.mode === 'existing') return opensidExternalPlan(ctx);
      const volumes = sizing.volumes ?? { files: '5Gi', uploads: '10Gi', database: '10Gi' };
      const db = opensid.database;
      return opensidPlan({
        ...ctx,
        image: images.opensid!,
        database: db.mode === 'deploy' ? { mode: 'deploy', image: images.mariadb, size: volumes.database } : { mode: 'existing', host: db.host!, port: db.port },
        filesSize: volumes.files,
        uploadsSize: volumes.uploads,
      });
    }
    case 'external':
      return null;
  }
}

export interface SiteArgs {
  plan: SitePlan;
  namespace: pulumi.Input<string>;
  provider: k8s.Provider;
  dependsOn?: pulumi.Input<pulumi.Resource>[];
  /** What the workloads read besides the plan's own objects (the OpenSID Secret): they wait for it. */
  inputs?: pulumi.Resource[];
}

export class Site extends pulumi.ComponentResource {
  readonly service: string;

  constructor(name: string, args: SiteArgs, opts?: pulumi.ComponentResourceOptions) {
    super('desa:desa:Site', name, {}, opts);
    const { plan, provider, namespace } = args;
    const child = { parent: this, provider, dependsOn: args.dependsOn ?? [] };
    const meta = (o: { name: string; labels: Record<string, string> }) => ({ name: o.name, namespace, labels: o.labels });
    // Everything a workload mounts or reads exists before the workload.
    const inputs: pulumi.Resource[] = [...(args.inputs ?? [])];

    for (const c of plan.configMaps) {
      inputs.push(new k8s.core.v1.ConfigMap(`${name}-${c.name}`, { metadata: meta(c), data: c.data }, child));
    }
    for (const s of plan.secrets) {
      inputs.push(
        new k8s.core.v1.Secret(
          `${name}-${s.name}`,
          { metadata: meta(s), type: 'Opaque', data: secretData(s.data, s.generated) },
          { ...child, ignoreChanges: keepGenerated(s.generated) },
        ),
      );
    }
    for (const v of plan.volumeClaims) {
      inputs.push(
        new k8s.core.v1.PersistentVolumeClaim(
          `${name}-${v.name}`,
          { metadata: meta(v), spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: v.size } } } },
          // A claim holds the desa's data: never replaced or deleted by a stack change.
          { ...child, protect: true },
        ),
      );
    }
    const workload = { ...child, dependsOn: [...child.dependsOn, ...inputs] };
    // A Service is not awaited: the provider's Service check waits a fixed 10 s for its endpoints to
    // "settle" after the last change (pulumi-kubernetes pkg/await/service.go), which would be most of a
    // desa's update. Readiness is still proven: the Deployment and StatefulSet below are awaited until
    // their pods are Ready, and those pods are what the Service selects.
    const unawaited = (s: { name: string; labels: Record<string, string> }) => ({ ...meta(s), annotations: { 'pulumi.com/skipAwait': 'true' } });
    for (const s of plan.services) new k8s.core.v1.Service(`${name}-${s.name}`, { metadata: unawaited(s), spec: s.spec }, child);
    for (const s of plan.statefulSets) new k8s.apps.v1.StatefulSet(`${name}-${s.name}`, { metadata: meta(s), spec: s.spec }, workload);
    for (const d of plan.deployments) new k8s.apps.v1.Deployment(`${name}-${d.name}`, { metadata: meta(d), spec: d.spec }, workload);

    this.service = plan.backend.service;
    this.registerOutputs({ service: this.service });
  }
}
