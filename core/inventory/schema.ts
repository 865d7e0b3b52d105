// The schema of desa.yaml as written. Strict objects everywhere: an unknown key is an error (with a
// "did you mean"), never silently ignored. What the file leaves out is resolved in `resolve.ts`.
import { z } from 'zod';

/** The literal the file uses where the real value is not known. Never invent data. */
export const UNKNOWN = 'unknown';
const unknown = z.literal(UNKNOWN);
const orUnknown = <T extends z.ZodType>(t: T) => z.union([t, unknown]);

export const isoDate = z.string().refine(isCalendarDate, {
  message: 'expected a date as YYYY-MM-DD (for example 2023-12-31)',
});

export function isCalendarDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

/** A Kubernetes-style size, as for quotas: 500Mi, 2Gi, 1Ti. */
export const quantity = z
  .string()
  .regex(/^[1-9][0-9]{0,5}(Mi|Gi|Ti)$/, { message: 'expected a size such as 500Mi, 2Gi or 1Ti' });

const kebabId = z
  .string()
  .regex(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/, {
    message: 'expected lower-case letters, digits and single hyphens, starting with a letter (for example kepala-desa)',
  })
  .max(30, { message: 'expected at most 30 characters' });

export const regionCode = z.string().regex(/^\d{2}\.\d{2}\.\d{2}\.\d{4}$/, {
  message: 'expected an official code such as "32.16.06.2002" (quote it in YAML)',
});

export const dnsLabel = z
  .string()
  .max(63, { message: 'expected at most 63 characters (a DNS label)' })
  .regex(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/, {
    message: 'expected a DNS label: lower-case letters, digits and hyphens, not starting or ending with a hyphen',
  });

