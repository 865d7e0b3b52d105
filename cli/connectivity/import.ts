// The import service: a survey CSV to a validated proposal for desa.yaml. No terminal I/O.
import { readFileSync, statSync } from 'node:fs';
import { AbortError, EXIT, InvalidInputError } from '../../core/errors.ts';
import { today } from '../../core/inventory/checks.ts';
import { propose, setField, type EditSession, type Proposal } from '../../core/inventory/edit.ts';
import { parseCsv } from './csv.ts';
import { planImport, type ImportPlan } from './plan.ts';

/** A survey of every desa of Indonesia is a few MiB; anything far larger is the wrong file. */
const MAX_CSV_BYTES = 64 * 1024 * 1024;

export function readSurvey(file: string): string {
  let size: number;
  try {
    size = statSync(file).size;
  } catch {
    throw new AbortError(`${file} does not exist.`, { exitCode: EXIT.invalidInput, nextStep: 'Pass the path of the survey CSV.' });
  }
  if (size > MAX_CSV_BYTES) throw new InvalidInputError(file, [{ file, path: [], message: `the file is ${(size / 1048576).toFixed(1)} MiB; a survey CSV is expected to be far smaller` }]);
  const text = readFileSync(file, 'utf8');
  if (text.includes('\0') || text.includes('\uFFFD')) {
    throw new InvalidInputError(file, [{ file, path: [], message: 'the file is not UTF-8 text (an .xlsx workbook?)', hint: 'Save the sheet as "CSV UTF-8" and import that.' }]);
  }
  return text;
}

export interface PreparedImport {
  plan: ImportPlan;
  proposal: Proposal;
}

/** Plans the survey's changes and renders and validates desa.yaml with them. Throws InvalidInputError. */
export function prepareImport(session: EditSession, csvText: string, csvFile: string, opts: { source?: string } = {}): PreparedImport {
  const table = parseCsv(csvText, csvFile);
  const { plan, problems } = planImport(table, csvFile, session.loaded.raw, session.loaded.official, { ...opts, today: today() });
  if (problems.length) {
    problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
    throw new InvalidInputError(csvFile, problems, `Fix ${problems.length === 1 ? 'it' : 'them'} in ${csvFile} and import again; ${session.file} was not changed.`);
  }
  const proposal = propose(session, (doc) => {
    for (const u of plan.changes) for (const f of u.fields) setField(doc, ['units', u.index, 'connectivity', ...f.field.split('.')], f.new);
  });
  return { plan, proposal };
}
