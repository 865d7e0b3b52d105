// An OpenSID desa's accounts, as one Secret (core/contract.ts OPENSID): its database, database user and
// generated password, the generated password of OpenSID's administrator, and the identity OpenSID shows
// (names and codes from desa.yaml and the official list). Served outside the cluster, the Secret is in the
// platform namespace for the server that provisions it (the local servers' sync); in the cluster it is
// `opensid` in the desa's namespace, with MariaDB's root password. Passwords are generated once and kept;
// `desa rotate --account opensid-db|opensid-admin` replaces one; they leave the stack only as secrets.
import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { CONSUMER, contractKeys, OPENSID } from '../../core/contract.ts';
import type { Inventory, Unit } from '../../core/inventory/model.ts';
import { opensidIdentity, opensidName } from '../../core/opensid.ts';
import { identityLabels } from '../labels.ts';
import { keepGenerated, opensidAdminPassword, secretData, secretValue } from '../secrets.ts';

/** The accounts `desa rotate` knows for an OpenSID desa. */
export const OPENSID_ACCOUNTS = { database: 'opensid-db', admin: 'opensid-admin' } as const;

export interface OpensidAccountPlan {
  metadata: { name: string; namespace: string; labels: Record<string, string> };
  data: Record<string, string>;
  generated: string[];
  /** The administrator's login page. */
  loginUrl: string;
}

/**
 * The Secret of one OpenSID desa. `outside`: served outside the cluster (platform namespace, labelled
 * for its consumer); otherwise in the desa's namespace, with MariaDB's root password when the database
 * runs there too.
 */
export function opensidAccountPlan(
  unit: Unit,
  inventory: Pick<Inventory, 'kabupaten'>,
  o: { outside: boolean; platformNamespace: string; databaseInCluster: boolean },
): OpensidAccountPlan {
  const domain = inventory.kabupaten.domain;
  const d = OPENSID.data;
  const name = opensidName(unit.code);
  const labels = identityLabels(unit, domain);
  const host = unit.services.subdomain.host;
  return {
    metadata: o.outside
      ? { name: OPENSID.name(unit.slug), namespace: o.platformNamespace, labels: { ...labels, [contractKeys(domain).consumer]: CONSUMER.opensid } }
      : { name: OPENSID.inCluster, namespace: unit.namespace, labels },
    data: {
      [d.host]: host,
      [d.code]: opensidIdentity(unit, inventory.kabupaten).kode_desa,
      [d.database]: name,
      [d.username]: name,
      [d.adminUsername]: OPENSID.admin,
      [d.identity]: JSON.stringify(opensidIdentity(unit, inventory.kabupaten)),
    },
    generated: [d.password, d.adminPassword, ...(!o.outside && o.databaseInCluster ? [d.rootPassword] : [])],
    // https, as the site's own url output: the platform's certificate (on the loopback servers too: the local CA's wildcard).
    loginUrl: `https://${host}${OPENSID.loginPath}`,
  };
}

export interface OpensidAccountArgs {
  plan: OpensidAccountPlan;
  provider: k8s.Provider;
  /** Accounts whose generated password this run replaces (OPENSID_ACCOUNTS values). */
  rotate?: readonly string[];
  dependsOn?: pulumi.Input<pulumi.Resource>[];
}

export class OpensidAccount extends pulumi.ComponentResource {
  readonly secretName: string;
  /** The administrator's login, for the credential sheet: secret. */
  readonly admin: pulumi.Output<{ url: string; username: string; password: string }>;

  constructor(name: string, args: OpensidAccountArgs, opts?: pulumi.ComponentResourceOptions) {
    super('desa:desa:OpensidAccount', name, {}, opts);
    const { plan } = args;
    const d = OPENSID.data;
    const rotate = args.rotate ?? [];
    const rotated: string[] = [...(rotate.includes(OPENSID_ACCOUNTS.database) ? [d.password] : []), ...(rotate.includes(OPENSID_ACCOUNTS.admin) ? [d.adminPassword] : [])];
    const secret = new k8s.core.v1.Secret(
      `${name}-secret`,
      { metadata: plan.metadata, type: 'Opaque', data: secretData(plan.data, plan.generated, { [d.adminPassword]: opensidAdminPassword }) },
      { parent: this, provider: args.provider, ignoreChanges: keepGenerated(plan.generated.filter((k) => !rotated.includes(k))), dependsOn: args.dependsOn ?? [] },
    );
    this.secretName = plan.metadata.name;
    this.admin = pulumi.secret(secretValue(secret.data, d.adminPassword).apply((password) => ({ url: plan.loginUrl, username: OPENSID.admin, password })));
    this.registerOutputs({ secretName: this.secretName, admin: this.admin });
  }
}
