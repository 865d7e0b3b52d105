import type { Command } from 'commander';
import { AbortError, EXIT } from '../../core/errors.ts';
import { FORM_LANGS } from '../onboard/form-text.ts';
import type { OnboardFlags } from '../onboard/request.ts';
import { emit, emitJson, interactive, log, paint } from '../ui/output.ts';
import { fileOption, jsonOption } from './options.ts';

interface Opts extends OnboardFlags {
  file: string;
  lang: string;
  json?: boolean;
  dryRun?: boolean;
}

export function registerOnboard(program: Command): void {
  program
    .command('onboard')
    .description('Bring a desa into service: add it to desa.yaml or complete its entry (services, contacts, slug).')
    .option('--code <code>', 'official code, such as 32.16.06.2002')
    .option('--name <name>', 'name (for a code not in desa.yaml yet; defaults to the official name)')
    .option('--kind <kind>', 'desa or kelurahan (defaults from the code)')
    .option('--kecamatan <name>', 'kecamatan (defaults from the code)')
    .option('--source <decree>', 'the decree that created a code missing from the official list')
    .option('--slug <slug>', 'the slug to pin (defaults to the one derived from the name)')
    .option('--accounts <roles>', 'mailboxes by role, comma-separated, such as kepala-desa,operator')
    .option('--mail-quota <size>', 'mailbox quota, such as 2Gi')
    .option('--email', 'turn mailboxes on')
    .option('--no-email', 'turn mailboxes off')
    .option('--storage-quota <size>', 'storage quota, such as 20Gi')
    .option('--storage', 'turn storage on')
    .option('--no-storage', 'turn storage off')
    .option('--subdomain', 'turn the subdomain on')
    .option('--no-subdomain', 'turn the subdomain off')
    .option('--site', 'turn the site on')
    .option('--no-site', 'turn the site off')
    .option('--template <template>', 'site template: profil, opensid or external')
    .option('--site-url <url>', 'address of the desa\'s own site (with --template external)')
    .option('--kepala-name <name>', 'kepala desa (or lurah): name')
    .option('--kepala-phone <phone>', 'kepala desa: phone, such as +62 812 3456 7890')
    .option('--kepala-email <email>', 'kepala desa: email')
    .option('--operator-name <name>', 'operator: name')
    .option('--operator-phone <phone>', 'operator: phone')
    .option('--operator-email <email>', 'operator: email')
    .option('--dry-run', 'show the change as a diff on stdout and write nothing')
    .option('--lang <lang>', 'the form: id (Bahasa Indonesia) or en', 'id')
    .addOption(fileOption())
    .addOption(jsonOption())
    .addHelpText(
      'after',
      `
Adds a desa that is not in desa.yaml yet (from the official list, or a new code with --name and
--source naming the decree that created it), or completes one that is: services, contacts, and the
pinned slug. Only what differs from what the desa already gets is written. desa.yaml is edited in
place: comments, order and formatting are kept, the result is validated before it is written
(exit 3 and nothing written when it is not), and the write is atomic.

In a terminal, missing choices are asked in a form (kecamatan, desa, services, contacts, then the
diff to confirm), in Bahasa Indonesia (--lang en for English); each field is checked as it is left.
Esc goes back a step, and from the first one cancels (exit 130, nothing written). Without a terminal,
a missing flag is an error (exit 2) that names it.

Examples:
  desa onboard                                              the form (--lang en: in English)
  desa onboard --code 32.16.06.2003 --template opensid --accounts kepala-desa,operator
  desa onboard --code 32.16.06.2003 --kepala-name "H. Ahmad" --kepala-phone "+62 812 3456 7890"
  desa onboard --code 32.16.06.2099 --name "Sukamaju Baru" --source "Perda Kab. Bekasi No 5 Tahun 2026"
  desa onboard --code 32.16.06.2003 --no-email --dry-run`,
    )
    .action(async (opts: Opts) => {
      const lang = FORM_LANGS.find((l) => l === opts.lang);
      if (!lang) throw new AbortError(`--lang: expected id (Bahasa Indonesia) or en; got "${opts.lang}".`, { exitCode: EXIT.usage, nextStep: 'See `desa onboard --help`.' });
      const [{ commit, openForEdit }, { gatherOnboard }, { describeEdits, headline, provisionCommand }] = await Promise.all([
        import('../../core/inventory/edit.ts'),
        import('../onboard/gather.ts'),
        import('../onboard/onboard.ts'),
      ]);
      const session = openForEdit(opts.file);
      const ask = interactive() && !opts.json ? (await import('../onboard/interactive.ts')).askOnboard : undefined;
      const { plan, proposal } = await gatherOnboard(session, opts, ask, lang);
      const changes = proposal.changed ? describeEdits(plan) : [];
      const written = proposal.changed && !opts.dryRun;
      if (written) commit(session, proposal);

      if (opts.json) {
        return emitJson({
          ok: true,
          file: opts.file,
          action: plan.action,
          code: plan.code,
          name: plan.name,
          slug: plan.slug,
          dryRun: Boolean(opts.dryRun),
          written,
          changes: proposal.changed ? plan.edits.map((e) => ({ field: e.path.join('.'), old: e.old ?? null, new: e.value ?? null })) : [],
          diff: proposal.diff,
          warnings: plan.warnings,
          next: provisionCommand(plan.slug),
        });
      }
      for (const w of plan.warnings) log.warn(w);
      if (!proposal.preserved) log.warn(`the formatting of ${opts.file} could not be kept around the change; see the diff.`);
      if (!proposal.changed) {
        log.success(`${plan.name} (${plan.code}) already has all of this in ${opts.file}; nothing written.`);
      } else if (opts.dryRun) {
        emit(proposal.diff);
        log.info(`Dry run: would ${headline(plan, opts.file)}:`);
        for (const c of changes) log.info(`  ${c}`);
        log.info('Nothing was written.');
      } else {
        log.success(`${headline(plan, opts.file, true)}:`);
        for (const c of changes) log.info(`  ${c}`);
      }
      log.info(`Provision it with: ${paint('bold', provisionCommand(plan.slug))}`);
    });
}
