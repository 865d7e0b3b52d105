// Reading one survey cell: empty (keep what desa.yaml says), unknown (say it is not known), or a value
// in the form desa.yaml wants. Indonesian words and spreadsheet habits (day-first dates, decimal
// commas, "%", "Mbps") are accepted.
import { CONNECTIVITY_STATUS, isCalendarDate, TECHNOLOGIES, type ConnectivityStatus, type Technology } from '../../core/inventory/schema.ts';
import { didYouMean } from '../../core/inventory/problems.ts';
import type { Field } from './columns.ts';

export type Cell = { kind: 'empty' } | { kind: 'unknown' } | { kind: 'value'; value: string | number };

/** A cell that could not be read: what is wrong and what is expected. */
export class CellError extends Error {
  readonly hint: string | undefined;
  constructor(message: string, hint?: string) {
    super(message);
    this.hint = hint;
  }
}

const UNKNOWN_WORDS = new Set(['unknown', 'tidak diketahui', 'tidak tahu']);
const norm = (s: string) => s.trim().toLowerCase().replace(/[\s_-]+/g, ' ');

const STATUS_WORDS: Record<string, ConnectivityStatus> = {
  ...Object.fromEntries(CONNECTIVITY_STATUS.map((s) => [norm(s), s])),
  terhubung: 'connected',
  'sudah terhubung': 'connected',
  belum: 'not-connected',
  'belum terhubung': 'not-connected',
  'tidak terhubung': 'not-connected',
  proses: 'in-progress',
  'dalam proses': 'in-progress',
};

const TECHNOLOGY_WORDS: Record<string, Technology> = {
  ...Object.fromEntries(TECHNOLOGIES.map((t) => [norm(t), t])),
  fiber: 'fibre',
  'fiber optik': 'fibre',
  'fiber optic': 'fibre',
  'serat optik': 'fibre',
  fo: 'fibre',
  wireless: 'radio',
  lte: '4g',
  '4g lte': '4g',
  seluler: '4g',
  satelit: 'vsat',
  dsl: 'adsl',
  kabel: 'cable',
  lainnya: 'other',
  'lain lain': 'other',
};

/** The words each enum field accepts, for messages and "did you mean". */
export const ACCEPTED: Partial<Record<Field, string[]>> = {
  status: Object.keys(STATUS_WORDS),
  technology: Object.keys(TECHNOLOGY_WORDS),
};

export function readDate(text: string): string {
  const t = text.trim();
  let iso = t;
  const dmy = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(t);
  if (dmy) iso = `${dmy[3]}-${dmy[2]!.padStart(2, '0')}-${dmy[1]!.padStart(2, '0')}`;
  if (!isCalendarDate(iso)) throw new CellError(`"${text}" is not a date`, 'Write dates as YYYY-MM-DD (2023-12-31) or DD/MM/YYYY (31/12/2023).');
  return iso;
}

/**
 * A number as Indonesians write it: "." groups thousands (1.000 is one thousand), "," marks the
 * decimals (99,5). A point followed by other than three digits cannot group thousands, so it is a
 * decimal point (99.5, as an English spreadsheet exports it). What could be read two ways (1,000: a
 * thousand in English, one in Indonesian) or mixes the two conventions (1,000.5) is refused, never
 * guessed. `grouped` says the value was read with thousands separators, for messages.
 */
