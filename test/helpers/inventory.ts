// Test helpers: copies of the real desa.yaml in temporary folders, edited per test, with the official
// CSV beside them so the relative path in the file resolves. The repository's own files are never touched.
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseDocument, type YAMLMap, type YAMLSeq } from 'yaml';

export const ROOT = resolve(import.meta.dirname, '../..');
export const INVENTORY = join(ROOT, 'desa.yaml');
export const OFFICIAL_CSV = join(ROOT, 'data/kepmendagri-2025-bekasi.csv');
export const NATIONAL_CSV = resolve(ROOT, '../shared/data/indonesia-wilayah.csv');
export const DESA_BIN = join(ROOT, 'bin/desa');

export const shippedText = () => readFileSync(INVENTORY, 'utf8');

/** A temp folder holding data/kepmendagri-2025-bekasi.csv and `desa.yaml` with the given text. */
export function tempInventory(text: string = shippedText(), name = 'desa.yaml'): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), 'desa-test-'));
  // The local servers' unprivileged processes must be able to enter .desa/services (mkdtemp makes 0700).
  chmodSync(dir, 0o755);
  mkdirSync(join(dir, 'data'));
  copyFileSync(OFFICIAL_CSV, join(dir, 'data/kepmendagri-2025-bekasi.csv'));
  const file = join(dir, name);
  writeFileSync(file, text);
  return { dir, file };
}

/** Replaces the first occurrence of `from` after the line containing `after`. Throws if absent. */
export function edit(text: string, from: string, to: string, after?: string): string {
  const start = after ? text.indexOf(after) : 0;
  if (start < 0) throw new Error(`anchor not found: ${after}`);
  const i = text.indexOf(from, start);
  if (i < 0) throw new Error(`text not found: ${from}`);
  return text.slice(0, i) + to + text.slice(i + from.length);
}

/** The 1-based line of the first occurrence of `needle` after `after`. */
export function lineOf(text: string, needle: string, after?: string): number {
  const start = after ? text.indexOf(after) : 0;
  const i = text.indexOf(needle, start);
  if (i < 0) throw new Error(`text not found: ${needle}`);
  return text.slice(0, i).split('\n').length;
}

/** desa.yaml with only the units of these slugs (in the file's order); everything else as written. */
export function keepUnits(text: string, slugs: readonly string[]): string {
  const doc = parseDocument(text);
  const units = doc.get('units') as YAMLSeq<YAMLMap>;
  units.items = units.items.filter((u) => slugs.includes(String(u.get('slug'))));
  if (units.items.length !== slugs.length) throw new Error(`not every slug is in the inventory: ${slugs.join(', ')}`);
  return doc.toString();
}

/**
 * A new inventory for any kabupaten or kota, as `desa init` writes it (with its official list under
 * data/), in a temporary folder. `flags` override the defaults below.
 */
export async function initInventory(kabupaten: string, flags: Record<string, string | boolean> = {}): Promise<{ dir: string; file: string; text: string }> {
  const [{ loadNationalList }, { planInit }, { requestFromFlags }, { writeInit }] = await Promise.all([
    import('../../cli/init/national.ts'),
    import('../../cli/init/plan.ts'),
    import('../../cli/init/request.ts'),
    import('../../cli/init/write.ts'),
  ]);
  const dir = mkdtempSync(join(tmpdir(), 'desa-init-'));
  chmodSync(dir, 0o755);
  const file = join(dir, 'desa.yaml');
  const given = { kabupaten, domain: 'desa.contohkab.go.id', operator: 'Dinas Komunikasi dan Informatika (Diskominfo) Contoh', targetDue: '2027-12-31', ...flags };
  const plan = planInit(requestFromFlags(given, loadNationalList(), file));
  writeInit(plan);
  return { dir, file, text: plan.inventory.text };
}
