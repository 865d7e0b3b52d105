// Mailboxes: one Secret per account, in the platform namespace where the mail service reads them
// (label <domain>/consumer=mailbox). Keys: address, role, password; annotations: quota, aliases. The
// password is generated once and kept (stacks/secrets.ts); it leaves the stack only as a secret output.
import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import type { Unit } from '../../core/inventory/model.ts';
import { CONSUMER, contractKeys, MAILBOX } from '../../core/contract.ts';
import { identityLabels } from '../labels.ts';
import { keepGenerated, secretData, secretValue } from '../secrets.ts';

export interface MailboxPlan {
  role: string;
  address: string;
  metadata: { name: string; namespace: string; labels: Record<string, string>; annotations: Record<string, string> };
  data: Record<string, string>;
}

export const MAILBOX_GENERATED = [MAILBOX.data.password] as const;

export function mailboxPlans(unit: Unit, domain: string, namespace: string): MailboxPlan[] {
  const email = unit.services.email;
  if (!email.enabled) return [];
  const k = contractKeys(domain);
  return email.accounts.map((a) => ({
    role: a.role,
    address: a.address,
    metadata: {
      name: MAILBOX.name(unit.slug, a.role),
      namespace,
      labels: { ...identityLabels(unit, domain), [k.consumer]: CONSUMER.mailbox, [k.role]: a.role },
      annotations: { [k.quota]: a.quota, [k.aliases]: a.aliases.join(',') },
    },
    data: { [MAILBOX.data.address]: a.address, [MAILBOX.data.role]: a.role },
  }));
}

export interface MailboxesArgs {
  unit: Unit;
  domain: string;
  /** The platform namespace. */
  namespace: string;
  provider: k8s.Provider;
  /** Roles whose password this run replaces with the freshly generated one (desa rotate). */
  rotate?: readonly string[];
}

export class Mailboxes extends pulumi.ComponentResource {
  readonly addresses: string[];
  /** address → password, secret. */
  readonly passwords: pulumi.Output<Record<string, string>>;

  constructor(name: string, args: MailboxesArgs, opts?: pulumi.ComponentResourceOptions) {
    super('desa:desa:Mailboxes', name, {}, opts);
    const plans = mailboxPlans(args.unit, args.domain, args.namespace);
    const entries = plans.map((p) => {
      const secret = new k8s.core.v1.Secret(
        `${name}-${p.role}`,
        { metadata: p.metadata, type: 'Opaque', data: secretData(p.data, MAILBOX_GENERATED) },
        { parent: this, provider: args.provider, ignoreChanges: args.rotate?.includes(p.role) ? [] : keepGenerated(MAILBOX_GENERATED) },
      );
      return pulumi.all([p.address, secretValue(secret.data, MAILBOX.data.password)]);
    });
    this.addresses = plans.map((p) => p.address);
    this.passwords = pulumi.secret(pulumi.all(entries).apply((pairs) => Object.fromEntries(pairs)));
    this.registerOutputs({ addresses: this.addresses, passwords: this.passwords });
  }
}
