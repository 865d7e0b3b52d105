// From the validated file to the resolved inventory: kind defaults, then per-unit overrides, then the
// built-in fallbacks below; slugs assigned; every derived name computed. Pure.
import { derivedNames, type Connectivity, type Inventory, type MailAccount, type Unit, type UnitServices } from './model.ts';
import type { OfficialList } from './official.ts';
import type { ConnectivityEntry, InventoryFile, ServicesEntry, UnitEntry } from './schema.ts';
import { assignSlugs } from './slug.ts';

/** What a service gets when neither the kind defaults nor the unit say. */
export const FALLBACK = {
  mailQuota: '1Gi',
  storageQuota: '10Gi',
  template: 'profil',
} as const;

type Raw<T> = T | 'unknown' | undefined;
const known = <T>(v: Raw<T>): T | null => (v === undefined || v === 'unknown' ? null : v);

export function resolveConnectivity(c: ConnectivityEntry): Connectivity {
  return {
    status: c.status,
    connectedOn: known(c.connectedOn),
    technology: known(c.technology),
    bandwidthMbps: known(c.bandwidthMbps),
    provider: known(c.provider),
    quality: {
      uptimePercent: known(c.quality?.uptimePercent),
      outages: known(c.quality?.outages),
      period: c.quality?.period ?? null,
    },
    source: c.source ?? null,
    notes: c.notes ?? null,
  };
}

/** Unit overrides on top of kind defaults, one service at a time; lists replace, not append. */
export function mergeServices(defaults: ServicesEntry, own: ServicesEntry | undefined): ServicesEntry {
  const o = own ?? {};
  return {
    email: { ...defaults.email, ...o.email },
    storage: { ...defaults.storage, ...o.storage },
    subdomain: { ...defaults.subdomain, ...o.subdomain },
    site: { ...defaults.site, ...o.site },
  };
}

export function resolveServices(s: ServicesEntry, slug: string, domain: string, names = derivedNames(slug, domain)): UnitServices {
  const mailQuota = s.email?.quota ?? FALLBACK.mailQuota;
  const accounts: MailAccount[] = (s.email?.accounts ?? []).map((a) => {
    const spec = typeof a === 'string' ? { role: a } : a;
    return {
      role: spec.role,
      address: names.mailAddress(spec.role),
      aliases: (spec.aliases ?? []).map((alias) => names.mailAddress(alias)),
      quota: spec.quota ?? mailQuota,
    };
  });
  const template = s.site?.template ?? FALLBACK.template;
  return {
    email: { enabled: (s.email?.enabled ?? true) && accounts.length > 0, quota: mailQuota, accounts },
    storage: { enabled: s.storage?.enabled ?? true, quota: s.storage?.quota ?? FALLBACK.storageQuota, bucket: names.bucket },
    subdomain: { enabled: s.subdomain?.enabled ?? true, host: names.host },
    site: { enabled: s.site?.enabled ?? true, template, url: known(s.site?.url) },
  };
}

export function resolveUnit(u: UnitEntry, slug: string, raw: InventoryFile, official: OfficialList): Unit {
  const domain = raw.kabupaten.domain;
  const names = derivedNames(slug, domain);
  const off = official.units.get(u.code);
  const unit: Unit = {
    code: u.code,
    name: u.name,
    kind: u.kind,
    kecamatan: u.kecamatan,
    kecamatanCode: u.code.slice(0, 8),
    slug,
    slugPinned: u.slug !== undefined,
    namespace: names.namespace,
    stack: names.stack,
    programmes: u.programmes ?? [],
    services: resolveServices(mergeServices(raw.kabupaten.defaults[u.kind], u.services), slug, domain, names),
    contacts: { ...u.contacts },
    connectivity: resolveConnectivity(u.connectivity),
  };
  if (off?.kabupatenKota) unit.kabupatenKota = off.kabupatenKota;
  if (u.source !== undefined) unit.source = u.source;
  if (u.notes !== undefined) unit.notes = u.notes;
  return unit;
}

/**
 * `slugs`: the slug of every unit by code, as assignSlugs gave them for this same file and official list
 * before (the inventory cache keeps them); otherwise they are assigned here.
 */
export function resolveInventory(raw: InventoryFile, official: OfficialList, file: string, slugs: ReadonlyMap<string, string> = slugsOf(raw, official)): Inventory {
  const units = raw.units.map((u) => resolveUnit(u, slugs.get(u.code)!, raw, official));
  const kecamatan = new Map<string, string>();
  for (const u of units) kecamatan.set(u.kecamatanCode, u.kecamatan);
  const k = raw.kabupaten;
  return {
    file,
    kabupaten: {
      name: k.name,
      ...(k.code ? { code: k.code } : {}),
      domain: k.domain,
      operator: k.operator,
      officialSource: k.officialCodes.source,
      ...(k.certificates ? { certificateShare: k.certificates.weeklyShare } : {}),
    },
    targets: k.targets.map((t) => ({
      id: t.id,
      setOn: known(t.setOn),
      due: t.due,
      coverage: t.coverage,
      scope: t.scope,
      description: t.description,
      source: t.source,
      ...(t.revises ? { revises: t.revises } : {}),
    })),
    programmes: (raw.programmes ?? []).map((p) => ({ ...p })),
    kecamatan: [...kecamatan].map(([code, name]) => ({ code, name })).sort((a, b) => (a.code < b.code ? -1 : 1)),
    units,
  };
}

export function slugsOf(raw: InventoryFile, official: OfficialList): Map<string, string> {
  return assignSlugs(
    raw.units.map((u) => ({
      code: u.code,
      name: u.name,
      kecamatan: u.kecamatan,
      kabupatenKota: official.units.get(u.code)?.kabupatenKota,
      slug: u.slug,
    })),
  );
}