const domainName = z
  .string()
  .max(200)
  .regex(/^([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}$/, { message: 'expected a domain name in lower case, such as desa.contohkab.go.id' });

// --- services -------------------------------------------------------------------------------------

export const emailAccount = z.union([
  kebabId,
  z.strictObject({
    role: kebabId,
    aliases: z.array(kebabId).optional(),
    quota: quantity.optional(),
  }),
]);

export const emailService = z.strictObject({
  enabled: z.boolean().optional(),
  /** One mailbox per role. A string is a role; an object adds aliases or its own quota. */
  accounts: z.array(emailAccount).optional(),
  /** Default mailbox quota. */
  quota: quantity.optional(),
});

export const storageService = z.strictObject({
  enabled: z.boolean().optional(),
  quota: quantity.optional(),
});

export const subdomainService = z.strictObject({
  enabled: z.boolean().optional(),
});

export const SITE_TEMPLATES = ['profil', 'opensid', 'external'] as const;
export const siteService = z.strictObject({
  enabled: z.boolean().optional(),
  /** profil: static profile page; opensid: OpenSID; external: the desa runs its own app elsewhere. */
  template: z.enum(SITE_TEMPLATES).optional(),
  /** For `external`: where the desa's own app lives, or unknown. */
  url: orUnknown(z.url({ protocol: /^https?$/ })).optional(),
});

export const services = z.strictObject({
  email: emailService.optional(),
  storage: storageService.optional(),
  subdomain: subdomainService.optional(),
  site: siteService.optional(),
});

// --- connectivity ---------------------------------------------------------------------------------

export const CONNECTIVITY_STATUS = ['connected', 'in-progress', 'not-connected', 'unknown'] as const;
export const TECHNOLOGIES = ['fibre', 'radio', '4g', 'vsat', 'adsl', 'cable', 'other'] as const;

export const connectivity = z.strictObject({
  status: z.enum(CONNECTIVITY_STATUS),
  connectedOn: orUnknown(isoDate).optional(),
  technology: orUnknown(z.enum(TECHNOLOGIES)).optional(),
  bandwidthMbps: orUnknown(z.number().positive().max(100_000)).optional(),
  provider: orUnknown(z.string().min(1).max(100)).optional(),
  quality: z
    .strictObject({
      /** Share of time the link was up over the measured period, in percent. */
      uptimePercent: orUnknown(z.number().min(0).max(100)).optional(),
      /** Outages counted over the measured period. */
      outages: orUnknown(z.number().int().min(0)).optional(),
      /** The measured period, as YYYY-MM-DD..YYYY-MM-DD. */
      period: z
        .string()
        .regex(/^\d{4}-\d{2}-\d{2}\.\.\d{4}-\d{2}-\d{2}$/, { message: 'expected YYYY-MM-DD..YYYY-MM-DD' })
        .optional(),
    })
    .optional(),
  /** Where the record comes from: a survey, a report, a provider. */
  source: z.string().max(300).optional(),
  notes: z.string().max(2000).optional(),
});

// --- a desa or kelurahan --------------------------------------------------------------------------

const contact = z.strictObject({
  name: z.string().min(1).max(100),
  phone: z
    .string()
    .regex(/^\+?[0-9 -]{6,20}$/, { message: 'expected a phone number such as +62 812 3456 7890' })
    .optional(),
  email: z.email().optional(),
});

export const KINDS = ['desa', 'kelurahan'] as const;

export const unit = z.strictObject({
  code: regionCode,
  name: z.string().min(1).max(100),
  kind: z.enum(KINDS),
  kecamatan: z.string().min(1).max(100),
  /** Pinned once provisioned: the subdomain, namespace and stack name derive from it. */
  slug: dnsLabel.optional(),
  /** Required when the code is not in the official list: the decree that created it. */
  source: z.string().min(1).max(300).optional(),
  programmes: z.array(kebabId).optional(),
  services: services.optional(),
  contacts: z
    .strictObject({
      kepala: contact.optional(),
      operator: contact.optional(),
    })
    .optional(),
  connectivity,
  notes: z.string().max(2000).optional(),
});

// --- the kabupaten --------------------------------------------------------------------------------

export const target = z.strictObject({
  id: kebabId,
  /** When the target was set, or unknown. */
  setOn: orUnknown(isoDate),
  /** The date by which it should be met. */
  due: isoDate,
  /** Share of units (percent) that should be connected by `due`. */
  coverage: z.number().gt(0).max(100),
  /** Which kinds of unit count. */
  scope: z.array(z.enum(KINDS)).min(1),
  description: z.string().min(1).max(500),
  source: z.string().min(1).max(300),
  /** The id of the earlier target this one revises. */
  revises: kebabId.optional(),
});

export const programme = z.strictObject({
  id: kebabId,
  name: z.string().min(1).max(100),
  year: z.number().int().min(2000).max(2100),
  source: z.string().max(300).optional(),
});

export const kabupaten = z.strictObject({
  name: z.string().min(1).max(100),
  /** The code every unit's code starts with, such as 32.16; absent for an inventory spanning regions. */
  code: z
    .string()
    .regex(/^\d{2}(\.\d{2})?$/, { message: 'expected a region code such as "32.16"' })
    .optional(),
  /** Parent domain of every desa subdomain, and the mail domain of every desa mailbox. */
  domain: domainName,
  operator: z.string().min(1).max(200),
  officialCodes: z.strictObject({
    /** CSV with columns kode,nama,jenis,kecamatan; relative to this file. */
    file: z.string().min(1),
    source: z.string().min(1).max(300),
  }),
  targets: z.array(target).min(1),
  /**
   * Let's Encrypt allows 50 new certificates a week per registered domain (bekasikab.go.id, under the
   * public suffix go.id, for every service of the Kabupaten): `desa plan` refuses a run that would take
   * more than weeklyShare of them (default 10).
   */
  certificates: z.strictObject({ weeklyShare: z.number().int().min(1).max(50) }).optional(),
  defaults: z.strictObject({
    desa: services,
    kelurahan: services,
  }),
});

export const inventoryFile = z.strictObject({
  version: z.literal(1),
  kabupaten,
  programmes: z.array(programme).optional(),
  units: z.array(unit),
});

export type InventoryFile = z.infer<typeof inventoryFile>;
export type UnitEntry = z.infer<typeof unit>;
export type ServicesEntry = z.infer<typeof services>;
export type ConnectivityEntry = z.infer<typeof connectivity>;
export type TargetEntry = z.infer<typeof target>;
export type Kind = (typeof KINDS)[number];
export type SiteTemplate = (typeof SITE_TEMPLATES)[number];
export type ConnectivityStatus = (typeof CONNECTIVITY_STATUS)[number];
export type Technology = (typeof TECHNOLOGIES)[number];
