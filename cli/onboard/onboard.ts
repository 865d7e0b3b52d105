// The onboard service: from a request to a validated proposal (plan, new text, diff), and the lines
// that describe it. No terminal I/O here; the command prints, the form previews.
import type { Document } from 'yaml';
import { insertUnit, propose, setField, type EditSession, type Proposal } from '../../core/inventory/edit.ts';
import { planOnboard, type OnboardPlan, type OnboardRequest } from './plan.ts';

export interface Prepared {
  plan: OnboardPlan;
  proposal: Proposal;
}

/** Plans the request and renders and validates the file it would give. Throws AbortError/InvalidInputError. */
export function prepareOnboard(session: EditSession, req: OnboardRequest): Prepared {
  const plan = planOnboard(req, session.loaded);
  return { plan, proposal: propose(session, (doc) => applyPlan(doc, plan)) };
}

export function applyPlan(doc: Document, plan: OnboardPlan): void {
  if (plan.action === 'add') insertUnit(doc, plan.entry!, plan.kecamatan);
  else for (const e of plan.edits) setField(doc, ['units', plan.index!, ...e.path], e.value);
}

function show(v: unknown, notSet = '(not set)'): string {
  if (v === undefined) return notSet;
  if (Array.isArray(v)) return `[${v.map((x) => (typeof x === 'string' ? x : JSON.stringify(x))).join(', ')}]`;
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/**
 * One line per field: `services.email.accounts: (not set) → [kepala-desa, operator]`; a new entry's as
 * `field: value`. `words` translates "(not set)" and "(removed)" (the onboard form's language).
 */
export function describeEdits(plan: OnboardPlan, words = { notSet: '(not set)', removed: '(removed)' }): string[] {
  return plan.edits.map((e) => {
    const field = e.path.join('.');
    if (plan.action === 'add') return `${field}: ${show(e.value, words.notSet)}`;
    return `${field}: ${show(e.old, words.notSet)} → ${e.value === undefined ? words.removed : show(e.value, words.notSet)}`;
  });
}

/** "Lambangsari (32.16.06.2002, desa, kecamatan Tambun Selatan)" */
export const describeUnit = (plan: OnboardPlan) => `${plan.name} (${plan.code}, ${plan.kind}, kecamatan ${plan.kecamatan})`;

/** "add Lambangsari (…) to desa.yaml as lambangsari", or in the past tense once done. */
export function headline(plan: OnboardPlan, file: string, done = false): string {
  const who = describeUnit(plan);
  if (plan.action === 'add') return `${done ? 'Added' : 'add'} ${who} to ${file} as ${plan.slug}`;
  return `${done ? 'Updated' : 'update'} ${who} in ${file}`;
}

/** The command that provisions the desa once it is in desa.yaml. */
export const provisionCommand = (slug: string) => `desa up --only ${slug}`;
