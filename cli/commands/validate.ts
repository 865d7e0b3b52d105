import type { Command } from 'commander';
import { emitJson, log } from '../ui/output.ts';
import { fileOption, jsonOption } from './options.ts';

export function registerValidate(program: Command): void {
  program
    .command('validate')
    .description('Check desa.yaml: schema, official codes, kecamatan, duplicates, dates. Changes nothing.')
    .addOption(fileOption())
    .addOption(jsonOption())
    .addHelpText(
      'after',
      `
Every problem is reported in one run, each with file:line:column and the field path.
Exit code 0 when valid, 3 when not.

Examples:
  desa validate
  desa validate --file other/desa.yaml --json`,
    )
    .action(async (opts: { file: string; json?: boolean }) => {
      const [{ checkInventoryFile }, { summarize }] = await Promise.all([import('../../core/inventory/load.ts'), import('../../core/inventory/summary.ts')]);
      // Every check, without resolving the file: nothing here needs the derived names.
      const summary = summarize(checkInventoryFile(opts.file));
      if (opts.json) return emitJson({ ok: true, file: opts.file, ...summary });
      for (const w of summary.warnings) log.warn(w);
      log.success(
        `${opts.file} is valid: ${summary.units} units (${summary.desa} desa, ${summary.kelurahan} kelurahan) in ${summary.kecamatan} kecamatan.`,
      );
    });
}
