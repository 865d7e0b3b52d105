// A survey CSV as rows of cells, each cell with its line and column in the file, so every problem can
// be reported as file:line:column. The delimiter (comma, semicolon as Indonesian Excel writes, or tab)
// is taken from the header line.
import { parse } from 'csv-parse/sync';
import type { Problem } from '../../core/inventory/problems.ts';

export interface CsvRow {
  /** Line of the row's first character (1-based). */
  line: number;
  cells: string[];
  /** Line and column where each cell starts. */
  at: { line: number; column: number }[];
}

export interface CsvTable {
  header: CsvRow;
  rows: CsvRow[];
  problems: Problem[];
}

export function detectDelimiter(text: string): string {
  const first = (text.split('\n', 1)[0] ?? '').replace(/"[^"]*"/g, '');
  const counts = [',', ';', '\t'].map((d) => [d, first.split(d).length - 1] as const);
  return counts.reduce((a, b) => (b[1] > a[1] ? b : a))[0];
}

/** Where each field of a raw record starts, given the line and column of the record's first character. */
function fieldStarts(raw: string, delimiter: string, line: number): { line: number; column: number }[] {
  const out = [{ line, column: 1 }];
  let [l, c, quoted] = [line, 1, false];
  for (let i = 0; i < raw.length; i++) {
    const ch = raw[i]!;
    if (ch === '"') quoted = !quoted;
    else if (ch === delimiter && !quoted) out.push({ line: l, column: c + 1 });
    if (ch === '\n') [l, c] = [l + 1, 0];
    c++;
  }
  return out;
}

export function parseCsv(input: string, file: string): CsvTable {
  const text = input.replace(/\r\n?/g, '\n');
  const delimiter = detectDelimiter(text);
  const problems: Problem[] = [];
  let records: { record: string[]; raw: string; info: { lines: number } }[];
  try {
    records = parse(text, { delimiter, bom: true, info: true, raw: true, relax_column_count: true, skip_empty_lines: true }) as unknown as typeof records;
  } catch (e) {
    const err = e as Error & { lines?: number };
    return { header: { line: 1, cells: [], at: [] }, rows: [], problems: [{ file, line: err.lines ?? 1, path: [], message: `not readable as CSV: ${err.message.replace(/^[^:]*: /, '')}`, hint: 'Check the quotes on that line: a quoted cell must end with a quote.' }] };
  }
  const rows: CsvRow[] = records.map(({ record, raw, info }) => {
    const body = raw.replace(/^\n+/, '').replace(/\n$/, '');
    const line = info.lines - (body.match(/\n/g) ?? []).length;
    return { line, cells: record, at: fieldStarts(body, delimiter, line) };
  });
  const header = rows.shift() ?? { line: 1, cells: [], at: [] };
  if (!header.cells.length) problems.push({ file, line: 1, path: [], message: 'the file is empty; expected a header line such as kode,status,tanggal_terhubung' });
  for (const r of rows) {
    if (r.cells.length !== header.cells.length && !(r.cells.length === 1 && r.cells[0]!.trim() === '')) {
      problems.push({ file, line: r.line, column: 1, path: [], message: `${r.cells.length} cells, but the header has ${header.cells.length}`, hint: `Check for a missing or extra "${delimiter === '\t' ? 'tab' : delimiter}" (a cell with one must be quoted).` });
    }
  }
  return { header, rows, problems };
}
