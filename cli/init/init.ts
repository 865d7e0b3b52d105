// `desa init`: the flags, or the form when a person is at the terminal and the flags leave something
// open, then the plan and the two files. Without a terminal, what is missing is an error naming the flags.
import { AbortError, EXIT } from '../../core/errors.ts';
import type { FormLang } from '../onboard/form-text.ts';
import { INIT_FORM_TEXT } from './form-text.ts';
import { loadNationalList, type NationalList } from './national.ts';
import { planInit, type InitPlan } from './plan.ts';
import { checkGiven, missing, MissingFlagsError, requestFromFlags, type InitFlags } from './request.ts';
import { refuseExisting, writeInit } from './write.ts';

/** The form: the flags it collected on top of the given ones, or undefined when cancelled. */
export type AskInit = (list: NationalList, given: InitFlags, out: string, lang: FormLang) => Promise<InitFlags | undefined>;

export interface InitResult {
  plan: InitPlan;
  extractWritten: boolean;
}

export async function runInit(given: InitFlags, out: string, ask: AskInit | undefined, lang: FormLang = 'id'): Promise<InitResult> {
  // Before anything is asked: a form filled in for nothing is worse than an error.
  refuseExisting(out);
  const list = loadNationalList();
  let flags = given;
  checkGiven(given, list);
  const lacking = missing(given);
  if (lacking.length) {
    if (!ask) throw new MissingFlagsError(lacking);
    const answer = await ask(list, given, out, lang);
    // Esc is the person's choice, not an error: the handler prints an interruption as a plain line.
    if (!answer) throw new AbortError(INIT_FORM_TEXT[lang].cancelled, { exitCode: EXIT.interrupted });
    flags = { ...given, ...answer };
  }
  const plan = planInit(requestFromFlags(flags, list, out));
  return { plan, ...writeInit(plan) };
}
