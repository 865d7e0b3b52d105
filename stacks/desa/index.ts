// One desa: its namespace, mailboxes, storage, subdomain and site, as one component. The plans are
// computed first (pure), then each piece is a child component with names derived from this one.
import type * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import type { Inventory, Unit } from '../../core/inventory/model.ts';
import type { PlatformRefs, Settings } from '../settings.ts';
import { Mailboxes } from './mailboxes.ts';
import { DesaNamespace } from './namespace.ts';
import { OpensidAccount, opensidAccountPlan } from './opensid.ts';
import { Site, sitePlanFor } from './site.ts';
import { type Footprint, sizingFor } from './sizing.ts';
import { StorageSpace } from './storage.ts';
import { Subdomain, subdomainPlan } from './subdomain.ts';

export interface DesaArgs {
  unit: Unit;
  inventory: Pick<Inventory, 'kabupaten' | 'programmes'>;
  platform: PlatformRefs;
  images: Settings['images'];
  opensid: Settings['opensid'];
  provider: k8s.Provider;
  /** Accounts whose generated credentials this run replaces (mailbox roles, `storage`, `opensid-db`, `opensid-admin`). */
  rotate?: readonly string[];
  /** What the namespace ran before, during a switch of site template: the quota admits both (sizing.ts). */
  siteTransition?: Footprint;
}

export class Desa extends pulumi.ComponentResource {
  readonly namespace: pulumi.Output<string>;
  readonly host: string;
  /** https URL of the subdomain, or null when nothing is served there. */
  readonly url: string | null;
  readonly siteTemplate: string;
  readonly mailboxes: string[];
  readonly bucket: string | null;
  readonly mailPasswords: pulumi.Output<Record<string, string>>;
  readonly storageCredentials: pulumi.Output<{ bucket: string; accessKeyId: string; secretAccessKey: string; filesPassword: string; filesAdminPassword: string } | null>;
  /** OpenSID's administrator login (url, username, password), or null when the desa is not on OpenSID. */
  readonly opensidAdmin: pulumi.Output<{ url: string; username: string; password: string } | null>;

  constructor(name: string, args: DesaArgs, opts?: pulumi.ComponentResourceOptions) {
    // Plan first: a configuration problem fails here, before anything is registered.
    const { unit, platform, provider } = args;
    const domain = args.inventory.kabupaten.domain;
    const site = unit.services.site;
    const onOpensid = site.enabled && site.template === 'opensid';
    const outside = args.opensid.mode === 'existing';
    const sizing = sizingFor(unit, { opensidOutside: outside, ...(args.siteTransition ? { from: args.siteTransition } : {}) });
    const sitePlan = sitePlanFor({ unit, inventory: args.inventory, images: args.images, opensid: args.opensid, sizing });
    const subPlan = subdomainPlan(unit, platform, sitePlan);
    super('desa:desa:Desa', name, {}, opts);
    const parent = { parent: this };

    const ns = new DesaNamespace(
      `${name}-namespace`,
      { unit, domain, sizing, ingressNamespace: platform.ingress.namespace, site: sitePlan, provider },
      parent,
    );
    const inNamespace = { namespace: ns.name, provider, dependsOn: [ns] };

    const rotate = args.rotate ?? [];
    const mail = new Mailboxes(`${name}-mail`, { unit, domain, namespace: platform.namespace, provider, rotate }, parent);
    const storage = unit.services.storage.enabled
      ? new StorageSpace(`${name}-storage`, { unit, domain, namespace: platform.namespace, provider, rotate: rotate.includes('storage') }, parent)
      : null;
    const opensid = onOpensid
      ? new OpensidAccount(
          `${name}-opensid`,
          {
            plan: opensidAccountPlan(unit, args.inventory, { outside, platformNamespace: platform.namespace, databaseInCluster: args.opensid.database.mode === 'deploy' }),
            provider,
            rotate,
            // In the desa's namespace, it waits for the namespace.
            dependsOn: outside ? [] : [ns],
          },
          parent,
        )
      : null;
    if (sitePlan) new Site(`${name}-site`, { plan: sitePlan, ...inNamespace, inputs: opensid && !outside ? [opensid] : [] }, parent);
    const subdomain = subPlan ? new Subdomain(`${name}-subdomain`, { unit, domain, plan: subPlan, ...inNamespace }, parent) : null;

    this.namespace = ns.name;
    this.host = unit.services.subdomain.host;
    this.url = subdomain?.url ?? null;
    this.siteTemplate = unit.services.site.enabled ? unit.services.site.template : 'none';
    this.mailboxes = mail.addresses;
    this.bucket = storage?.bucket ?? null;
    this.mailPasswords = mail.passwords;
    this.storageCredentials = storage ? storage.credentials : pulumi.output(null);
    this.opensidAdmin = opensid ? opensid.admin : pulumi.output(null);
    this.registerOutputs(this.outputs());
  }

  /** The stack outputs of a desa stack. Passwords and keys only as secret outputs. */
  outputs() {
    return {
      namespace: this.namespace,
      host: this.host,
      url: this.url,
      siteTemplate: this.siteTemplate,
      mailboxes: this.mailboxes,
      bucket: this.bucket,
      mailPasswords: pulumi.secret(this.mailPasswords),
      storageCredentials: pulumi.secret(this.storageCredentials),
      opensidAdmin: pulumi.secret(this.opensidAdmin),
    };
  }
}
