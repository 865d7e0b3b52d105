// What a credential sheet shows, for one desa: its entry in desa.yaml, its stack's outputs with the
// secrets decrypted (through the engine, for that stack only), and the platform's mail host and storage
// endpoint, which are plain outputs read from the state without decrypting anything.
import { z } from 'zod';
import { requireProvisioned, resolveStack } from '../engine/outputs.ts';
import { hasSecret, readStates, revealSecrets, type StackState } from '../engine/state.ts';
import { AbortError, EXIT } from '../../core/errors.ts';
import { loadInventory } from '../../core/inventory/load.ts';
import { type Inventory, PLATFORM_STACK, type Unit } from '../../core/inventory/model.ts';
import type { SheetData } from './sheet.ts';
import { FILES, filesHost, webmailHost } from '../../core/contract.ts';

export interface GatherOptions {
  file: string;
  slug: string;
  env: NodeJS.ProcessEnv;
}

// The outputs of stacks/desa/index.ts and stacks/platform/index.ts that the sheet needs. A null output
// may be absent from the state, hence nullish.
const desaOutputs = z.object({
  url: z.string().nullish(),
  siteTemplate: z.string().nullish(),
  mailboxes: z.array(z.string()).nullish(),
  mailPasswords: z.record(z.string(), z.string()).nullish(),
  storageCredentials: z.object({ bucket: z.string(), accessKeyId: z.string(), secretAccessKey: z.string(), filesPassword: z.string().nullish(), filesAdminPassword: z.string().nullish() }).nullish(),
  opensidAdmin: z.object({ url: z.string(), username: z.string(), password: z.string() }).nullish(),
});
const platformOutputs = z.object({ mailHost: z.string().nullish(), storageEndpoint: z.string().nullish() });

/** The unit a credential sheet is for: a desa or kelurahan of desa.yaml, not the platform or a stack of none. */
function unitFor(inventory: Inventory, stack: string, name: string): Unit {
  const unit = inventory.units.find((u) => u.stack === stack);
  if (unit) return unit;
  throw new AbortError(`${name}: a credential sheet is for a desa or kelurahan in ${inventory.file}; ${stack === PLATFORM_STACK ? 'the platform has no accounts to hand over' : 'this stack is no longer in it'}.`, {
    exitCode: EXIT.usage,
    nextStep: 'Give the slug of a desa, as `desa status` lists them.',
  });
}

function stale(stack: string, what: string, slug: string): AbortError {
  return new AbortError(`the outputs of stack ${stack} lack ${what}.`, {
    exitCode: EXIT.failure,
    nextStep: `Run \`desa up --only ${slug}\` to bring its outputs up to date, then try again.`,
  });
}

/** The role of a mailbox: from desa.yaml, else from its address (<slug>.<role>@<domain>). */
function roleOf(unit: Unit, address: string): string {
  const account = unit.services.email.accounts.find((a) => a.address === address);
  if (account) return account.role;
  const local = address.split('@')[0] ?? address;
  return local.startsWith(`${unit.slug}.`) ? local.slice(unit.slug.length + 1) : local;
}

/** A mailbox's quota: its account's in desa.yaml, else the unit's mailbox quota. */
function quotaOf(unit: Unit, address: string): string {
  return unit.services.email.accounts.find((a) => a.address === address)?.quota ?? unit.services.email.quota;
}

/**
 * The template the sheet announces: the one asked for, unless the state shows another one serving
 * instead (a switch that failed left the old site running): then that one, which is what people get.
 */
export function servingTemplate(asked: string, running: readonly string[]): string {
  return running.length === 1 && !running.includes(asked) ? running[0]! : asked;
}

/** SheetData from a desa's state with its secrets revealed and the platform's state: pure, for tests. */
export function sheetData(inventory: Inventory, unit: Unit, desa: StackState, platform: StackState): SheetData {
  if (hasSecret(desa.outputs)) throw new Error(`the secrets of stack ${desa.name} were not revealed`);
  const d = desaOutputs.safeParse(desa.outputs);
  if (!d.success) throw stale(desa.name, `the expected shape (${d.error.issues.map((i) => i.path.join('.')).join(', ')})`, unit.slug);
  const p = platformOutputs.parse(platform.outputs);
  const mailboxes = d.data.mailboxes ?? [];
  const passwords = d.data.mailPasswords ?? {};
  const missing = mailboxes.filter((a) => passwords[a] === undefined);
  if (missing.length) throw stale(desa.name, `a password for ${missing.join(', ')}`, unit.slug);
  if (mailboxes.length && !p.mailHost) throw stale(PLATFORM_STACK, 'mailHost', unit.slug);
  const creds = d.data.storageCredentials;
  if (creds && !p.storageEndpoint) throw stale(PLATFORM_STACK, 'storageEndpoint', unit.slug);
  return {
    unit: { name: unit.name, kind: unit.kind, code: unit.code, kecamatan: unit.kecamatan, slug: unit.slug },
    kabupaten: { name: inventory.kabupaten.name, operator: inventory.kabupaten.operator },
    // Quotas are desa.yaml's, which the stack applied (the outputs do not repeat them).
    mail: mailboxes.length ? { host: p.mailHost!, webmail: `https://${webmailHost(inventory.kabupaten.domain)}/`, mailboxes: mailboxes.map((address) => ({ role: roleOf(unit, address), address, password: passwords[address]!, quota: quotaOf(unit, address) })) } : null,
    storage: creds ? { endpoint: p.storageEndpoint!, bucket: creds.bucket, accessKeyId: creds.accessKeyId, secretAccessKey: creds.secretAccessKey, quota: unit.services.storage.quota } : null,
    // The file space's logins, from the same Secret (a stack from before them has none yet: no section).
    files:
      creds?.filesPassword && creds.filesAdminPassword
        ? { url: `https://${filesHost(inventory.kabupaten.domain)}/`, dav: `https://${filesHost(inventory.kabupaten.domain)}${FILES.davPath}/`, login: FILES.user(unit.slug), password: creds.filesPassword, adminLogin: FILES.admin(unit.slug), adminPassword: creds.filesAdminPassword, quota: unit.services.storage.quota }
        : null,
    site: d.data.url ? { url: d.data.url, template: servingTemplate(d.data.siteTemplate ?? 'profil', desa.siteRunning) } : null,
    opensid: d.data.opensidAdmin ?? null,
    stack: { name: desa.name, lastUpdate: desa.lastUpdate },
  };
}

/**
 * The sheet's data for a slug. Errors as `desa outputs` gives them: 2 for an unknown slug, 1 when the
 * desa or the platform is not provisioned, 3 for an invalid desa.yaml, 4 when the secrets cannot be read.
 */
export async function gatherSheetData(o: GatherOptions): Promise<SheetData> {
  const { inventory } = loadInventory(o.file);
  const states = await readStates(o.file, o.env);
  const stack = resolveStack(inventory, states.stacks.map((s) => s.name), o.slug);
  const unit = unitFor(inventory, stack, o.slug);
  const state = requireProvisioned(inventory, states, stack);
  const platform = requireProvisioned(inventory, states, PLATFORM_STACK);
  const [revealed] = await revealSecrets(o.file, [state], o.env);
  return sheetData(inventory, unit, revealed!, platform);
}
