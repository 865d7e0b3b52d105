// The onboard form (ink, on a TTY only): kecamatan → desa → services → contacts → confirm with the diff.
// Thin: it collects field values and hands them to `preview`, which plans and validates. No JSX (Node
// strips types, it does not compile JSX), so elements are made with React.createElement.
import { Box, Text, useInput, useStdin } from 'ink';
import { kindOfCode } from '../../core/inventory/official.ts';
import React, { createContext, useContext, useState } from 'react';
import { SITE_TEMPLATES, type Kind } from '../../core/inventory/schema.ts';
import type { ChoiceKecamatan, ChoiceUnit, FormValues } from './choices.ts';
import type { OnboardFlags } from './request.ts';

const h = React.createElement;

/** Whether to style text (false under NO_COLOR): styles are then dropped, the › cursor stays. */
const Colour = createContext(true);
type Style = { color?: string | undefined; dimColor?: boolean; bold?: boolean };
function useStyle(): (style: Style) => Style {
  const on = useContext(Colour);
  return (style) => (on ? style : {});
}

export type PreviewResult = { ok: true; headline: string; changes: string[]; diff: string } | { ok: false; message: string };

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
}

const STATE_MARK: Record<ChoiceUnit['state'], string> = { onboarded: '✔ onboarded', listed: '· in desa.yaml, slug not pinned', new: '+ not in desa.yaml' };

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
  const init = props.initial;
  const [step, setStep] = useState<Step>(init ? (init.isNew ? 'new' : 'services') : 'kecamatan');
  const [kec, setKec] = useState<ChoiceKecamatan | undefined>(props.kecamatan.find((k) => init && init.code.startsWith(`${k.code}.`)));
  const [picked, setPicked] = useState<Picked | undefined>(init && !init.isNew ? pickedOf(init, props.kecamatan) : undefined);
  const [values, setValues] = useState<FormValues | undefined>(picked ? props.valuesFor(picked.code, picked.kind) : undefined);
  const [newUnit, setNewUnit] = useState({ code: init?.code ?? '', name: init?.name ?? '', source: init?.source ?? '' });
  const [result, setResult] = useState<PreviewResult | undefined>();

  const choose = (p: Picked) => {
    setPicked(p);
    setValues(props.valuesFor(p.code, p.kind));
    setStep('services');
  };
  const flags = (): OnboardFlags => ({ code: picked!.code, name: picked!.name, kecamatan: picked!.kecamatan, source: picked!.source, ...values! });

  const title = picked ? `Onboard ${picked.label}` : 'Onboard a desa';
  let body: React.ReactElement;
  if (step === 'kecamatan') {
    body = h(SelectList, {
      key: step,
      title: 'Kecamatan',
      items: props.kecamatan.map((k) => ({ label: k.name, hint: `${k.code} · ${k.units.filter((u) => u.state === 'onboarded').length}/${k.units.length} onboarded` })),
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
      title: `Desa and kelurahan of ${kec!.name}`,
      items: [...units.map((u) => ({ label: `${u.name} (${u.kind})`, hint: `${u.code} ${STATE_MARK[u.state]}` })), { label: '+ a new code, from a newer decree', hint: '' }],
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
    body = h(FieldList, {
      key: step,
      title: 'A code that is not in the official list',
      fields: [
        { key: 'code', label: 'Code', type: 'text' },
        { key: 'name', label: 'Name', type: 'text' },
        { key: 'source', label: 'Decree (source)', type: 'text' },
      ],
      values: newUnit,
      onChange: (v: Record<string, unknown>) => setNewUnit(v as typeof newUnit),
      onSubmit: () => {
        const kind: Kind = kindOfCode(newUnit.code.trim()) ?? 'desa';
        const kecName = kec?.name ?? init?.kecamatan;
        choose({ code: newUnit.code.trim(), kind, label: `${newUnit.name} (${newUnit.code})`, name: newUnit.name, source: newUnit.source, ...(kecName ? { kecamatan: kecName } : {}) });
      },
      onBack: () => (kec ? setStep('desa') : props.onDone(undefined)),
    });
  } else if (step === 'services') {
    body = h(FieldList, {
      key: step,
      title: 'Services',
      fields: [
        { key: 'email', label: 'Email', type: 'toggle' },
        { key: 'accounts', label: 'Mailboxes (roles, comma-separated)', type: 'text' },
        { key: 'mailQuota', label: 'Mailbox quota', type: 'text' },
        { key: 'storage', label: 'Storage', type: 'toggle' },
        { key: 'storageQuota', label: 'Storage quota', type: 'text' },
        { key: 'subdomain', label: 'Subdomain', type: 'toggle' },
        { key: 'template', label: 'Site template', type: 'choice', choices: SITE_TEMPLATES },
        ...(values!.template === 'external' ? [{ key: 'siteUrl', label: 'Site address (url)', type: 'text' as const }] : []),
      ],
      values: values! as unknown as Record<string, unknown>,
      onChange: (v: Record<string, unknown>) => setValues(v as unknown as FormValues),
      onSubmit: () => setStep('contacts'),
      onBack: () => (kec && !init ? setStep('desa') : props.onDone(undefined)),
    });
  } else if (step === 'contacts') {
    body = h(FieldList, {
      key: step,
      title: 'Contacts',
      fields: [
        { key: 'kepalaName', label: 'Kepala desa: name', type: 'text' },
        { key: 'kepalaPhone', label: 'Kepala desa: phone', type: 'text' },
        { key: 'kepalaEmail', label: 'Kepala desa: email', type: 'text' },
        { key: 'operatorName', label: 'Operator: name', type: 'text' },
        { key: 'operatorPhone', label: 'Operator: phone', type: 'text' },
        { key: 'operatorEmail', label: 'Operator: email', type: 'text' },
      ],
      values: values! as unknown as Record<string, unknown>,
      onChange: (v: Record<string, unknown>) => setValues(v as unknown as FormValues),
      onSubmit: () => {
        setResult(props.preview(flags()));
        setStep('confirm');
      },
      onBack: () => setStep('services'),
    });
  } else {
    body = h(Confirm, { key: step, result: result!, onYes: () => props.onDone(flags()), onBack: () => setStep('contacts') });
  }
  return h(Colour.Provider, { value: props.color ?? true }, h(Box, { flexDirection: 'column' }, h(Title, { text: title }), body));
}

function Title({ text }: { text: string }): React.ReactElement {
  return h(Text, useStyle()({ bold: true }), text);
}

function pickedOf(init: NonNullable<OnboardFormProps['initial']>, kecamatan: ChoiceKecamatan[]): Picked {
  const u = kecamatan.flatMap((k) => k.units).find((x) => x.code === init.code);
  const kind = init.kind ?? u?.kind ?? kindOfCode(init.code) ?? 'desa';
  const p: Picked = { code: init.code, kind, label: `${init.name ?? u?.name ?? 'new unit'} (${init.code})` };
  for (const k of ['name', 'kecamatan', 'source'] as const) if (init[k] !== undefined) p[k] = init[k];
  return p;
}

/** Keys are handled only where raw mode works (a TTY, or the test library's stdin). */
function useKeys(handler: Parameters<typeof useInput>[0]): void {
  const { isRawModeSupported } = useStdin();
  useInput(handler, { isActive: isRawModeSupported });
}

interface SelectListProps {
  title: string;
  items: { label: string; hint: string }[];
  onSelect: (index: number) => void;
  onBack: () => void;
}

const WINDOW = 12;

function SelectList({ title, items, onSelect, onBack }: SelectListProps): React.ReactElement {
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
    h(Text, st({ dimColor: true }), `${title} (↑↓ move, Enter choose, Esc back)`),
    ...shown.map((it, j) =>
      h(Text, { key: it.label, ...st({ color: from + j === at ? 'cyan' : undefined }) }, `${from + j === at ? '›' : ' '} ${it.label}  `, h(Text, st({ dimColor: true }), it.hint)),
    ),
    items.length > WINDOW ? h(Text, st({ dimColor: true }), `  ${at + 1}/${items.length}`) : null,
  );
}

