// One page of fields of a form (onboard, init: text, switch, choice). Keys can arrive several per tick (a
// held Backspace, fast typing, a paste: ink splits one read into one event per key), so the handler
// reads and writes the latest values and position through refs, never the ones of the last render.
// Each field is checked as it is left; Enter checks the whole page and goes on only when it is clean.
import { Box, Text, useInput, useStdin } from 'ink';
import React, { useRef, useState } from 'react';
import type { FormText } from './form-text.ts';

const h = React.createElement;

type Style = { color?: string | undefined; dimColor?: boolean; bold?: boolean };

export interface Field {
  key: string;
  label: string;
  type: 'text' | 'toggle' | 'choice';
  choices?: readonly string[];
}

/** The words a page of fields needs (the onboard and init forms each have theirs). */
export type FieldListText = Pick<FormText, 'fieldHelp' | 'on' | 'off' | 'fixFirst'>;

export interface FieldListProps {
  title: string;
  fields: Field[];
  values: Record<string, unknown>;
  onChange: (values: Record<string, unknown>) => void;
  onSubmit: () => void;
  onBack: () => void;
  /** The message for a field's value when it is wrong (fields.ts), else undefined. */
  check: (key: string, value: unknown, values: Record<string, unknown>) => string | undefined;
  t: FieldListText;
  style: (s: Style) => Style;
  /** The field the cursor starts on (default the first). */
  start?: number;
}

/** Keys are handled only where raw mode works (a TTY, or the test library's stdin). */
export function useKeys(handler: Parameters<typeof useInput>[0]): void {
  const { isRawModeSupported } = useStdin();
  useInput(handler, { isActive: isRawModeSupported });
}

export function FieldList({ title, fields, values, onChange, onSubmit, onBack, check, t, style: st, start = 0 }: FieldListProps): React.ReactElement {
  const [at, setAt] = useState(start);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [blocked, setBlocked] = useState(0);
  const live = useRef({ values, at });
  live.current.values = values;
  live.current.at = at;

  const problems = (v: Record<string, unknown>, keys: string[]) => Object.fromEntries(keys.flatMap((k) => {
    const m = check(k, v[k], v);
    return m ? [[k, m]] : [];
  }));
  /** Checks the field being left, and moves to `to`. */
  const move = (to: number) => {
    const from = fields[live.current.at];
    const next = Math.max(0, Math.min(fields.length - 1, to));
    if (from && next !== live.current.at) {
      const found = problems(live.current.values, [from.key]);
      setErrors((e) => {
        const { [from.key]: _, ...rest } = e;
        return { ...rest, ...found };
      });
    }
    live.current.at = next;
    setAt(next);
  };
  const set = (key: string, v: unknown) => {
    const next = { ...live.current.values, [key]: v };
    live.current.values = next;
    onChange(next);
  };

  useKeys((input, key) => {
    const field = fields[Math.min(live.current.at, fields.length - 1)]!;
    const value = live.current.values[field.key];
    if (key.upArrow || (key.tab && key.shift)) move(live.current.at - 1);
    else if (key.downArrow || key.tab) move(live.current.at + 1);
    else if (key.return) {
      const found = problems(live.current.values, fields.map((f) => f.key));
      setErrors(found);
      setBlocked(Object.keys(found).length);
      if (!Object.keys(found).length) onSubmit();
    } else if (key.escape) onBack();
    else if (field.type === 'toggle' && (input === ' ' || key.leftArrow || key.rightArrow)) set(field.key, !value);
    else if (field.type === 'choice' && (input === ' ' || key.leftArrow || key.rightArrow)) {
      const c = field.choices!;
      set(field.key, c[(c.indexOf(String(value)) + (key.leftArrow ? c.length - 1 : 1)) % c.length]);
    } else if (field.type === 'text') {
      const text = String(value ?? '');
      if (key.backspace || key.delete) set(field.key, text.slice(0, -1));
      else if (input && !key.ctrl && !key.meta) set(field.key, text + input.replace(/[\u0000-\u001f\u007f]/g, ''));
    }
  });

  const open = fields.filter((f) => errors[f.key]).length;
  return h(
    Box,
    { flexDirection: 'column' },
    h(Text, st({ dimColor: true }), `${title} ${t.fieldHelp}`),
    ...fields.flatMap((f, i) => {
      const v = values[f.key];
      const shown = f.type === 'toggle' ? (v ? t.on : t.off) : f.type === 'choice' ? `‹ ${String(v)} ›` : `${String(v ?? '')}${i === at ? '▏' : ''}`;
      const line = h(Text, { key: f.key, ...st({ color: i === at ? 'cyan' : undefined }) }, `${i === at ? '›' : ' '} ${f.label}: ${shown}`);
      const error = h(Box, { key: `${f.key}-error`, paddingLeft: 4 }, h(Text, st({ color: 'red' }), `✘ ${errors[f.key]}`));
      return errors[f.key] ? [line, error] : [line];
    }),
    blocked > 0 && open > 0 ? h(Text, st({ color: 'red', bold: true }), t.fixFirst(open)) : null,
  );
}
