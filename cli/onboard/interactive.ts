// Runs the onboard form on the terminal (stderr, so stdout stays clean) and returns the flags it
// collected, or undefined when cancelled. Only called on a TTY.
import React from 'react';
import { AbortError, InvalidInputError } from '../../core/errors.ts';
import type { EditSession } from '../../core/inventory/edit.ts';
import { currentValues, kecamatanChoices, type FormValues } from './choices.ts';
import type { Kind } from '../../core/inventory/schema.ts';
import { OnboardForm, type OnboardFormProps, type PreviewResult } from './form.ts';
import { FORM_TEXT, type FormLang } from './form-text.ts';
import { describeEdits, describeUnit, prepareOnboard } from './onboard.ts';
import type { OnboardRequest } from './plan.ts';
import { paint } from '../ui/output.ts';
import { requestFromFlags, type OnboardFlags } from './request.ts';

export function previewOnboard(session: EditSession, flags: OnboardFlags, lang: FormLang = 'id'): PreviewResult {
  try {
    const req = requestFromFlags(flags) as OnboardRequest;
    const { plan, proposal } = prepareOnboard(session, req);
    const changes = proposal.changed ? describeEdits(plan, FORM_TEXT[lang]) : [];
    return { ok: true, action: plan.action === 'add' ? 'add' : 'update', who: describeUnit(plan), file: session.file, slug: plan.slug, changes, diff: proposal.diff };
  } catch (e) {
    if (e instanceof InvalidInputError) return { ok: false, message: `${e.message}\n${e.render(10)}` };
    if (e instanceof AbortError) return { ok: false, message: e.nextStep ? `${e.message}\n${e.nextStep}` : e.message };
    throw e;
  }
}

/** The form starts from what the file gives the desa, with the flags already given on top. */
export function startingValues(session: EditSession, given: OnboardFlags, code: string, kind: Kind): FormValues {
  const values = currentValues(session.loaded, code, kind);
  for (const key of Object.keys(values) as (keyof FormValues)[]) {
    const v = given[key];
    if (v !== undefined) (values as unknown as Record<string, unknown>)[key] = v;
  }
  return values;
}

export async function askOnboard(session: EditSession, given: OnboardFlags, initial: OnboardFormProps['initial'], lang: FormLang = 'id'): Promise<OnboardFlags | undefined> {
  const { render } = await import('ink');
  let answer: OnboardFlags | undefined;
  const props: OnboardFormProps = {
    kecamatan: kecamatanChoices(session.loaded),
    valuesFor: (code, kind) => startingValues(session, given, code, kind),
    preview: (flags) => previewOnboard(session, flags, lang),
    lang,
    onDone: (flags) => {
      answer = flags;
      app.unmount();
    },
    ...(initial ? { initial } : {}),
    // paint() applies NO_COLOR, FORCE_COLOR and the TTY check; ink's own colour detection does not read NO_COLOR.
    color: paint('red', 'x') !== 'x',
  };
  const app = render(React.createElement(OnboardForm, props), { stdout: process.stderr, exitOnCtrlC: true, patchConsole: false });
  await app.waitUntilExit();
  return answer;
}
