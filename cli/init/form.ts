// The init form (ink, on a TTY only): the kabupaten or kota, its domain, operator and target on one
// page, each field checked as it is left, then what would be written, to confirm. Thin: values in,
// `check` and `preview` decide, `onDone` gets the values. No JSX (Node strips types, it does not
// compile JSX), so elements are made with React.createElement.
import { Box, Text } from 'ink';
import React, { useRef, useState } from 'react';
import { FieldList, useKeys, type Field } from '../onboard/field-list.ts';
import type { FormLang } from '../onboard/form-text.ts';
import { INIT_FORM_TEXT, type InitFormText } from './form-text.ts';

const h = React.createElement;

export interface InitFormValues {
  kabupaten: string;
  domain: string;
  operator: string;
  targetDue: string;
  targetCoverage: string;
  kelurahanServices: boolean;
}

export type InitPreview = { ok: true; lines: string[]; file: string; region: string } | { ok: false; message: string };

export interface InitFormProps {
  initial: InitFormValues;
  /** Whether the kelurahanServices switch was given (a flag): then it is not re-defaulted per region. */
  kelurahanGiven?: boolean;
  /** The switch's default for what the kabupaten field says (undefined while it designates nothing). */
  kelurahanDefault: (kabupaten: string) => boolean | undefined;
  /** The message for a field's value when it is wrong, else undefined. */
  check: (key: string, value: unknown) => string | undefined;
  /** Plans the files; the confirm step shows its result. */
  preview: (values: InitFormValues) => InitPreview;
  onDone: (values: InitFormValues | undefined) => void;
  color?: boolean;
  lang?: FormLang;
}

const FIELDS = ['kabupaten', 'domain', 'operator', 'targetDue', 'targetCoverage'] as const;

export function InitForm(props: InitFormProps): React.ReactElement {
  const t = INIT_FORM_TEXT[props.lang ?? 'id'];
  const st = (props.color ?? true) ? (x: object) => x : () => ({});
  const [values, setValues] = useState<InitFormValues>(props.initial);
  const [result, setResult] = useState<InitPreview | undefined>();
  // The switch follows the region until the person (or a flag) sets it.
  const touched = useRef(props.kelurahanGiven ?? false);

  // The cursor starts on the first field the flags left empty.
  const [start] = useState(() => Math.max(0, FIELDS.findIndex((k) => props.initial[k].trim() === '')));
  const fields: Field[] = [...FIELDS.map((key): Field => ({ key, label: t.label[key], type: 'text' })), { key: 'kelurahanServices', label: t.label.kelurahanServices, type: 'toggle' }];
  const onChange = (next: Record<string, unknown>) => {
    const v = next as unknown as InitFormValues;
    if (v.kelurahanServices !== values.kelurahanServices) touched.current = true;
    else if (!touched.current && v.kabupaten !== values.kabupaten) v.kelurahanServices = props.kelurahanDefault(v.kabupaten) ?? v.kelurahanServices;
    setValues({ ...v });
  };

  const body = result
    ? h(Confirm, { result, t, style: st, onYes: () => props.onDone(values), onBack: () => setResult(undefined) })
    : h(FieldList, {
        title: t.page,
        fields,
        values: values as unknown as Record<string, unknown>,
        onChange,
        onSubmit: () => setResult(props.preview(values)),
        onBack: () => props.onDone(undefined),
        check: (k: string, v: unknown) => props.check(k, v),
        t,
        style: st,
        start,
      });
  return h(Box, { flexDirection: 'column' }, h(Text, st({ bold: true }), t.title), body);
}

function Confirm({ result, t, style: st, onYes, onBack }: { result: InitPreview; t: InitFormText; style: (s: object) => object; onYes: () => void; onBack: () => void }): React.ReactElement {
  useKeys((input, key) => {
    if (result.ok && (key.return || input === 'y')) onYes();
    else if (key.escape || input === 'n') onBack();
  });
  if (!result.ok) return h(Box, { flexDirection: 'column' }, h(Text, st({ color: 'red' }), result.message), h(Text, st({ dimColor: true }), t.backToChange));
  return h(
    Box,
    { flexDirection: 'column' },
    h(Text, null, t.confirm.intro(result.file, result.region)),
    ...result.lines.map((l) => h(Text, { key: l }, `  ${l}`)),
    h(Text, st({ bold: true }), t.writeOrBack),
  );
}
