// What `desa onboard` changes in desa.yaml, worked out from data: the request (flags or the form) and
// the validated inventory. No I/O; the command renders, validates and writes the result.
import { AbortError } from '../../core/errors.ts';
import type { Inventory, Unit } from '../../core/inventory/model.ts';
import { kindOfCode, type OfficialList } from '../../core/inventory/official.ts';
import { FALLBACK, mergeServices } from '../../core/inventory/resolve.ts';
import type { InventoryFile, Kind, SiteTemplate, UnitEntry } from '../../core/inventory/schema.ts';
import { assignSlugs } from '../../core/inventory/slug.ts';

export interface ContactInput {
  name?: string;
  phone?: string;
  email?: string;
}

export const CONTACT_ROLES = ['kepala', 'operator'] as const;
export type ContactRole = (typeof CONTACT_ROLES)[number];

/** What the user asked for. Undefined means "not asked": keep what the file says. */
export interface OnboardRequest {
  code: string;
  /** For a code that is not in desa.yaml yet; defaults from the official list. */
  name?: string;
  kind?: Kind;
  kecamatan?: string;
  /** The decree behind a code missing from the official list. */
  source?: string;
  slug?: string;
  email?: boolean;
  accounts?: string[];
  mailQuota?: string;
  storage?: boolean;
  storageQuota?: string;
  subdomain?: boolean;
  site?: boolean;
  template?: SiteTemplate;
  siteUrl?: string;
  kepala?: ContactInput;
  operator?: ContactInput;
}

export interface Inputs {
  raw: InventoryFile;
  inventory: Inventory;
  official: OfficialList;
}

/** One field of the unit set (value) or removed (undefined); path relative to the unit. */
export interface FieldEdit {
  path: string[];
  old: unknown;
  value: unknown;
}

export interface OnboardPlan {
  action: 'add' | 'complete';
  code: string;
  name: string;
  kind: Kind;
  kecamatan: string;
  slug: string;
  /** For `complete`: the unit's index in `units:`. */
  index?: number;
  /** For `add`: the new entry, keys in schema order. */
  entry?: Record<string, unknown>;
  edits: FieldEdit[];
  warnings: string[];
}

/** A flag the request needs and does not have; the form asks for it, without a TTY it is an error. */
export class MissingFlagError extends AbortError {
  readonly flag: string;
  constructor(flag: string, why: string) {
    super(`${flag} is needed: ${why}.`, { nextStep: `Pass ${flag}, or run \`desa onboard\` in a terminal to be asked.` });
    this.name = 'MissingFlagError';
    this.flag = flag;
  }
}

/** Whether the request asks to change anything beyond picking the desa. */
export function asksForChanges(r: OnboardRequest): boolean {
  const keys: (keyof OnboardRequest)[] = ['email', 'accounts', 'mailQuota', 'storage', 'storageQuota', 'subdomain', 'site', 'template', 'siteUrl', 'slug'];
  return keys.some((k) => r[k] !== undefined) || CONTACT_ROLES.some((c) => Object.values(r[c] ?? {}).some((v) => v !== undefined));
}

export function planOnboard(req: OnboardRequest, inputs: Inputs): OnboardPlan {
  const index = inputs.raw.units.findIndex((u) => u.code === req.code);
  return index >= 0 ? planComplete(req, inputs, index) : planAdd(req, inputs);
}

