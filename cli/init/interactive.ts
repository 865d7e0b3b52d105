// Runs the init form on the terminal (stderr, so stdout stays clean) and returns the flags it
// collected, or undefined when cancelled. Only called on a TTY.
import React from 'react';
import { AbortError } from '../../core/errors.ts';
import type { FormLang } from '../onboard/form-text.ts';
import { paint } from '../ui/output.ts';
import { initFieldMessage } from './fields.ts';
import { InitForm, type InitFormProps, type InitFormValues, type InitPreview } from './form.ts';
import { INIT_FORM_TEXT } from './form-text.ts';
import { lookupRegion } from './lookup.ts';
import { shapeOf, type NationalList } from './national.ts';
import { planInit } from './plan.ts';
import { normalizeFlags, requestFromFlags, type InitFlags } from './request.ts';
import { checkExtract } from './write.ts';

const flagsOf = (v: InitFormValues): InitFlags => ({
  kabupaten: v.kabupaten,
  domain: v.domain,
  operator: v.operator,
  targetDue: v.targetDue,
  targetCoverage: v.targetCoverage,
  kelurahanServices: v.kelurahanServices,
});

/** What would be written, as the confirm step shows it; a problem as a message. */
export function previewInit(list: NationalList, given: InitFlags, values: InitFormValues, out: string, lang: FormLang): InitPreview {
  const t = INIT_FORM_TEXT[lang].confirm;
  try {
    const plan = planInit(requestFromFlags({ ...given, ...flagsOf(values) }, list, out));
    const fresh = checkExtract(plan);
    const s = plan.shape;
    return {
      ok: true,
      file: out,
      region: `${plan.region.name} (${plan.region.code}, ${plan.region.provinsi})`,
      lines: [t.units(s.units, s.desa, s.kelurahan, s.kecamatan), t.list(plan.extract.relative, fresh), t.domain(values.domain.trim().toLowerCase()), t.operator(values.operator.trim()), t.target(plan.target.description), ...(s.kelurahan ? [t.kelurahan(plan.kelurahanServices)] : [])],
    };
  } catch (e) {
    if (e instanceof AbortError) return { ok: false, message: e.nextStep ? `${e.message}\n${e.nextStep}` : e.message };
    throw e;
  }
}

export async function askInit(list: NationalList, given: InitFlags, out: string, lang: FormLang = 'id'): Promise<InitFlags | undefined> {
  const { render } = await import('ink');
  const n = normalizeFlags(given);
  const t = INIT_FORM_TEXT[lang];
  const kelurahanDefault = (kabupaten: string) => {
    const found = lookupRegion(list, kabupaten);
    return 'region' in found ? shapeOf(found.region).desa === 0 : undefined;
  };
  let answer: InitFlags | undefined;
  const props: InitFormProps = {
    initial: {
      kabupaten: n.kabupaten ?? '',
      domain: n.domain ?? '',
      operator: n.operator ?? '',
      targetDue: n.targetDue ?? '',
      targetCoverage: n.targetCoverage ?? '100',
      kelurahanServices: n.kelurahanServices ?? kelurahanDefault(n.kabupaten ?? '') ?? false,
    },
    kelurahanGiven: n.kelurahanServices !== undefined,
    kelurahanDefault,
    check: (key, value) => initFieldMessage(key, value, t, list),
    preview: (values) => previewInit(list, given, values, out, lang),
    onDone: (values) => {
      answer = values ? flagsOf(values) : undefined;
      app.unmount();
    },
    lang,
    // paint() applies NO_COLOR, FORCE_COLOR and the TTY check; ink's own colour detection does not read NO_COLOR.
    color: paint('red', 'x') !== 'x',
  };
  const app = render(React.createElement(InitForm, props), { stdout: process.stderr, exitOnCtrlC: true, patchConsole: false });
  await app.waitUntilExit();
  return answer;
}
