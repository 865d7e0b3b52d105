import { Option, type Command } from 'commander';
import { AbortError, EXIT } from '../../core/errors.ts';
import { FORM_LANGS } from '../onboard/form-text.ts';
import type { InitFlags } from '../init/request.ts';
import { emitJson, interactive, log, paint } from '../ui/output.ts';
import { DEFAULT_INVENTORY, jsonOption } from './options.ts';

interface Opts extends InitFlags {
  out: string;
  lang: string;
  json?: boolean;
}

export function registerInit(program: Command): void {
  program
    .command('init')
    .description('Write a new desa.yaml for any kabupaten or kota of Indonesia, from the official list (Kepmendagri 2025).')
    .option('--kabupaten <code|name>', 'the kabupaten or kota: its code (32.16, 3275) or name ("Kabupaten Bekasi", "Kota Bekasi", "Aceh Utara")')
    .option('--domain <domain>', 'parent domain of every subdomain and mailbox, such as desa.contohkab.go.id')
    .option('--operator <name>', 'the office that runs the services, such as "Dinas Komunikasi dan Informatika Kabupaten …"')
    .option('--target-due <date>', 'the rollout target: every unit connected to the internet by this date (YYYY-MM-DD)')
    .option('--target-coverage <percent>', 'the share of units the target asks for (default 100)')
    .option('--target-set-on <date>', 'when the target was set (default unknown)')
    .option('--target-source <text>', 'who set the target, or the plan that did (default the operator)')
    .option('--target-description <text>', 'the target in words (default generated, in Bahasa Indonesia)')
    .option('--kelurahan-services', 'kelurahan get mailboxes and storage too (the default where there are no desa: a kota)')
    .option('--no-kelurahan-services', 'kelurahan get a subdomain and a site only (the default where there are desa)')
    .addOption(new Option('-o, --out <file>', 'the inventory to write; never replaced').default(process.env.DESA_FILE ?? DEFAULT_INVENTORY))
    .option('--lang <lang>', 'the form: id (Bahasa Indonesia) or en', 'id')
    .addOption(jsonOption())
    .addHelpText(
      'after',
      `
Writes a new inventory for one of the 514 kabupaten and kota of Kepmendagri No 300.2.2-2138 Tahun 2025:
every desa and kelurahan with its official code, name, kind and kecamatan, a pinned slug, connectivity
unknown, the services each kind gets by default, and the rollout target. Beside it goes the official list
of that kabupaten (data/kepmendagri-2025-<name>.csv, relative to the file), taken from the project's
national copy (data/kepmendagri-2025-indonesia.csv); \`desa validate\` checks against it.

Nothing is replaced: when the file exists, or the list exists with other content, desa init stops
(exit 2) and writes nothing. The result is validated before it is written.

In a terminal, what the flags leave open is asked in a form, in Bahasa Indonesia (--lang en for
English); each field is checked as it is left; Esc cancels (exit 130, nothing written). Without a
terminal (or with --json), --kabupaten, --domain, --operator and --target-due are needed; a missing
one is an error (exit 2) that names it.

Examples:
  desa init                                   the form
  desa init --kabupaten "Aceh Utara" --domain desa.acehutarakab.go.id \\
    --operator "Dinas Komunikasi dan Informatika Kabupaten Aceh Utara" --target-due 2027-12-31
  desa init --kabupaten 32.75 --domain kelurahan.bekasikota.go.id \\
    --operator "Dinas Komunikasi dan Informatika Kota Bekasi" --target-due 2026-12-31 --out kota-bekasi/desa.yaml
  desa validate --file kota-bekasi/desa.yaml  then check it, and \`desa report\`, \`desa up\` as usual`,
    )
    .action(async (opts: Opts) => {
      const lang = FORM_LANGS.find((l) => l === opts.lang);
      if (!lang) throw new AbortError(`--lang: expected id (Bahasa Indonesia) or en; got "${opts.lang}".`, { exitCode: EXIT.usage, nextStep: 'See `desa init --help`.' });
      const { runInit } = await import('../init/init.ts');
      const ask = interactive() && !opts.json ? (await import('../init/interactive.ts')).askInit : undefined;
      const { plan, extractWritten } = await runInit(opts, opts.out, ask, lang);
      const s = plan.shape;
      const next = `desa validate --file ${opts.out}`;
      if (opts.json) {
        return emitJson({
          ok: true,
          file: opts.out,
          officialList: { file: plan.extract.path, written: extractWritten },
          kabupaten: { code: plan.region.code, name: plan.region.name, provinsi: plan.region.provinsi },
          units: s.units,
          desa: s.desa,
          kelurahan: s.kelurahan,
          kecamatan: s.kecamatan,
          next,
        });
      }
      const { describeShape } = await import('../init/plan.ts');
      log.success(`Wrote ${opts.out}: ${describeShape(plan.region, s)}.`);
      log.info(`  official list: ${plan.extract.path}${extractWritten ? '' : ' (already there, the same; kept)'}`);
      log.info(`Check it with: ${paint('bold', next)}; provision with \`desa up --file ${opts.out}\`.`);
    });
}
