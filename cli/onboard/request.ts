// The onboard request from text, as flags or form fields give it: each value checked with the schema's
// own rules at the boundary, an error naming the flag that was wrong.
import { z } from 'zod';
import { AbortError } from '../../core/errors.ts';
import { dnsLabel, emailService, KINDS, quantity, regionCode, SITE_TEMPLATES, siteService, unit } from '../../core/inventory/schema.ts';
import { didYouMean } from '../../core/inventory/problems.ts';
import { CONTACT_ROLES, type ContactInput, type OnboardRequest } from './plan.ts';

/** Option values as commander gives them (strings and booleans, absent when not given). */
export interface OnboardFlags {
  code?: string;
  name?: string;
  kind?: string;
  kecamatan?: string;
  source?: string;
  slug?: string;
  email?: boolean;
  accounts?: string;
  mailQuota?: string;
  storage?: boolean;
  storageQuota?: string;
  subdomain?: boolean;
  site?: boolean;
  template?: string;
  siteUrl?: string;
  kepalaName?: string;
  kepalaPhone?: string;
  kepalaEmail?: string;
  operatorName?: string;
  operatorPhone?: string;
  operatorEmail?: string;
}

const contactSchema = unit.shape.contacts.unwrap().shape.kepala.unwrap().shape;
const accountRole = z.array(emailService.shape.accounts.unwrap().element);

function check<T>(flag: string, value: string | undefined, schema: z.ZodType<T>): T | undefined {
  if (value === undefined) return undefined;
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const msg = r.error.issues[0]?.message ?? 'invalid';
  throw new AbortError(`${flag} "${value}": ${msg.replace(/^Invalid input: /, '').replace(' (quote it in YAML)', '')}`, { nextStep: `See \`desa onboard --help\`.` });
}

function oneOf<T extends string>(flag: string, value: string | undefined, values: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  const v = value.trim().toLowerCase();
  if ((values as readonly string[]).includes(v)) return v as T;
  const near = didYouMean(v, values);
  throw new AbortError(`${flag} "${value}" is not one of ${values.join(', ')}${near ? `; did you mean "${near}"?` : '.'}`);
}

const text = (v: string | undefined) => (v === undefined || v.trim() === '' ? undefined : v.trim());

/** Builds and checks the request. `code` may be absent only when a form will ask for it. */
export function requestFromFlags(f: OnboardFlags): Partial<OnboardRequest> {
  const r: Partial<OnboardRequest> = {};
  const code = check('--code', text(f.code), regionCode);
  if (code !== undefined) r.code = code;
  const assign = <K extends keyof OnboardRequest>(k: K, v: OnboardRequest[K] | undefined) => {
    if (v !== undefined) r[k] = v;
  };
  assign('name', text(f.name));
  assign('kind', oneOf('--kind', text(f.kind), KINDS));
  assign('kecamatan', text(f.kecamatan));
  assign('source', text(f.source));
  assign('slug', check('--slug', text(f.slug), dnsLabel));
  assign('email', f.email);
  if (f.accounts !== undefined) {
    const roles = f.accounts.split(',').map((s) => s.trim()).filter(Boolean);
    const parsed = accountRole.safeParse(roles);
    if (!parsed.success) {
      const bad = roles[Number(parsed.error.issues[0]?.path[0] ?? 0)];
      throw new AbortError(`--accounts: "${bad}" is not a role name; expected lower-case words joined by hyphens, such as kepala-desa,operator.`);
    }
    if (new Set(roles).size !== roles.length) throw new AbortError('--accounts lists a role twice.');
    r.accounts = roles;
  }
  assign('mailQuota', check('--mail-quota', text(f.mailQuota), quantity));
  assign('storage', f.storage);
  assign('storageQuota', check('--storage-quota', text(f.storageQuota), quantity));
  assign('subdomain', f.subdomain);
  assign('site', f.site);
  assign('template', oneOf('--template', text(f.template), SITE_TEMPLATES));
  assign('siteUrl', check('--site-url', text(f.siteUrl), siteService.shape.url.unwrap()) as string | undefined);
  for (const role of CONTACT_ROLES) {
    const c: ContactInput = {};
    const name = text(f[`${role}Name`]);
    const phone = check(`--${role}-phone`, text(f[`${role}Phone`]), contactSchema.phone.unwrap());
    const email = check(`--${role}-email`, text(f[`${role}Email`]), contactSchema.email.unwrap());
    if (name !== undefined) c.name = check(`--${role}-name`, name, contactSchema.name);
    if (phone !== undefined) c.phone = phone;
    if (email !== undefined) c.email = email;
    if (Object.keys(c).length) r[role] = c;
  }
  return r;
}