function planAdd(req: OnboardRequest, { raw, inventory, official }: Inputs): OnboardPlan {
  const off = official.units.get(req.code);
  if (!off) {
    const why = `${req.code} is not in the official list (${raw.kabupaten.officialCodes.source})`;
    if (req.name === undefined) throw new MissingFlagError('--name', `${why}, so its name must be given`);
    if (req.source === undefined) throw new MissingFlagError('--source', `${why}: name the decree that created it`);
  }
  const name = req.name ?? off!.name;
  const kind = req.kind ?? off?.kind ?? kindOfCode(req.code);
  if (!kind) throw new MissingFlagError('--kind', `the code ${req.code} does not tell whether it is a desa or a kelurahan`);
  const kecamatan = req.kecamatan ?? off?.kecamatan ?? official.kecamatan.get(req.code.slice(0, 8));
  if (kecamatan === undefined) throw new MissingFlagError('--kecamatan', `kecamatan ${req.code.slice(0, 8)} is not in the official list`);

  const subjects = inventory.units.map((u) => ({ code: u.code, name: u.name, kecamatan: u.kecamatan, kabupatenKota: u.kabupatenKota, slug: u.slugPinned ? u.slug : undefined }));
  const candidate = { code: req.code, name, kecamatan, kabupatenKota: off?.kabupatenKota, slug: req.slug };
  const slugs = assignSlugs([...subjects, candidate]);
  const slug = slugs.get(req.code)!;
  refuseTakenSlug(slug, req.code, inventory.units);
  const warnings = inventory.units
    .filter((u) => !u.slugPinned && slugs.get(u.code) !== u.slug)
    .map((u) => `the slug of ${u.name} (${u.code}) is not pinned and changes from ${u.slug} to ${slugs.get(u.code)}; pin it with \`desa onboard --code ${u.code}\`.`);

  const own: UnitEntry = { code: req.code, name, kind, kecamatan, connectivity: { status: 'unknown' } };
  const edits = serviceAndContactEdits(req, own, raw);
  const entry: Record<string, unknown> = { code: req.code, name, kind, kecamatan, slug };
  if (req.source !== undefined) entry.source = req.source;
  for (const e of edits) setPath(entry, e.path, e.value);
  entry.connectivity = { status: 'unknown' };
  const all = flatten(entry).map(([path, value]) => ({ path, old: undefined, value }));
  return { action: 'add', code: req.code, name, kind, kecamatan, slug, entry, edits: all, warnings };
}

function planComplete(req: OnboardRequest, { raw, inventory }: Inputs, index: number): OnboardPlan {
  const own = raw.units[index]!;
  const unit = inventory.units.find((u) => u.code === req.code)!;
  for (const [flag, given, has] of [
    ['--name', req.name, own.name],
    ['--kind', req.kind, own.kind],
    ['--kecamatan', req.kecamatan, own.kecamatan],
  ] as const) {
    if (given !== undefined && given !== has) {
      throw new AbortError(`${req.code} is already in desa.yaml as ${own.name} (${own.kind}, kecamatan ${own.kecamatan}); ${flag} "${given}" does not match.`, {
        nextStep: `Omit ${flag} to complete the existing entry. If a decree changed it, edit desa.yaml by hand and name the decree in \`source:\`.`,
      });
    }
  }
  const edits: FieldEdit[] = [];
  if (own.slug === undefined) {
    const slug = req.slug ?? unit.slug;
    refuseTakenSlug(slug, req.code, inventory.units);
    edits.push({ path: ['slug'], old: undefined, value: slug });
  } else if (req.slug !== undefined && req.slug !== own.slug) {
    throw new AbortError(`the slug of ${own.name} is pinned as "${own.slug}"; changing it would rename its subdomain, mailboxes, namespace and stack.`, {
      nextStep: 'Omit --slug. A rename is a migration: edit desa.yaml by hand once the old resources are moved.',
    });
  }
  if (req.source !== undefined && req.source !== own.source) edits.push({ path: ['source'], old: own.source, value: req.source });
  edits.push(...serviceAndContactEdits(req, own, raw));
  const slug = (edits.find((e) => e.path[0] === 'slug')?.value as string | undefined) ?? unit.slug;
  return { action: 'complete', code: req.code, name: own.name, kind: own.kind, kecamatan: own.kecamatan, slug, index, edits, warnings: [] };
}

function refuseTakenSlug(slug: string, code: string, units: readonly Unit[]): void {
  const other = units.find((u) => u.slug === slug && u.code !== code);
  if (other) {
    throw new AbortError(`the slug "${slug}" is already used by ${other.name} (${other.code}).`, {
      nextStep: `Choose another with --slug, such as ${slug}-${other.kecamatan.toLowerCase().replace(/[^a-z0-9]+/g, '-')}; slugs name subdomains and stacks and must be unique.`,
    });
  }
}

