// Checking one field of the onboard form as it is left, with the schema's own rules (as request.ts
// checks the flags), worded for the person filling it in: "Kuota kotak surat "5 GB": tulis ukuran
// seperti 500Mi, 2Gi atau 1Ti; maksudnya 5Gi?". Pure: a value in, a message or undefined out.
import { z } from 'zod';
import { emailService, quantity, regionCode, siteService, unit } from '../../core/inventory/schema.ts';
import type { FormText } from './form-text.ts';

const contact = unit.shape.contacts.unwrap().shape.kepala.unwrap().shape;
const role = emailService.shape.accounts.unwrap().element;
const ok = (schema: z.ZodType, value: string) => schema.safeParse(value).success;

/** A size written the way people write it ("5 GB", "500 mb"), as desa.yaml wants it: 5Gi, 500Mi. */
function meantSize(value: string): string | undefined {
  const m = /^\s*([1-9]\d{0,5})\s*([mgt])(?:i?b)?\s*$/i.exec(value);
  return m ? `${m[1]}${m[2]!.toUpperCase()}i` : undefined;
}

/**
 * What is wrong with `value` in the field `key`, or undefined. `needed`: the field must not be empty
 * (the name and decree of a new code, the mailboxes when email is on).
 */
export function fieldProblem(key: string, value: unknown, t: FormText, needed = false): string | undefined {
  if (typeof value !== 'string') return undefined;
  const v = value.trim();
  const p = t.problem;
  if (v === '') return needed ? p.required : undefined;
  switch (key) {
    case 'code':
      return ok(regionCode, v) ? undefined : p.code;
    case 'accounts': {
      const roles = v.split(',').map((s) => s.trim()).filter(Boolean);
      const bad = roles.find((r) => !ok(role, r));
      if (bad !== undefined) return p.roles(bad);
      const twice = roles.find((r, i) => roles.indexOf(r) !== i);
      if (twice !== undefined) return p.roleTwice(twice);
      return roles.length ? undefined : p.noRoles;
    }
    case 'mailQuota':
    case 'storageQuota': {
      if (ok(quantity, v)) return undefined;
      const meant = meantSize(v);
      return meant && ok(quantity, meant) ? `${p.size}; ${p.sizeMeant(meant)}` : p.size;
    }
    case 'siteUrl':
      return ok(siteService.shape.url.unwrap(), v) ? undefined : p.url;
    case 'kepalaPhone':
    case 'operatorPhone':
      return ok(contact.phone.unwrap(), v) ? undefined : p.phone;
    case 'kepalaEmail':
    case 'operatorEmail':
      return ok(contact.email.unwrap(), v) ? undefined : p.email;
    case 'kepalaName':
    case 'operatorName':
    case 'name':
      return v.length > 100 ? p.tooLong(100) : undefined;
    case 'source':
      return v.length > 300 ? p.tooLong(300) : undefined;
    default:
      return undefined;
  }
}

/** The message the form shows under a field: `Kuota kotak surat "5 GB": tulis ukuran …`. */
export function fieldMessage(key: string, value: unknown, t: FormText, needed = false): string | undefined {
  const problem = fieldProblem(key, value, t, needed);
  if (problem === undefined) return undefined;
  const shown = String(value ?? '').trim();
  return `${t.label[key] ?? key}${shown ? ` "${shown}"` : ''}: ${problem}`;
}