interface Field {
  key: string;
  label: string;
  type: 'text' | 'toggle' | 'choice';
  choices?: readonly string[];
}

interface FieldListProps {
  title: string;
  fields: Field[];
  values: Record<string, unknown>;
  onChange: (values: Record<string, unknown>) => void;
  onSubmit: () => void;
  onBack: () => void;
}

function FieldList({ title, fields, values, onChange, onSubmit, onBack }: FieldListProps): React.ReactElement {
  const st = useStyle();
  const [at, setAt] = useState(0);
  const field = fields[Math.min(at, fields.length - 1)]!;
  useKeys((input, key) => {
    const set = (v: unknown) => onChange({ ...values, [field.key]: v });
    if (key.upArrow || (key.tab && key.shift)) setAt((i) => Math.max(0, i - 1));
    else if (key.downArrow || key.tab) setAt((i) => Math.min(fields.length - 1, i + 1));
    else if (key.return) onSubmit();
    else if (key.escape) onBack();
    else if (field.type === 'toggle' && (input === ' ' || key.leftArrow || key.rightArrow)) set(!values[field.key]);
    else if (field.type === 'choice' && (input === ' ' || key.leftArrow || key.rightArrow)) {
      const c = field.choices!;
      set(c[(c.indexOf(String(values[field.key])) + (key.leftArrow ? c.length - 1 : 1)) % c.length]);
    } else if (field.type === 'text') {
      const text = String(values[field.key] ?? '');
      if (key.backspace || key.delete) set(text.slice(0, -1));
      else if (input && !key.ctrl && !key.meta) set(text + input.replace(/[\u0000-\u001f\u007f]/g, ''));
    }
  });
  return h(
    Box,
    { flexDirection: 'column' },
    h(Text, st({ dimColor: true }), `${title} (↑↓ move, type to edit, Space toggles, Enter continue, Esc back)`),
    ...fields.map((f, i) => {
      const v = values[f.key];
      const shown = f.type === 'toggle' ? (v ? '[x] on' : '[ ] off') : f.type === 'choice' ? `‹ ${String(v)} ›` : `${String(v ?? '')}${i === at ? '▏' : ''}`;
      return h(Text, { key: f.key, ...st({ color: i === at ? 'cyan' : undefined }) }, `${i === at ? '›' : ' '} ${f.label}: ${shown}`);
    }),
  );
}

