// From a survey table to the changes it makes to desa.yaml's connectivity records, or every problem
// in it, each at its line and column. Pure: data in, data out.
//
// A cell left empty keeps what desa.yaml says. "unknown" (or "tidak diketahui") says the value is
// not known: the field becomes `unknown` (status, connectedOn, technology, bandwidthMbps, provider,
// uptimePercent, outages) or is removed (period, source, notes, which have no `unknown`); a field
// desa.yaml leaves out is already unknown and stays out.
import { didYouMean, type Problem } from '../../core/inventory/problems.ts';
import type { OfficialList } from '../../core/inventory/official.ts';
import { connectivity, regionCode, type ConnectivityEntry, type InventoryFile } from '../../core/inventory/schema.ts';
import { ALL_HEADERS, COLUMNS, fieldOfHeader, isNumbering, normalizeHeader, YAML_PATH, type Field } from './columns.ts';
import type { CsvRow, CsvTable } from './csv.ts';
import { CellError, readCell, type Cell } from './values.ts';

export interface FieldChange {
  /** Path under the unit's `connectivity:`, dotted: status, quality.uptimePercent. */
  field: string;
  /** The CSV column it came from (or --source). */
  column: string;
  old: unknown;
  new: unknown;
}

export interface UnitChange {
  code: string;
  name: string;
  /** The CSV line of the row. */
  line: number;
  /** The unit's index in `units:`. */
  index: number;
  fields: FieldChange[];
}

export interface ImportPlan {
  rows: number;
  changes: UnitChange[];
  /** Rows that match desa.yaml already. */
  unchanged: { code: string; name: string; line: number }[];
}

export interface ImportOptions {
  /** Recorded as `source:` on each record the survey changes, unless its row has a source. */
  source?: string;
  today: string;
}

const HAS_UNKNOWN = new Set<Field>(['status', 'connectedOn', 'technology', 'bandwidthMbps', 'provider', 'uptimePercent', 'outages']);
const simple = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '');

interface Column {
  index: number;
  header: string;
  field: Field;
}

/** The columns understood, and whether every header was (cross-column checks need all of them). */
function readHeader(table: CsvTable, file: string, problems: Problem[], example: string): { columns: Column[]; understood: boolean } {
  const { header, rows } = table;
  const columns: Column[] = [];
  let understood = true;
  header.cells.forEach((h, index) => {
    const at = header.at[index] ?? { line: header.line, column: 1 };
    const place = { file, line: at.line, column: at.column, path: [h] };
    if (h.trim() === '') {
      if (rows.some((r) => (r.cells[index] ?? '').trim() !== '')) problems.push({ ...place, path: [], message: `column ${index + 1} has values but no header` });
      return;
    }
    if (isNumbering(h)) return;
    const field = fieldOfHeader(h);
    if (!field) {
      understood = false;
      const near = didYouMean(normalizeHeader(h), ALL_HEADERS);
      const accepted = `${Object.values(COLUMNS).map((n) => n[0]).join(', ')} (a numbering column such as "No" is ignored)`;
      problems.push({ ...place, message: `unknown column "${h}"`, hint: near ? `did you mean "${near}"?` : `Rename it to one of the accepted headers, or delete the column: ${accepted}.` });
      return;
    }
    const dup = columns.find((c) => c.field === field);
    if (dup) problems.push({ ...place, message: `column "${h}" says the same as column "${dup.header}"`, hint: 'Keep one of them.' });
    else columns.push({ index, header: h, field });
  });
  if (header.cells.length && !columns.some((c) => c.field === 'code')) {
    problems.push({ file, line: header.line, column: 1, path: [], message: 'no "kode" column: each row is matched to desa.yaml by the official code', hint: `Add a column "kode" with codes such as ${example}.` });
  }
  return { columns, understood };
}

/** The changes the survey makes, and every problem found in it (when any, the changes are not to be applied). */
export function planImport(table: CsvTable, file: string, raw: InventoryFile, official: OfficialList, opts: ImportOptions): { plan: ImportPlan; problems: Problem[] } {
  const problems: Problem[] = [...table.problems];
  // A column not understood may hold what a cross-column check looks for (the status beside a date):
  // those checks wait until every header is understood, so that no error follows from the misreading.
  // Codes in messages are the inventory's own, whichever kabupaten it is.
  const example = raw.units[0]?.code ?? '11.01.01.2001';
  const { columns, understood } = readHeader(table, file, problems, example);
  const codeColumn = columns.find((c) => c.field === 'code');
  const plan: ImportPlan = { rows: 0, changes: [], unchanged: [] };
  if (!codeColumn) return { plan, problems };

  const indexOf = new Map(raw.units.map((u, i) => [u.code, i]));
  const seen = new Map<string, number>();
  for (const row of table.rows) {
    if (row.cells.every((c) => c.trim() === '')) continue;
    plan.rows++;
    const at = (c: Column) => ({ file, line: row.at[c.index]?.line ?? row.line, column: row.at[c.index]?.column ?? 1, path: [c.header] });
    const problem = (c: Column, message: string, hint?: string) => problems.push({ ...at(c), message, ...(hint ? { hint } : {}) });

    const code = (row.cells[codeColumn.index] ?? '').trim();
    if (!code) {
      problem(codeColumn, 'the code is empty', 'Every row needs the official code of its desa.');
      continue;
    }
    if (!regionCode.safeParse(code).success) {
      problem(codeColumn, `"${code}" is not an official code`, `expected a code such as ${example} (a spreadsheet may have turned it into a number: format the column as text)`);
      continue;
    }
    const index = indexOf.get(code);
    if (index === undefined) {
      const off = official.units.get(code);
      if (off) problem(codeColumn, `${code} (${off.name}) is not in desa.yaml`, `Add it first with \`desa onboard --code ${code}\`.`);
      else {
        // A code one digit off is a likely typo; farther ones are not worth a guess.
        const near = [...indexOf.keys()].find((k) => [...k].filter((ch, i) => ch !== code[i]).length === 1);
        problem(codeColumn, `${code} is not in desa.yaml nor in the official list`, near ? `did you mean ${near} (${raw.units[indexOf.get(near)!]!.name})?` : undefined);
      }
      continue;
    }
    const first = seen.get(code);
    if (first !== undefined) {
      problem(codeColumn, `${code} has a row already, on line ${first}`, 'Keep one row per desa.');
      continue;
    }
    seen.set(code, row.line);
    const unit = raw.units[index]!;
    crossCheck(row, columns, unit, raw, problem);

    const cells = new Map<Field, { cell: Cell; column: Column }>();
    for (const c of columns) {
      if (c.field === 'code' || c.field === 'name' || c.field === 'kecamatan') continue;
      try {
        cells.set(c.field, { cell: readCell(c.field, row.cells[c.index] ?? ''), column: c });
      } catch (e) {
        if (!(e instanceof CellError)) throw e;
        problem(c, e.message, e.hint);
      }
    }
    const fields = mergeRow(unit.connectivity, cells, opts);
    const merged = applyChanges(unit.connectivity, fields);
    if (understood) checkMerged(merged, cells, opts, unit.connectivity, problem);
    if (fields.length) plan.changes.push({ code, name: unit.name, line: row.line, index, fields });
    else plan.unchanged.push({ code, name: unit.name, line: row.line });
  }
  return { plan, problems };
}

