// `desa rotate SLUG [--account ROLE...]`: new generated credentials for a desa, through its stack. The
// stack config key desa:rotate names the accounts for one update; the program then lets the fresh
// candidate value through (stacks/desa/mailboxes.ts, storage.ts) and the key is removed again. The new
// values exist only in the cluster's Secrets and, encrypted, in the state; nothing here prints them.
import { AbortError, EXIT } from '../../core/errors.ts';
import type { Inventory, Unit } from '../../core/inventory/model.ts';
import { findByName } from '../../core/inventory/lookup.ts';
import { didYouMean } from '../../core/inventory/problems.ts';
import { unsetConfig, writeConfig } from './automation.ts';
import { readCheckpoint } from './checkpoint.ts';
import { type EngineOptions, finish, open, operate, prepare, ROTATE_KEY } from './context.ts';
import { forgetRecord } from './records.ts';
import { type Job, type RunSummary, runAll } from './run-loop.ts';

export interface RotateOptions<X extends object = object> extends EngineOptions<X> {
  /** Mailbox roles and/or `storage`; empty: every generated credential of the desa. */
  accounts: string[];
}

/** The accounts of an OpenSID desa (stacks/desa/opensid.ts OPENSID_ACCOUNTS): its database's and its administrator's passwords. */
export const OPENSID_ROTATABLE = ['opensid-db', 'opensid-admin'] as const;

/** The accounts of a unit that have generated credentials: its mailbox roles, then `storage`, then OpenSID's. */
export function rotatable(unit: Unit): string[] {
  const site = unit.services.site;
  return [
    ...(unit.services.email.enabled ? unit.services.email.accounts.map((a) => a.role) : []),
    ...(unit.services.storage.enabled ? ['storage'] : []),
    ...(site.enabled && site.template === 'opensid' ? OPENSID_ROTATABLE : []),
  ];
}

/** What a rotated account is, for the summary: an address, a bucket, or OpenSID's database or administrator. */
export function describeAccount(unit: Unit, account: string): string {
  if (account === 'storage') return `storage (${unit.services.storage.bucket})`;
  if (account === 'opensid-db') return `OpenSID database (${unit.slug})`;
  if (account === 'opensid-admin') return `OpenSID administrator (${unit.services.subdomain.host})`;
  return unit.services.email.accounts.find((x) => x.role === account)!.address;
}

/** The accounts to rotate, checked against the unit: a usage error naming the valid ones otherwise. */
export function accountsToRotate(unit: Unit, asked: readonly string[]): string[] {
  const valid = rotatable(unit);
  if (valid.length === 0) {
    throw new AbortError(`${unit.slug} has no mailboxes, storage or OpenSID, so no generated credentials to rotate.`, { exitCode: EXIT.usage });
  }
  for (const a of asked) {
    if (!valid.includes(a)) {
      const hint = didYouMean(a, valid);
      throw new AbortError(`--account ${a}: ${unit.slug} has no such account.`, {
        exitCode: EXIT.usage,
        nextStep: `${hint ? `Did you mean \`${hint}\`? ` : ''}Its accounts: ${valid.join(', ')}.`,
      });
    }
  }
  return asked.length > 0 ? [...new Set(asked)] : valid;
}

export async function rotate<X extends object>(o: RotateOptions<X>): Promise<RunSummary & Partial<X> & { rotated: string[] }> {
  const slug = o.only[0] ?? '';
  const unitOf = (inventory: Inventory): Unit => findByName(inventory, slug, { nextStep: 'Run `desa status` to list the slugs.' }).unit!;
  // Slug and accounts are checked before anything starts.
  const ctx = await prepare(o, (inventory) => void accountsToRotate(unitOf(inventory), o.accounts));
  const unit = unitOf(ctx.inventory);
  const accounts = accountsToRotate(unit, o.accounts);
  const held = ctx.backendDir ? readCheckpoint(ctx.backendDir, unit.stack)?.checkpoint?.latest?.resources?.length ?? 0 : null;
  if (held === 0) {
    throw new AbortError(`${unit.slug} is not provisioned: there is nothing to rotate.`, { exitCode: EXIT.failure, nextStep: `Run \`desa up --only ${unit.slug}\`.` });
  }
  const job: Job = {
    stack: unit.stack,
    operation: 'up',
    run: async (t) => {
      // The provider replaces a Secret whose data changes, and the bucket's Secret is protected (it
      // stands for the desa's archive): for this update only, Secrets are updated in place. Not for
      // every run: after a killed run, a create must be able to take over the Secret it left behind.
      const s = await open(ctx, unit.stack, o, t, { PULUMI_K8S_ENABLE_SECRET_MUTABLE: 'true' });
      await forgetRecord(ctx.store, unit.stack);
      await writeConfig(s, { [ROTATE_KEY]: accounts });
      try {
        return await operate(ctx, s, 'up', t, o);
      } finally {
        await unsetConfig(s, [ROTATE_KEY]);
      }
    },
  };
  // The new password or key reaches the local servers at once: the old one stops working.
  const summary = await finish(ctx, await runAll('up', o, null, () => [job], () => new Map()));
  return { ...summary, rotated: accounts.map((a) => describeAccount(unit, a)) };
}
