// Deciding where the request comes from: the flags alone, or the form when a person is at the
// terminal and the flags leave something open. Without a terminal, what is missing is an error that
// names the flag.
import { AbortError, EXIT } from '../../core/errors.ts';
import type { EditSession } from '../../core/inventory/edit.ts';
import type { OnboardFormProps } from './form.ts';
import { FORM_TEXT, type FormLang } from './form-text.ts';
import { prepareOnboard, type Prepared } from './onboard.ts';
import { asksForChanges, MissingFlagError, type OnboardRequest } from './plan.ts';
import { requestFromFlags, type OnboardFlags } from './request.ts';

export type Ask = (session: EditSession, given: OnboardFlags, initial: OnboardFormProps['initial'], lang: FormLang) => Promise<OnboardFlags | undefined>;

/**
 * The prepared change. `ask` is the form, or undefined when there is no terminal to ask in; `lang` is
 * the form's language (and of the line that says it was cancelled).
 */
export async function gatherOnboard(session: EditSession, given: OnboardFlags, ask: Ask | undefined, lang: FormLang = 'id'): Promise<Prepared> {
  const flags = requestFromFlags(given);
  const entry = flags.code === undefined ? undefined : session.loaded.raw.units.find((u) => u.code === flags.code);
  // Nothing to do for an entry that is complete as far as the flags say: the form asks what to change.
  const open = flags.code === undefined || (entry !== undefined && entry.slug !== undefined && !asksForChanges(flags as OnboardRequest));
  if (!open) {
    try {
      return prepareOnboard(session, flags as OnboardRequest);
    } catch (e) {
      if (!(e instanceof MissingFlagError) || !ask) throw e;
    }
  }
  if (!ask) {
    if (flags.code === undefined) throw new MissingFlagError('--code', 'which desa or kelurahan to onboard (there is no terminal to ask in)');
    throw new AbortError(`${entry!.name} (${entry!.code}) is already onboarded in ${session.file}; no flag asks to change it.`, {
      nextStep: 'Pass what should change, such as --template opensid, --accounts kepala-desa,operator or --kepala-name NAME.',
    });
  }
  const isNew = flags.code !== undefined && !entry && !session.loaded.official.units.has(flags.code);
  const answer = await ask(session, given, flags.code === undefined ? undefined : { ...(flags as { code: string }), isNew }, lang);
  // Esc is the person's choice, not an error: the handler prints an interruption as a plain line.
  if (!answer) throw new AbortError(FORM_TEXT[lang].cancelled, { exitCode: EXIT.interrupted });
  return prepareOnboard(session, requestFromFlags({ ...given, ...answer }) as OnboardRequest);
}
