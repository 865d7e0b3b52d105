// `desa rotate SLUG [--account ROLE...]`: new generated credentials for a desa, through its stack. The
// stack config key desa:rotate names the accounts for one update; the program then lets the fresh
// candidate value through (stacks/desa/mailboxes.ts, storage.ts) and the key is removed again. The new
// values exist only in the cluster's Secrets and, encrypted, in the state; nothing here prints them.
import { BUCKET, BUCKET_ACCESS, MAILBOX, OPENSID } from '../../core/contract.ts';
import { AbortError, EXIT } from '../../core/errors.ts';
import type { Inventory, Unit } from '../../core/inventory/model.ts';
import { findByName } from '../../core/inventory/lookup.ts';
import { didYouMean } from '../../core/inventory/problems.ts';
import { unsetConfig, writeConfig } from './automation.ts';
import { readCheckpoint } from './checkpoint.ts';
import { type EngineOptions, finish, open, operate, prepare, ROTATE_KEY } from './context.ts';
import { forgetRecord } from './records.ts';
import { type Job, type RunSummary, runAll, type StackResult } from './run-loop.ts';

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
  return unit.services.email.accounts.find((x) => x.role === account)?.address ?? account;
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

/**
 * The Secrets (their Kubernetes names) that carry an account's credential to its server: each entry must
 * change, and an entry lists the names its Secret may have (OpenSID's is `opensid-<slug>` in the platform
 * namespace when served outside the cluster, `opensid` in the desa's namespace otherwise).
 */
export function credentialSecrets(unit: Unit, account: string): string[][] {
  if (account === 'storage') return [[BUCKET.name(unit.slug)], [BUCKET_ACCESS.name(unit.slug)]];
  if ((OPENSID_ROTATABLE as readonly string[]).includes(account)) return [[OPENSID.name(unit.slug), OPENSID.inCluster]];
  return [[MAILBOX.name(unit.slug, account)]];
}

/**
 * Which of the accounts got their new credential: all of them when the update succeeded; after a failed
 * one, those whose every Secret the engine updated (or replaced) before the failure. A stack made before
 * bucket access Secrets gets its access created in the same update: that counts too.
 */
export function rotatedAccounts(unit: Unit, accounts: readonly string[], r: Pick<StackResult, 'result' | 'steps'>): { live: string[]; unchanged: string[] } {
  if (r.result === 'succeeded') return { live: [...accounts], unchanged: [] };
  const changed = new Set((r.steps ?? []).filter((s) => s.kind === 'Secret' && s.op !== 'delete').map((s) => s.object?.name));
  const live = accounts.filter((a) => credentialSecrets(unit, a).every((names) => names.some((name) => changed.has(name))));
  return { live, unchanged: accounts.filter((a) => !live.includes(a)) };
}

/** What `desa rotate` adds to its summary (--json): the accounts whose new credential is live, and those not changed. */
export interface Rotation {
  rotated: string[];
  notRotated: string[];
  /** Why the stack's update failed, when it did (the new credentials may be live all the same). */
  stackError: string | null;
}

export async function rotate<X extends object>(o: RotateOptions<X>): Promise<RunSummary & Partial<X> & Rotation> {
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
        return await operate(ctx, s, 'up', t, o, { protectedData: { slug: unit.slug } });
      } finally {
        await unsetConfig(s, [ROTATE_KEY]);
      }
    },
  };
  // The new password or key reaches the local servers at once: the old one stops working. That holds for
  // an account whose Secrets the engine updated even when the update failed elsewhere (a protected
  // resource it could not delete, a workload that did not become ready): the run then says so.
  const ran = await runAll('up', o, null, () => [job], () => new Map());
  const r = ran.stacks[0]!;
  const { live, unchanged } = r.result === 'failed' ? rotatedAccounts(unit, accounts, r) : r.result === 'succeeded' ? { live: accounts, unchanged: [] } : { live: [], unchanged: accounts };
  const what = (list: readonly string[]) => list.map((a) => (a === 'storage' ? 'storage key' : `${a} password`)).join(', ');
  const note = r.result === 'failed' && live.length > 0 ? `rotated: new ${what(live)} live` : undefined;
  const stacks = ran.stacks.map((x) => (note ? { ...x, note } : x));
  const summary = await finish(ctx, { ...ran, stacks, ok: !ran.interrupted && live.length === accounts.length });
  return {
    ...summary,
    rotated: live.map((a) => describeAccount(unit, a)),
    notRotated: unchanged.map((a) => describeAccount(unit, a)),
    stackError: r.result === 'failed' ? (r.error ?? 'failed') : null,
  };
}