const DIFF_LINES = 40;

function Confirm({ result, onYes, onBack }: { result: PreviewResult; onYes: () => void; onBack: () => void }): React.ReactElement {
  const st = useStyle();
  useKeys((input, key) => {
    if (result.ok && (key.return || input === 'y')) onYes();
    else if (key.escape || input === 'n') onBack();
  });
  if (!result.ok) {
    return h(Box, { flexDirection: 'column' }, h(Text, st({ color: 'red' }), result.message), h(Text, st({ dimColor: true }), 'Esc: back to change it'));
  }
  if (!result.changes.length) {
    return h(Box, { flexDirection: 'column' }, h(Text, null, 'Nothing to change: desa.yaml already says all of this.'), h(Text, st({ dimColor: true }), 'Esc: back'));
  }
  const diff = result.diff.trimEnd().split('\n');
  return h(
    Box,
    { flexDirection: 'column' },
    h(Text, null, `This will ${result.headline}:`),
    ...result.changes.map((c) => h(Text, { key: c }, `  ${c}`)),
    h(Text, null, ' '),
    ...diff.slice(0, DIFF_LINES).map((l, i) => h(Text, { key: i, ...st({ color: l.startsWith('+') ? 'green' : l.startsWith('-') ? 'red' : undefined }) }, l)),
    diff.length > DIFF_LINES ? h(Text, st({ dimColor: true }), `… ${diff.length - DIFF_LINES} more lines`) : null,
    h(Text, st({ bold: true }), 'Enter or y: write it · Esc or n: back'),
  );
}
