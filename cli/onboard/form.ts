// The onboard form (ink, on a TTY only): kecamatan → desa → services → contacts → confirm with the diff,
// in Bahasa Indonesia unless --lang en (form-text.ts). Thin: it collects field values, checks each as it
// is left (fields.ts), and hands them to `preview`, which plans and validates. No JSX (Node strips
// types, it does not compile JSX), so elements are made with React.createElement.
import { Box, Text } from 'ink';
import { kindOfCode } from '../../core/inventory/official.ts';
import React, { createContext, useContext, useState } from 'react';
import { SITE_TEMPLATES, type Kind } from '../../core/inventory/schema.ts';
import type { ChoiceKecamatan, FormValues } from './choices.ts';
import { FieldList, useKeys, type Field } from './field-list.ts';
import { fieldMessage } from './fields.ts';
import { FORM_TEXT, type FormLang, type FormText } from './form-text.ts';
import type { OnboardFlags } from './request.ts';

const h = React.createElement;

/** Whether to style text (false under NO_COLOR): styles are then dropped, the › cursor stays. */
const Colour = createContext(true);
type Style = { color?: string | undefined; dimColor?: boolean; bold?: boolean };
function useStyle(): (style: Style) => Style {
  const on = useContext(Colour);
  return (style) => (on ? style : {});
}

/** What the change would be: `who` is "Lambangjaya (32.16.06.2003, desa, kecamatan Tambun Selatan)"; `changes` are field → value lines. */
export type PreviewResult =
  | { ok: true; action: 'add' | 'update'; who: string; file: string; slug: string; changes: string[]; diff: string }
  | { ok: false; message: string };

export interface OnboardFormProps {
  kecamatan: ChoiceKecamatan[];
  /** A desa chosen with --code: the form starts at its services. */
  initial?: { code: string; name?: string; kind?: Kind; kecamatan?: string; source?: string; isNew?: boolean };
  valuesFor: (code: string, kind: Kind) => FormValues;
  /** Plans and validates; the confirm step shows its result. */
  preview: (flags: OnboardFlags) => PreviewResult;
  /** The flags to apply, or undefined when cancelled. */
  onDone: (flags: OnboardFlags | undefined) => void;
  /** Style text; false under NO_COLOR. */
  color?: boolean;
  /** The form's language: id (default) or en. */
  lang?: FormLang;
}

type Step = 'kecamatan' | 'desa' | 'new' | 'services' | 'contacts' | 'confirm';

interface Picked {
  code: string;
  kind: Kind;
  label: string;
  name?: string;
  kecamatan?: string;
  source?: string;
}

