// What the onboard form offers: kecamatan and their desa from the official list, marked by whether
// desa.yaml already has them, and the current values of a desa's services and contacts to start from.
import type { Loaded } from '../../core/inventory/load.ts';
import { FALLBACK, mergeServices } from '../../core/inventory/resolve.ts';
import type { Kind, SiteTemplate } from '../../core/inventory/schema.ts';

export type UnitState = 'onboarded' | 'listed' | 'new';

export interface ChoiceUnit {
  code: string;
  name: string;
  kind: Kind;
  /** onboarded: in desa.yaml with a pinned slug; listed: in desa.yaml, slug not pinned; new: not in it. */
  state: UnitState;
}

export interface ChoiceKecamatan {
  code: string;
  name: string;
  units: ChoiceUnit[];
}

/** Every kecamatan of the official list and desa.yaml, in code order, with their units in code order. */
export function kecamatanChoices(loaded: Loaded): ChoiceKecamatan[] {
  const byCode = new Map<string, ChoiceKecamatan>();
  const prefix = loaded.raw.kabupaten.code ? `${loaded.raw.kabupaten.code}.` : '';
  const add = (code: string, name: string, kind: Kind, kecamatan: string, state: UnitState) => {
    const k = code.slice(0, 8);
    let kec = byCode.get(k);
    if (!kec) byCode.set(k, (kec = { code: k, name: kecamatan, units: [] }));
    const existing = kec.units.find((u) => u.code === code);
    if (existing) existing.state = state;
    else kec.units.push({ code, name, kind, state });
  };
  for (const o of loaded.official.units.values()) if (o.code.startsWith(prefix)) add(o.code, o.name, o.kind, o.kecamatan, 'new');
  for (const u of loaded.inventory.units) add(u.code, u.name, u.kind, u.kecamatan, u.slugPinned ? 'onboarded' : 'listed');
  const list = [...byCode.values()].sort((a, b) => (a.code < b.code ? -1 : 1));
  for (const k of list) k.units.sort((a, b) => (a.code < b.code ? -1 : 1));
  return list;
}

/** The form's fields, as text and switches. */
export interface FormValues {
  email: boolean;
  accounts: string;
  mailQuota: string;
  storage: boolean;
  storageQuota: string;
  subdomain: boolean;
  template: SiteTemplate;
  siteUrl: string;
  kepalaName: string;
  kepalaPhone: string;
  kepalaEmail: string;
  operatorName: string;
  operatorPhone: string;
  operatorEmail: string;
}

/** What the file gives a unit now (or a new unit of `kind`): the form starts from these. */
export function currentValues(loaded: Loaded, code: string, kind: Kind): FormValues {
  const own = loaded.raw.units.find((u) => u.code === code);
  const eff = mergeServices(loaded.raw.kabupaten.defaults[own?.kind ?? kind], own?.services);
  const url = eff.site?.url;
  const c = own?.contacts ?? {};
  return {
    email: (eff.email?.enabled ?? true) && (eff.email?.accounts?.length ?? 0) > 0,
    accounts: (eff.email?.accounts ?? []).map((a) => (typeof a === 'string' ? a : a.role)).join(','),
    mailQuota: eff.email?.quota ?? FALLBACK.mailQuota,
    storage: eff.storage?.enabled ?? true,
    storageQuota: eff.storage?.quota ?? FALLBACK.storageQuota,
    subdomain: eff.subdomain?.enabled ?? true,
    template: eff.site?.template ?? FALLBACK.template,
    siteUrl: url === undefined || url === 'unknown' ? '' : url,
    kepalaName: c.kepala?.name ?? '',
    kepalaPhone: c.kepala?.phone ?? '',
    kepalaEmail: c.kepala?.email ?? '',
    operatorName: c.operator?.name ?? '',
    operatorPhone: c.operator?.phone ?? '',
    operatorEmail: c.operator?.email ?? '',
  };
}