export function readNumber(text: string, unit: RegExp = /^$/): { value: number; grouped: boolean } {
  const t = text.trim().replace(unit, '').trim();
  const notNumber = () => new CellError(`"${text}" is not a number`, 'Write it as 1000, 1.000 (a point separates thousands) or 99,5 (a comma marks the decimals).');
  if (/^\d+$/.test(t)) return { value: Number(t), grouped: false };
  // 1.000, 12.500.000, 1.500,5: points grouping thousands, then perhaps a decimal comma.
  const grouped = /^([1-9]\d{0,2}(?:\.\d{3})+)(?:,(\d+))?$/.exec(t);
  if (grouped) return { value: Number(`${grouped[1]!.replaceAll('.', '')}${grouped[2] ? `.${grouped[2]}` : ''}`), grouped: true };
  const comma = /^(\d+),(\d+)$/.exec(t);
  if (comma) {
    if (comma[2]!.length === 3 && !comma[1]!.startsWith('0')) {
      const [thousands, decimal] = [`${comma[1]}${comma[2]}`, String(Number(`${comma[1]}.${comma[2]}`))];
      throw new CellError(
        `"${text}" could be ${thousands} or ${decimal}: a comma before three digits separates thousands in English and marks the decimals in Indonesian`,
        `For ${thousands} write ${comma[1]}.${comma[2]} or ${thousands}; for ${decimal} write ${decimal.replace('.', ',')}.`,
      );
    }
    return { value: Number(`${comma[1]}.${comma[2]}`), grouped: false };
  }
  if (/^\d+\.\d+$/.test(t)) return { value: Number(t), grouped: false };
  if (/^\d{1,3}(,\d{3})+(\.\d+)?$/.test(t)) {
    throw new CellError(`"${text}" is not a number as Indonesians write it (commas grouping thousands)`, `Write ${t.replaceAll(',', '').replace('.', ',')}: no separator for thousands, a comma for the decimals.`);
  }
  throw notNumber();
}

/** How a value was read, when thousands separators were involved: for range errors. */
const asRead = (text: string, n: { value: number; grouped: boolean }) => (n.grouped ? `"${text.trim()}" is ${n.value} (a point separates thousands),` : `${n.value}`);

function oneOf<T extends string>(text: string, words: Record<string, T>, what: string, expected: string): T {
  const v = words[norm(text)];
  if (v) return v;
  const near = didYouMean(norm(text), Object.keys(words));
  throw new CellError(`"${text}" is not ${what}`, `${near ? `did you mean "${near}"? ` : ''}Expected ${expected}.`);
}

function readValue(field: Field, text: string): string | number {
  switch (field) {
    case 'status':
      return oneOf(text, STATUS_WORDS, 'a status', `${CONNECTIVITY_STATUS.join(', ')} (or terhubung, proses, belum)`);
    case 'technology':
      return oneOf(text, TECHNOLOGY_WORDS, 'a technology', `${TECHNOLOGIES.join(', ')} (or fiber optik, kabel, satelit, lainnya, …)`);
    case 'connectedOn':
      return readDate(text);
    case 'bandwidthMbps': {
      const n = readNumber(text, /\s*mbps$/i);
      if (n.value <= 0 || n.value > 100_000) throw new CellError(`${asRead(text, n)} ${n.grouped ? 'out of range' : 'Mbps is out of range'}`, 'expected more than 0 and at most 100000 Mbps');
      return n.value;
    }
    case 'uptimePercent': {
      const n = readNumber(text, /\s*%$/);
      if (n.value > 100) throw new CellError(`${asRead(text, n)}${n.grouped ? ' more than 100%' : '% is more than 100%'}`, n.grouped ? 'Write decimals with a comma: 99,999.' : undefined);
      return n.value;
    }
    case 'outages': {
      const n = readNumber(text);
      if (!Number.isInteger(n.value)) throw new CellError(`"${text}" is not a whole number of outages`);
      return n.value;
    }
    case 'period': {
      const parts = text.split(/\s*(?:\.\.|s\/d|sampai)\s*/i);
      if (parts.length !== 2) throw new CellError(`"${text}" is not a period`, 'Write it as 2024-01-01..2024-03-31 (or 01/01/2024 s/d 31/03/2024).');
      const [from, to] = parts.map(readDate) as [string, string];
      if (from > to) throw new CellError(`the period starts (${from}) after it ends (${to})`);
      return `${from}..${to}`;
    }
    case 'provider':
      if (text.trim().length > 100) throw new CellError('is longer than 100 characters');
      return text.trim();
    case 'source':
      if (text.trim().length > 300) throw new CellError('is longer than 300 characters');
      return text.trim();
    case 'notes':
      if (text.trim().length > 2000) throw new CellError('is longer than 2000 characters');
      return text.trim();
    default:
      return text.trim();
  }
}

/** Reads a cell of `field`. Throws CellError. */
export function readCell(field: Field, text: string): Cell {
  if (text.trim() === '') return { kind: 'empty' };
  if (UNKNOWN_WORDS.has(norm(text))) return { kind: 'unknown' };
  return { kind: 'value', value: readValue(field, text) };
}