export function OnboardForm(props: OnboardFormProps): React.ReactElement {
  const t = FORM_TEXT[props.lang ?? 'id'];
  const st = props.color ?? true ? (x: object) => x : () => ({});
  const init = props.initial;
  const [step, setStep] = useState<Step>(init ? (init.isNew ? 'new' : 'services') : 'kecamatan');
  const [kec, setKec] = useState<ChoiceKecamatan | undefined>(props.kecamatan.find((k) => init && init.code.startsWith(`${k.code}.`)));
  const [picked, setPicked] = useState<Picked | undefined>(init && !init.isNew ? pickedOf(init, props.kecamatan, t) : undefined);
  const [values, setValues] = useState<FormValues | undefined>(picked ? props.valuesFor(picked.code, picked.kind) : undefined);
  const [newUnit, setNewUnit] = useState({ code: init?.code ?? '', name: init?.name ?? '', source: init?.source ?? '' });
  const [result, setResult] = useState<PreviewResult | undefined>();

  const choose = (p: Picked) => {
    setPicked(p);
    setValues(props.valuesFor(p.code, p.kind));
    setStep('services');
  };
  const flags = (): OnboardFlags => ({ code: picked!.code, name: picked!.name, kecamatan: picked!.kecamatan, source: picked!.source, ...values! });
  const field = (key: string, type: Field['type'] = 'text', choices?: readonly string[]): Field => ({ key, label: t.label[key] ?? key, type, ...(choices ? { choices } : {}) });
  const page = (title: string, fields: Field[], vals: Record<string, unknown>, set: (v: Record<string, unknown>) => void, needed: (key: string, v: Record<string, unknown>) => boolean, onSubmit: () => void, onBack: () => void) =>
    h(FieldList, { key: step, title, fields, values: vals, onChange: set, onSubmit, onBack, t, style: st, check: (k: string, v: unknown, all: Record<string, unknown>) => fieldMessage(k, v, t, needed(k, all)) });
  const never = () => false;

  const title = picked ? t.onboard(picked.label) : t.onboardAny;
  let body: React.ReactElement;
  if (step === 'kecamatan') {
    body = h(SelectList, {
      key: step,
      title: t.kecamatan,
      help: t.selectHelp,
      items: props.kecamatan.map((k) => ({ label: k.name, hint: `${k.code} · ${t.onboardedOf(k.units.filter((u) => u.state === 'onboarded').length, k.units.length)}` })),
      onSelect: (i: number) => {
        setKec(props.kecamatan[i]);
        setStep('desa');
      },
      onBack: () => props.onDone(undefined),
    });
  } else if (step === 'desa') {
    const units = kec!.units;
    body = h(SelectList, {
      key: step,
      title: t.unitsOf(kec!.name),
      help: t.selectHelp,
      items: [...units.map((u) => ({ label: `${u.name} (${t.kind[u.kind]})`, hint: `${u.code} ${t.state[u.state]}` })), { label: t.newCode, hint: '' }],
      onSelect: (i: number) => {
        const u = units[i];
        if (u) choose({ code: u.code, kind: u.kind, label: `${u.name} (${u.code})` });
        else {
          setNewUnit({ code: `${kec!.code}.`, name: '', source: '' });
          setStep('new');
        }
      },
      onBack: () => setStep('kecamatan'),
    });
  } else if (step === 'new') {
    body = page(
      t.newUnitTitle,
      [field('code'), field('name'), field('source')],
      newUnit,
      (v) => setNewUnit(v as typeof newUnit),
      // A code missing from the official list needs its name and the decree that created it.
      () => true,
      () => {
        const kind: Kind = kindOfCode(newUnit.code.trim()) ?? 'desa';
        const kecName = kec?.name ?? init?.kecamatan;
        choose({ code: newUnit.code.trim(), kind, label: `${newUnit.name} (${newUnit.code})`, name: newUnit.name, source: newUnit.source, ...(kecName ? { kecamatan: kecName } : {}) });
      },
      () => (kec ? setStep('desa') : props.onDone(undefined)),
    );
  } else if (step === 'services') {
    body = page(
      t.services,
      [
        field('email', 'toggle'),
        field('accounts'),
        field('mailQuota'),
        field('storage', 'toggle'),
        field('storageQuota'),
        field('subdomain', 'toggle'),
        field('template', 'choice', SITE_TEMPLATES),
        ...(values!.template === 'external' ? [field('siteUrl')] : []),
      ],
      values! as unknown as Record<string, unknown>,
      (v) => setValues(v as unknown as FormValues),
      // Mailboxes are needed while email is on; the rest may stay empty (the file's value is kept).
      (k, v) => k === 'accounts' && v.email === true,
      () => setStep('contacts'),
      () => (kec && !init ? setStep('desa') : props.onDone(undefined)),
    );
  } else if (step === 'contacts') {
    body = page(
      t.contacts,
      ['kepalaName', 'kepalaPhone', 'kepalaEmail', 'operatorName', 'operatorPhone', 'operatorEmail'].map((k) => field(k)),
      values! as unknown as Record<string, unknown>,
      (v) => setValues(v as unknown as FormValues),
      never,
      () => {
        setResult(props.preview(flags()));
        setStep('confirm');
      },
      () => setStep('services'),
    );
  } else {
    body = h(Confirm, { key: step, result: result!, t, onYes: () => props.onDone(flags()), onBack: () => setStep('contacts') });
  }
  return h(Colour.Provider, { value: props.color ?? true }, h(Box, { flexDirection: 'column' }, h(Title, { text: title }), body));
}

