import type { Command } from 'commander';
import { closeSync, openSync, writeSync } from 'node:fs';
import { stripVTControlCharacters } from 'node:util';
import { AbortError, EXIT } from '../../core/errors.ts';
import { FORMATS, parseReportOptions } from '../report/options.ts';
import { emit, log } from '../ui/output.ts';
import { cacheDir } from '../paths.ts';
import { fileOption } from './options.ts';

export function registerReport(program: Command): void {
  program
    .command('report')
    .description('Report the connectivity rollout and digital services of every desa against the targets. Changes nothing.')
    .addOption(fileOption())
    .option('--format <format>', `${FORMATS.join(', ')} (default: terminal on a TTY, else markdown; with --out, from its extension)`)
    .option('--lang <lang>', 'id (Bahasa Indonesia) or en', 'id')
    .option('-o, --out <file>', 'write the report to this file instead of stdout')
    .option('--as-of <date>', 'report as of this date, YYYY-MM-DD (default: today, or $DESA_TODAY)')
    .option('--no-state', "services from desa.yaml's plan only, without reading the stack state")
    .option('--approver <name>', 'html and pdf: the approving official who signs (default: a line to fill by hand)')
    .option('--approver-title <title>', 'html and pdf: their title, such as "Kepala Dinas ..." (default: a line to fill by hand)')
    .option('--approver-nip <nip>', 'html and pdf: their NIP (default: a line to fill by hand)')
    .addHelpText(
      'after',
      `
Counts, per-kecamatan shares, the timeline against each dated target, a projection at the current
pace, pilots, link quality, services, and which data is still unknown. json and csv carry data and
codes (the same in every language); json is documented in cli/report/README.md (schemaVersion 1),
indented on a terminal and compact in a pipe or a file (jq . indents it).
Services of the desa whose stack is provisioned come from its outputs (source "stacks", read from the
state as \`desa status\` does); the others are desa.yaml's plan (source "inventory"). Each desa's
readiness is what the last \`desa check\` found (.desa/check.json, with its time), or "not checked".
Each desa's file space against its quota (size and files) is read live from the local SFTPGo when the
local servers run (one listing, 5 s at most; a warning and "not measured" if it does not answer); the
desa at 80% or more of a quota are named. A deploy-mode cluster's SFTPGo is not read yet.
--no-state: the plan only, no readiness and no usage.

pdf is the html printed by headless Chromium (Debian's chromium package, or $DESA_CHROMIUM): A4, page
numbers, and a signature block for the approving official (--approver, --approver-title,
--approver-nip; lines to fill by hand where not given), also in the html. An --out extension other
than .md, .json, .csv, .html, .txt or .pdf needs --format; one that names another format is refused.

Examples:
  desa report                                     on a terminal: tables and bars
  desa report --format html --out laporan.html    one self-contained file, printable on A4
  desa report --out laporan.pdf --approver "Nama Pejabat" --approver-title "Kepala Dinas ..."
                                                  A4 PDF with page numbers, to print and forward
  desa report --format markdown >> "$GITHUB_STEP_SUMMARY"
  desa report --format json --as-of 2023-12-31    reproducible: fixes "today"
  desa report --lang en --out report.csv          format from the extension`,
    )
    .action(async (flags: Record<string, unknown>) => {
      const opts = parseReportOptions(flags, { stdoutIsTTY: Boolean(process.stdout.isTTY) });
      const [{ loadInventoryCached, inventoryCacheDir }, { buildReport }, { renderReportChunks }, { readProvisioned, readReadiness }, { readStorageUsage }] = await Promise.all([
        import('../../core/inventory/cache.ts'),
        import('../report/model.ts'),
        import('../report/render.ts'),
        import('../report/provisioned.ts'),
        import('../report/storage-usage.ts'),
      ]);
      const terminal = opts.format === 'terminal' ? (await import('../report/render-terminal.ts')).renderTerminal : undefined;
      const { inventory } = loadInventoryCached(opts.file, inventoryCacheDir(cacheDir()));
      // The stack state, the last check and SFTPGo's usage are read side by side (SFTPGo may take up to 5 s).
      const [provisioned, readiness, storageUsage] = opts.state
        ? await Promise.all([readProvisioned(opts.file, inventory.units, process.env), readReadiness(opts.file, process.env), readStorageUsage(opts.file, process.env)])
        : [];
      const data = buildReport(inventory, { asOf: opts.asOf, today: opts.today, ...(provisioned ? { provisioned } : {}), ...(readiness ? { readiness } : {}), ...(storageUsage ? { storageUsage } : {}) });
      const chunks = renderReportChunks(data, opts.format, { lang: opts.lang, columns: process.stdout.columns, approver: opts.approver, pretty: !opts.out && Boolean(process.stdout.isTTY), ...(terminal ? { terminal } : {}) });
      if (!opts.out) {
        // Piece by piece (a pipe or a file takes each as it comes); emit ends the text with a newline.
        chunks.forEach((chunk, i) => (i === chunks.length - 1 ? emit(chunk) : process.stdout.write(chunk)));
        return;
      }
      if (opts.format === 'pdf') await (await import('../report/pdf.ts')).printPdf(chunks.join(''), opts.out, process.env);
      else {
        try {
          const fd = openSync(opts.out, 'w');
          try {
            for (const chunk of chunks) writeSync(fd, opts.format === 'terminal' ? stripVTControlCharacters(chunk) : chunk);
          } finally {
            closeSync(fd);
          }
        } catch (e) {
          throw new AbortError(`cannot write ${opts.out}: ${(e as Error).message}`, { exitCode: EXIT.usage, nextStep: 'Check that the directory exists and is writable.' });
        }
      }
      log.success(`Wrote ${opts.out} (${opts.format}, ${data.overall.units} units, as of ${data.asOf}).`);
    });
}