function crossCheck(row: CsvRow, columns: Column[], unit: InventoryFile['units'][number], raw: InventoryFile, problem: (c: Column, m: string, h?: string) => void): void {
  for (const c of columns) {
    const v = (row.cells[c.index] ?? '').trim();
    if (!v) continue;
    if (c.field === 'name' && simple(v) !== simple(unit.name)) {
      const other = raw.units.find((u) => simple(u.name) === simple(v));
      problem(c, `"${v}" is not the name of ${unit.code}, which is ${unit.name} in desa.yaml`, other ? `${v} is ${other.code}: check the code on this row.` : 'Check the code and the name on this row.');
    }
    if (c.field === 'kecamatan' && simple(v) !== simple(unit.kecamatan)) {
      problem(c, `"${v}" is not the kecamatan of ${unit.code}, which is in ${unit.kecamatan}`, 'Check the code on this row.');
    }
  }
}

const get = (c: ConnectivityEntry, path: string[]): unknown => path.reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], c);

/** The fields a row changes: old and new value per field. */
function mergeRow(current: ConnectivityEntry, cells: Map<Field, { cell: Cell; column: Column }>, opts: ImportOptions): FieldChange[] {
  const out: FieldChange[] = [];
  for (const [field, { cell, column }] of cells) {
    const path = YAML_PATH[field]!;
    const old = get(current, path);
    let value: unknown;
    if (cell.kind === 'empty') continue;
    if (cell.kind === 'unknown') {
      if (old === undefined || old === 'unknown') continue;
      value = HAS_UNKNOWN.has(field) ? 'unknown' : undefined;
    } else value = cell.value;
    if (value !== old) out.push({ field: path.join('.'), column: column.header, old, new: value });
  }
  const sourceCell = cells.get('source')?.cell;
  if (out.length && opts.source !== undefined && (!sourceCell || sourceCell.kind === 'empty') && current.source !== opts.source) {
    out.push({ field: 'source', column: '--source', old: current.source, new: opts.source });
  }
  return out;
}

function applyChanges(current: ConnectivityEntry, fields: FieldChange[]): ConnectivityEntry {
  const next = structuredClone(current) as Record<string, unknown>;
  for (const f of fields) {
    const path = f.field.split('.');
    let o = next;
    for (const k of path.slice(0, -1)) o = (o[k] ??= {}) as Record<string, unknown>;
    if (f.new === undefined) delete o[path[path.length - 1]!];
    else o[path[path.length - 1]!] = f.new;
  }
  return next as ConnectivityEntry;
}

/** Checks across fields of the record as it would be, placed at the cell that caused them. */
function checkMerged(
  c: ConnectivityEntry,
  cells: Map<Field, { cell: Cell; column: Column }>,
  opts: ImportOptions,
  before: ConnectivityEntry,
  problem: (c: Column, m: string, h?: string) => void,
): void {
  const given = (f: Field) => {
    const x = cells.get(f);
    return x && x.cell.kind !== 'empty' ? x.column : undefined;
  };
  const date = c.connectedOn;
  if (date !== undefined && date !== 'unknown') {
    if (c.status !== 'connected') {
      const col = given('connectedOn') ?? given('status');
      if (col) {
        const why = given('connectedOn') ? `a connection date (${date}) is given` : `desa.yaml has a connection date (${before.connectedOn})`;
        problem(col, `${why} but the status is "${c.status}"`, 'Set the status to connected (terhubung), or the date to unknown.');
      }
    }
    const dc = given('connectedOn');
    if (dc && date > opts.today) problem(dc, `${date} is in the future (today is ${opts.today})`);
  }
  const r = connectivity.safeParse(c);
  if (!r.success) {
    for (const issue of r.error.issues) {
      const field = (Object.keys(YAML_PATH) as Field[]).find((f) => YAML_PATH[f]!.join('.') === issue.path.join('.'));
      const col = field && given(field);
      if (col) problem(col, issue.message);
    }
  }
}