function Title({ text }: { text: string }): React.ReactElement {
  return h(Text, useStyle()({ bold: true }), text);
}

function pickedOf(init: NonNullable<OnboardFormProps['initial']>, kecamatan: ChoiceKecamatan[], t: FormText): Picked {
  const u = kecamatan.flatMap((k) => k.units).find((x) => x.code === init.code);
  const kind = init.kind ?? u?.kind ?? kindOfCode(init.code) ?? 'desa';
  const p: Picked = { code: init.code, kind, label: `${init.name ?? u?.name ?? t.newUnit} (${init.code})` };
  for (const k of ['name', 'kecamatan', 'source'] as const) if (init[k] !== undefined) p[k] = init[k];
  return p;
}

interface SelectListProps {
  title: string;
  help: string;
  items: { label: string; hint: string }[];
  onSelect: (index: number) => void;
  onBack: () => void;
}

const WINDOW = 12;

function SelectList({ title, help, items, onSelect, onBack }: SelectListProps): React.ReactElement {
  const st = useStyle();
  const [at, setAt] = useState(0);
  useKeys((_input, key) => {
    if (key.upArrow) setAt((i) => Math.max(0, i - 1));
    else if (key.downArrow) setAt((i) => Math.min(items.length - 1, i + 1));
    else if (key.return) onSelect(at);
    else if (key.escape) onBack();
  });
  const from = Math.min(Math.max(0, at - Math.floor(WINDOW / 2)), Math.max(0, items.length - WINDOW));
  const shown = items.slice(from, from + WINDOW);
  return h(
    Box,
    { flexDirection: 'column' },
    h(Text, st({ dimColor: true }), `${title} ${help}`),
    ...shown.map((it, j) =>
      h(Text, { key: it.label, ...st({ color: from + j === at ? 'cyan' : undefined }) }, `${from + j === at ? '›' : ' '} ${it.label}  `, h(Text, st({ dimColor: true }), it.hint)),
    ),
    items.length > WINDOW ? h(Text, st({ dimColor: true }), `  ${at + 1}/${items.length}`) : null,
  );
}

const DIFF_LINES = 40;

function Confirm({ result, t, onYes, onBack }: { result: PreviewResult; t: FormText; onYes: () => void; onBack: () => void }): React.ReactElement {
  const st = useStyle();
  useKeys((input, key) => {
    if (result.ok && (key.return || input === 'y')) onYes();
    else if (key.escape || input === 'n') onBack();
  });
  if (!result.ok) {
    return h(Box, { flexDirection: 'column' }, h(Text, st({ color: 'red' }), result.message), h(Text, st({ dimColor: true }), t.backToChange));
  }
  if (!result.changes.length) {
    return h(Box, { flexDirection: 'column' }, h(Text, null, t.nothingToChange), h(Text, st({ dimColor: true }), t.back));
  }
  const diff = result.diff.trimEnd().split('\n');
  return h(
    Box,
    { flexDirection: 'column' },
    h(Text, null, result.action === 'add' ? t.confirm.add(result.who, result.file, result.slug) : t.confirm.update(result.who, result.file)),
    ...result.changes.map((c) => h(Text, { key: c }, `  ${c}`)),
    h(Text, null, ' '),
    ...diff.slice(0, DIFF_LINES).map((l, i) => h(Text, { key: i, ...st({ color: l.startsWith('+') ? 'green' : l.startsWith('-') ? 'red' : undefined }) }, l)),
    diff.length > DIFF_LINES ? h(Text, st({ dimColor: true }), t.moreLines(diff.length - DIFF_LINES)) : null,
    h(Text, st({ bold: true }), t.writeOrBack),
  );
}
