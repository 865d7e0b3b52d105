import type { Command } from 'commander';
import { emit, emitJson, log, paint } from '../ui/output.ts';
import { fileOption, jsonOption } from './options.ts';

const show = (v: unknown) => (v === undefined ? '(not set)' : typeof v === 'string' ? v : JSON.stringify(v));

export function registerImportConnectivity(program: Command): void {
  const imports = program.command('import').description('Update desa.yaml from a spreadsheet.');
  imports
    .command('connectivity <csv>')
    .description('Update the connectivity records of desa.yaml from a survey CSV.')
    .option('--source <text>', 'record this as the source of every record the survey changes (unless the row has its own)')
    .option('--dry-run', 'show what would change on stdout and write nothing')
    .addOption(fileOption())
    .addOption(jsonOption())
    .addHelpText(
      'after',
      `
Columns are found by header, in any order; case, spaces, punctuation and a unit in brackets do not
matter ("Bandwidth (Mbps)" is bandwidth_mbps). Indonesian names and common variants are accepted:
  kode (kode desa, code)      required: the official code of the desa
  nama (nama desa), kecamatan optional: checked against desa.yaml
  status (status koneksi)     connected, in-progress, not-connected, unknown (terhubung, proses, belum)
  tanggal_terhubung           date connected: 2023-05-01 or 01/05/2023 (tgl terhubung, connected_on)
  teknologi (jenis koneksi)   fibre, radio, 4g, vsat, adsl, cable, other (fiber optik, kabel, …)
  bandwidth_mbps (kecepatan), penyedia (isp, provider), uptime_persen (uptime), gangguan (outages),
  periode (period: 2024-01-01..2024-03-31), sumber (source), catatan (keterangan, notes)
A numbering column (No, No., Nomor, #) is ignored; any other header not understood is an error.

Numbers are read as Indonesians write them: a point separates thousands (1.000 is one thousand), a
comma marks the decimals (99,5). A point before other than three digits is a decimal point (99.5).
A value that could be read two ways (1,000) is an error naming its cell, never a guess.

An empty cell keeps what desa.yaml says. "unknown" or "tidak diketahui" records that the value is not
known (period, source and notes are then removed). Comma, semicolon or tab separated; UTF-8.

Every problem in the CSV is reported at once, as file:line:column with the column name, and then
nothing is written (exit 3). desa.yaml is validated before it is written, keeps its comments and
formatting, and is written atomically.

Examples:
  desa import connectivity survei-2024.csv --dry-run
  desa import connectivity survei-2024.csv --source "Survei Diskominfosantik Maret 2024"
  desa import connectivity survei-2024.csv --json > changes.json`,
    )
    .action(async (csv: string, opts: { file: string; json?: boolean; dryRun?: boolean; source?: string }) => {
      const [{ prepareImport, readSurvey }, { commit, openForEdit }] = await Promise.all([
        import('../connectivity/import.ts'),
        import('../../core/inventory/edit.ts'),
      ]);
      const session = openForEdit(opts.file);
      const { plan, proposal } = prepareImport(session, readSurvey(csv), csv, opts.source === undefined ? {} : { source: opts.source });
      const written = proposal.changed && !opts.dryRun;
      if (written) commit(session, proposal);
      const fieldCount = plan.changes.reduce((n, u) => n + u.fields.length, 0);

      if (opts.json) {
        return emitJson({
          ok: true,
          file: opts.file,
          csv,
          dryRun: Boolean(opts.dryRun),
          written,
          rows: plan.rows,
          changes: plan.changes.map((u) => ({ code: u.code, name: u.name, line: u.line, fields: u.fields.map((f) => ({ field: f.field, column: f.column, old: f.old ?? null, new: f.new ?? null })) })),
          unchanged: plan.unchanged.map((u) => u.code),
        });
      }
      // A dry run's result is the list of changes: stdout, as `onboard --dry-run` prints its diff.
      const out = opts.dryRun ? emit : log.info;
      for (const u of plan.changes) {
        out(`${paint('bold', u.name, opts.dryRun ? process.stdout : process.stderr)} (${u.code}, ${csv}:${u.line})`);
        for (const f of u.fields) out(`  ${f.field}: ${show(f.old)} → ${f.new === undefined ? '(removed)' : show(f.new)}`);
      }
      if (!proposal.preserved) log.warn(`the formatting of ${opts.file} could not be kept around the changes.`);
      const summary = `${plan.changes.length} desa, ${fieldCount} field(s) changed; ${plan.unchanged.length} row(s) already up to date`;
      if (!plan.changes.length) log.success(`${csv}: ${plan.rows} row(s), nothing to change in ${opts.file}.`);
      else if (opts.dryRun) emit(`Dry run: ${summary}. Nothing was written.`);
      else log.success(`Updated ${opts.file}: ${summary}.`);
    });
}