/** Edits to services and contacts: only where the effective value differs from what is asked. */
function serviceAndContactEdits(req: OnboardRequest, own: UnitEntry, raw: InventoryFile): FieldEdit[] {
  const edits: FieldEdit[] = [];
  const ownServices = own.services ?? {};
  const eff = mergeServices(raw.kabupaten.defaults[own.kind], ownServices);
  const set = (path: string[], old: unknown, value: unknown) => edits.push({ path, old, value });

  // Email: accounts by role (keeping an account's aliases and quota when it is kept), quota, on/off.
  const roleOf = (a: string | { role: string }) => (typeof a === 'string' ? a : a.role);
  const current = eff.email?.accounts ?? [];
  if (req.accounts !== undefined && req.accounts.join(',') !== current.map(roleOf).join(',')) {
    const kept = req.accounts.map((r) => current.find((a) => roleOf(a) === r) ?? r);
    set(['services', 'email', 'accounts'], ownServices.email?.accounts, kept);
  }
  if (req.mailQuota !== undefined && req.mailQuota !== (eff.email?.quota ?? FALLBACK.mailQuota)) {
    set(['services', 'email', 'quota'], ownServices.email?.quota, req.mailQuota);
  }
  const wantsEmail = req.email ?? (req.accounts !== undefined || req.mailQuota !== undefined ? true : undefined);
  if (wantsEmail !== undefined && wantsEmail !== (eff.email?.enabled ?? true)) set(['services', 'email', 'enabled'], ownServices.email?.enabled, wantsEmail);

  if (req.storageQuota !== undefined && req.storageQuota !== (eff.storage?.quota ?? FALLBACK.storageQuota)) {
    set(['services', 'storage', 'quota'], ownServices.storage?.quota, req.storageQuota);
  }
  const wantsStorage = req.storage ?? (req.storageQuota !== undefined ? true : undefined);
  if (wantsStorage !== undefined && wantsStorage !== (eff.storage?.enabled ?? true)) set(['services', 'storage', 'enabled'], ownServices.storage?.enabled, wantsStorage);

  if (req.subdomain !== undefined && req.subdomain !== (eff.subdomain?.enabled ?? true)) {
    set(['services', 'subdomain', 'enabled'], ownServices.subdomain?.enabled, req.subdomain);
  }

  // Site: a url belongs to template external only; switching to external without one records unknown.
  const template = req.template ?? eff.site?.template ?? FALLBACK.template;
  if (req.siteUrl !== undefined && template !== 'external') {
    throw new AbortError(`--site-url is only for --template external (the site of ${own.name} is "${template}").`, {
      nextStep: 'Add --template external, or omit --site-url.',
    });
  }
  if (template !== (eff.site?.template ?? FALLBACK.template)) set(['services', 'site', 'template'], ownServices.site?.template, template);
  const url = template === 'external' ? (req.siteUrl ?? eff.site?.url ?? 'unknown') : undefined;
  if (url !== eff.site?.url) set(['services', 'site', 'url'], ownServices.site?.url, url);
  const wantsSite = req.site ?? (req.template !== undefined || req.siteUrl !== undefined ? true : undefined);
  if (wantsSite !== undefined && wantsSite !== (eff.site?.enabled ?? true)) set(['services', 'site', 'enabled'], ownServices.site?.enabled, wantsSite);

  for (const role of CONTACT_ROLES) {
    const given = req[role];
    if (!given || Object.values(given).every((v) => v === undefined)) continue;
    const has = own.contacts?.[role];
    const name = given.name ?? has?.name;
    if (!name) {
      const asked = Object.keys(given).find((k) => given[k as keyof ContactInput] !== undefined)!;
      throw new MissingFlagError(`--${role}-name`, `--${role}-${asked} is given and desa.yaml has no ${role} contact for ${own.name}`);
    }
    for (const field of ['name', 'phone', 'email'] as const) {
      const v = given[field];
      if (v !== undefined && v !== has?.[field]) set(['contacts', role, field], has?.[field], v);
    }
  }
  return edits;
}

function setPath(obj: Record<string, unknown>, path: string[], value: unknown): void {
  let o = obj;
  for (const k of path.slice(0, -1)) o = (o[k] ??= {}) as Record<string, unknown>;
  if (value === undefined) delete o[path[path.length - 1]!];
  else o[path[path.length - 1]!] = value;
}

function flatten(obj: Record<string, unknown>, prefix: string[] = []): [string[], unknown][] {
  return Object.entries(obj).flatMap(([k, v]) =>
    v && typeof v === 'object' && !Array.isArray(v) ? flatten(v as Record<string, unknown>, [...prefix, k]) : [[[...prefix, k], v] as [string[], unknown]],
  );
}
