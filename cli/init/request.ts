// The `desa init` request from text, as flags or form fields give it: each value checked with the
// schema's own rules at the boundary (an error names the flag), and what is still missing named by flag.
import { z } from 'zod';
import { AbortError, EXIT } from '../../core/errors.ts';
import { isoDate, kabupaten, target, UNKNOWN } from '../../core/inventory/schema.ts';
import { findRegion } from './lookup.ts';
import type { NationalList } from './national.ts';
import type { InitRequest } from './plan.ts';

/** Option values as commander gives them (absent when not given). */
export interface InitFlags {
  kabupaten?: string;
  domain?: string;
  operator?: string;
  targetDue?: string;
  targetCoverage?: string;
  targetSetOn?: string;
  targetSource?: string;
  targetDescription?: string;
  kelurahanServices?: boolean;
}

/** What the command cannot do without, by flag: asked in the form on a TTY, an error otherwise. */
export const REQUIRED = {
  kabupaten: { flag: '--kabupaten', what: 'the kabupaten or kota, by code (32.16) or name' },
  domain: { flag: '--domain', what: 'the parent domain of every subdomain and mailbox, such as desa.<name>kab.go.id' },
  operator: { flag: '--operator', what: 'the office that runs the services, such as "Dinas Komunikasi dan Informatika Kabupaten …"' },
  targetDue: { flag: '--target-due', what: 'the date by which the units should be connected (YYYY-MM-DD): the rollout target the report measures against' },
} as const;

export type RequiredKey = keyof typeof REQUIRED;

const text = (v: string | undefined) => (v === undefined || v.trim() === '' ? undefined : v.trim());

/** The schema's rule for each value, as the flag names it; the message of the first issue, or undefined. */
export const RULES = {
  domain: kabupaten.shape.domain,
  operator: kabupaten.shape.operator,
  targetDue: isoDate,
  targetSetOn: isoDate,
  targetCoverage: z.coerce.number({ message: 'expected a number' }).pipe(target.shape.coverage),
  targetSource: target.shape.source,
  targetDescription: target.shape.description,
} as const;

export function ruleProblem(key: keyof typeof RULES, value: string): string | undefined {
  const r = RULES[key].safeParse(value);
  if (r.success) {
    if (key === 'operator' || key === 'targetSource' || key === 'targetDescription') {
      return value.toLowerCase() === UNKNOWN ? `"${UNKNOWN}" means a value is not known; write the real one` : undefined;
    }
    return undefined;
  }
  return (r.error.issues[0]?.message ?? 'invalid')
    .replace(/^Invalid input: /, '')
    .replace(/^Too big: expected (?:number to be|string to have) <=(\d+)( characters)?$/, 'expected at most $1$2')
    .replace(/^Too small: expected number to be >0$/, 'expected more than 0');
}

const FLAG: Record<keyof typeof RULES, string> = {
  domain: '--domain',
  operator: '--operator',
  targetDue: '--target-due',
  targetSetOn: '--target-set-on',
  targetCoverage: '--target-coverage',
  targetSource: '--target-source',
  targetDescription: '--target-description',
};

function checked(key: keyof typeof RULES, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const problem = ruleProblem(key, value);
  if (problem) throw new AbortError(`${FLAG[key]} "${value}": ${problem}.`, { exitCode: EXIT.usage, nextStep: 'See `desa init --help`.' });
  return value;
}

/** The flags normalised: trimmed, the domain in lower case (DNS names are not case-sensitive). */
export function normalizeFlags(f: InitFlags): InitFlags {
  const out: InitFlags = {};
  for (const key of ['kabupaten', 'domain', 'operator', 'targetDue', 'targetCoverage', 'targetSetOn', 'targetSource', 'targetDescription'] as const) {
    const v = text(f[key]);
    if (v !== undefined) out[key] = key === 'domain' ? v.toLowerCase() : v;
  }
  if (f.kelurahanServices !== undefined) out.kelurahanServices = f.kelurahanServices;
  return out;
}

/** Every required value the flags leave out. */
export function missing(f: InitFlags): RequiredKey[] {
  const n = normalizeFlags(f);
  return (Object.keys(REQUIRED) as RequiredKey[]).filter((k) => n[k] === undefined);
}

export class MissingFlagsError extends AbortError {
  readonly flags: string[];
  constructor(keys: RequiredKey[]) {
    const flags = keys.map((k) => REQUIRED[k].flag);
    const what = keys.map((k) => `${REQUIRED[k].flag}: ${REQUIRED[k].what}`).join('; ');
    super(`${flags.join(', ')} ${keys.length === 1 ? 'is' : 'are'} needed, and there is no terminal to ask in. ${what}.`, {
      exitCode: EXIT.usage,
      nextStep: `Pass ${flags.join(' and ')}, or run \`desa init\` in a terminal to be asked. See \`desa init --help\`.`,
    });
    this.name = 'MissingFlagsError';
    this.flags = flags;
  }
}

/**
 * Checks the values that were given, whatever is still missing: a misspelt kabupaten gets its
 * did-you-mean (and a bad date its rule) at once, not after the user has typed or been asked for every
 * other value.
 */
export function checkGiven(f: InitFlags, list: NationalList): void {
  const n = normalizeFlags(f);
  if (n.kabupaten !== undefined) findRegion(list, n.kabupaten);
  for (const key of Object.keys(FLAG) as (keyof typeof FLAG)[]) {
    if (!(key === 'targetSetOn' && n.targetSetOn?.toLowerCase() === UNKNOWN)) checked(key, n[key]);
  }
}

/** Builds and checks the request; every required value must be there (see `missing`). */
export function requestFromFlags(f: InitFlags, list: NationalList, out: string): InitRequest {
  const n = normalizeFlags(f);
  checkGiven(n, list);
  const lacking = missing(n);
  if (lacking.length) throw new MissingFlagsError(lacking);
  const region = findRegion(list, n.kabupaten!);
  const due = checked('targetDue', n.targetDue)!;
  const setOn = n.targetSetOn === undefined || n.targetSetOn.toLowerCase() === UNKNOWN ? UNKNOWN : checked('targetSetOn', n.targetSetOn)!;
  if (setOn !== UNKNOWN && setOn > due) throw new AbortError(`--target-set-on ${setOn} is after --target-due ${due}.`, { exitCode: EXIT.usage });
  const req: InitRequest = {
    region,
    out,
    domain: checked('domain', n.domain)!,
    operator: checked('operator', n.operator)!,
    target: { due, setOn, coverage: n.targetCoverage === undefined ? 100 : Number(checked('targetCoverage', n.targetCoverage)) },
  };
  const source = checked('targetSource', n.targetSource);
  const description = checked('targetDescription', n.targetDescription);
  if (source !== undefined) req.target.source = source;
  if (description !== undefined) req.target.description = description;
  if (n.kelurahanServices !== undefined) req.kelurahanServices = n.kelurahanServices;
  return req;
}
