// Checking one field of the init form as it is left, with the rules the flags are checked with
// (request.ts) and the same lookup (lookup.ts), worded for the person filling it in. Pure.
import { describeRegion, lookupRegion } from './lookup.ts';
import type { NationalList } from './national.ts';
import type { InitFormText } from './form-text.ts';
import { ruleProblem } from './request.ts';

/** What is wrong with `value` in the field `key`, or undefined. */
export function initFieldProblem(key: string, value: unknown, t: InitFormText, list: NationalList): string | undefined {
  if (typeof value !== 'string') return undefined;
  const v = value.trim();
  const p = t.problem;
  if (v === '') return key === 'targetCoverage' ? undefined : p.required;
  switch (key) {
    case 'kabupaten': {
      const found = lookupRegion(list, v);
      if ('region' in found) return undefined;
      switch (found.problem) {
        case 'empty':
          return p.required;
        case 'no-code':
          return p.noCode(found.code, found.provinsi ? `${found.provinsi.first.code}–${found.provinsi.last.code}` : undefined);
        case 'too-deep':
          return p.tooDeep(found.level, found.within ? `${found.within.name} (${found.within.code})` : undefined);
        case 'ambiguous':
          return p.ambiguous(found.candidates.map(describeRegion));
        case 'provinsi':
          return p.provinsi(found.some.map((r) => `${r.name} (${r.code})`));
        case 'no-name':
          return p.noName(found.near.map(describeRegion));
      }
      return undefined;
    }
    case 'domain':
      return ruleProblem('domain', v.toLowerCase()) ? p.domain : undefined;
    case 'operator': {
      const problem = ruleProblem('operator', v);
      return problem === undefined ? undefined : v.length > 200 ? p.tooLong(200) : p.unknown;
    }
    case 'targetDue':
      return ruleProblem('targetDue', v) ? p.date : undefined;
    case 'targetCoverage':
      return ruleProblem('targetCoverage', v) ? p.coverage : undefined;
    default:
      return undefined;
  }
}

/** The message the form shows under a field: `Domain "Desa": tulis nama domain …`. */
export function initFieldMessage(key: string, value: unknown, t: InitFormText, list: NationalList): string | undefined {
  const problem = initFieldProblem(key, value, t, list);
  if (problem === undefined) return undefined;
  const shown = String(value ?? '').trim();
  return `${t.label[key as keyof InitFormText['label']] ?? key}${shown ? ` "${shown}"` : ''}: ${problem}`;
}
