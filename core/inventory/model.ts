// The resolved inventory: defaults applied, slugs assigned, every derived name computed, unknowns as
// null. Everything downstream (reports, stacks, commands) reads this, never the raw file.
import type { ConnectivityStatus, Kind, SiteTemplate, Technology } from './schema.ts';

export interface MailAccount {
  role: string;
  address: string;
  aliases: string[];
  quota: string;
}

export interface UnitServices {
  email: { enabled: boolean; quota: string; accounts: MailAccount[] };
  storage: { enabled: boolean; quota: string; bucket: string };
  subdomain: { enabled: boolean; host: string };
  site: { enabled: boolean; template: SiteTemplate; url: string | null };
}

export interface Contact {
  name: string;
  phone?: string;
  email?: string;
}

export interface Connectivity {
  status: ConnectivityStatus;
  connectedOn: string | null;
  technology: Technology | null;
  bandwidthMbps: number | null;
  provider: string | null;
  quality: { uptimePercent: number | null; outages: number | null; period: string | null };
  source: string | null;
  notes: string | null;
}

export interface Unit {
  code: string;
  name: string;
  kind: Kind;
  kecamatan: string;
  kecamatanCode: string;
  kabupatenKota?: string;
  slug: string;
  /** Whether the slug is written in desa.yaml (stable) or derived in this run. */
  slugPinned: boolean;
  /** Kubernetes namespace of the desa's resources. */
  namespace: string;
  /** Pulumi stack of the desa. */
  stack: string;
  programmes: string[];
  services: UnitServices;
  contacts: { kepala?: Contact; operator?: Contact };
  connectivity: Connectivity;
  /** The decree behind a code that is not in the official list. */
  source?: string;
  notes?: string;
}

export interface Target {
  id: string;
  setOn: string | null;
  due: string;
  coverage: number;
  scope: Kind[];
  description: string;
  source: string;
  revises?: string;
}

export interface Programme {
  id: string;
  name: string;
  year: number;
  source?: string;
}

export interface Inventory {
  file: string;
  kabupaten: {
    name: string;
    code?: string;
    domain: string;
    operator: string;
    officialSource: string;
    /** kabupaten.certificates.weeklyShare: new certificates a week desa may take (cli/engine/certificate-budget.ts). */
    certificateShare?: number;
  };
  targets: Target[];
  programmes: Programme[];
  /** Every kecamatan that has a unit, in code order. */
  kecamatan: { code: string; name: string }[];
  units: Unit[];
}

export const PLATFORM_STACK = 'platform';

/** Names derived from a slug; one place so the CLI, the stacks and the tests agree. */
/** A desa mailbox's address: <slug>.<role>@<domain>; its local part is what mail limits to 64 characters. */
export const mailLocalPart = (slug: string, role: string) => `${slug}.${role}`;
export const mailAddress = (slug: string, role: string, domain: string) => `${mailLocalPart(slug, role)}@${domain}`;

export function derivedNames(slug: string, domain: string) {
  return {
    host: `${slug}.${domain}`,
    namespace: `desa-${slug}`,
    stack: slug,
    bucket: `desa-${slug}`,
    mailAddress: (role: string) => mailAddress(slug, role, domain),
  };
}
