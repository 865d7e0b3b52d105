// Writing what `desa init` planned, never over anything: desa.yaml must not exist, and the extract of
// the official list may exist only with the very same content (Bekasi's data/kepmendagri-2025-bekasi.csv
// beside the shipped desa.yaml, for example). Checked before anything is written; each file is then made
// whole in a temporary file and linked into place, which fails rather than replace a file that appeared
// meanwhile.
import { randomBytes } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { AbortError, EXIT } from '../../core/errors.ts';
import type { InitPlan, OutputFile } from './plan.ts';

const refuse = (message: string, nextStep: string) => new AbortError(message, { exitCode: EXIT.usage, nextStep });

/** Throws a usage error (exit 2) when desa.yaml exists; nothing is written. */
export function refuseExisting(out: string): void {
  if (existsSync(out)) {
    throw refuse(`${out} already exists; desa init writes a new inventory and never replaces one. Nothing was written.`, `Pass another --out, or move ${out} away first. To add or complete a desa in it, use \`desa onboard --file ${out}\`.`);
  }
}

/** Whether the extract must be written (false: the same text is there already). Throws when another is there. */
export function checkExtract(plan: InitPlan): boolean {
  const { path, relative } = plan.extract;
  if (!existsSync(path)) return true;
  let same = false;
  try {
    same = readFileSync(path, 'utf8') === plan.extract.text;
  } catch {
    // unreadable (a folder, no permission): not the same
  }
  if (same) return false;
  throw refuse(
    `${path} already exists with other content than the official list of ${plan.region.name}; desa init does not replace it. Nothing was written.`,
    `Move it away, or write desa.yaml elsewhere with --out (the list goes to ${relative} beside it).`,
  );
}

function writeNew(file: OutputFile): void {
  mkdirSync(dirname(file.path), { recursive: true });
  const temp = join(dirname(file.path), `.${basename(file.path)}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
  writeFileSync(temp, file.text, { flag: 'wx' });
  try {
    linkSync(temp, file.path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') throw refuse(`${file.path} appeared while desa init ran; it was not replaced.`, 'Run desa init again.');
    throw e;
  } finally {
    unlinkSync(temp);
  }
}

/** Writes the extract (unless the same is there) and desa.yaml. Returns whether the extract was written. */
export function writeInit(plan: InitPlan): { extractWritten: boolean } {
  refuseExisting(plan.inventory.path);
  const extractWritten = checkExtract(plan);
  if (extractWritten) writeNew(plan.extract);
  try {
    writeNew(plan.inventory);
  } catch (e) {
    if (extractWritten) unlinkSync(plan.extract.path);
    throw e;
  }
  return { extractWritten };
}
