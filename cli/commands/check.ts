import type { Command } from 'commander';
import { EXIT, ReportedError } from '../../core/errors.ts';
import { emit, emitJson, log } from '../ui/output.ts';
import { fileOption, jsonOption } from './options.ts';

export function registerCheck(program: Command): void {
  program
    .command('check')
    .description("Whether each desa is ready: its name, certificate, site, mailboxes, storage and link, probed live. Changes nothing but .desa/check.json.")
    .addOption(fileOption())
    .option('--only <slug...>', 'only these desa (slugs)')
    .addOption(jsonOption())
    .addHelpText(
      'after',
      `
One row per desa, each check ok, FAIL (with the reason under the row) or - (nothing to check):
  provisioned  its stack holds what \`desa up\` made for it
  dns          its name resolves in the authoritative DNS server (the local PowerDNS)
  tls          the certificate served for its name is valid, and how many days remain
               (not yet on the local servers, which serve plain HTTP: shown as -)
  site         http://<slug>.<domain>/ answers 200 with a page that names the desa
  mail         every mailbox logs in over IMAP with its generated password
  storage      its S3 key lists its bucket
  link         desa.yaml's connectivity: connected, or not (- when unknown)
A desa is ready when no check failed. The probes run concurrently against the local servers beside
the embedded cluster, with the credentials the stacks generated (the cluster's Secrets); no password or
key is printed. The result per desa, with its time, is kept in .desa/check.json, and \`desa report\` shows
it as the readiness of each desa.

--json prints { ok, file, checkedAt, durationMs, endpoints, counts: { units, ready, notReady },
units: [{ slug, code, name, kecamatan, ready, checks: { <check>: { state: ok|fail|n/a, detail } } }] }.

Exit code 0 when every desa checked is ready, 6 when at least one is not (the rows say why), 2 for an
unknown --only slug, 3 when desa.yaml is invalid, 4 when the check could not run (the local servers
never started here, or the stacks went to another cluster).

Examples:
  desa check
  desa check --only sumberjaya lambangsari
  desa check --json | jq '.units[] | select(.ready | not) | {slug, checks}'`,
    )
    .action(async (opts: { file: string; only?: string[]; json?: boolean }) => {
      const { runCheck } = await import('../check/check.ts');
      const { checkLines, summaryLine } = await import('../check/model.ts');
      const doc = await runCheck({
        file: opts.file,
        only: opts.only ?? [],
        env: process.env,
        onStart: (units, probes) => {
          if (!opts.json) log.step(`checking ${units} desa: ${probes} probes`);
        },
      });
      if (opts.json) emitJson(doc);
      else emit(checkLines(doc).join('\n'));
      if (doc.ok) {
        if (!opts.json) log.success(summaryLine(doc));
        return;
      }
      throw new ReportedError(EXIT.notReady, summaryLine(doc), 'Each FAIL names its reason under the desa; fix it (often `desa up --only SLUG`) and run `desa check` again.');
    });
}
