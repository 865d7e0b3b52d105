import type { Command } from 'commander';
import { emit, emitJson, log } from '../ui/output.ts';
import { fileOption, jsonOption } from './options.ts';

export function registerStatus(program: Command): void {
  program
    .command('status')
    .description('What is provisioned: the platform and each desa, from the stack state. Changes nothing.')
    .addOption(fileOption())
    .option('--only <slug...>', 'only these desa (slugs)')
    .addOption(jsonOption())
    .option('--show-secrets', 'also print secret outputs (mailbox passwords, storage keys) in plain text')
    .addHelpText(
      'after',
      `
One row per desa of desa.yaml: slug, kecamatan, state (provisioned, not provisioned, data kept,
updating, "update FAILED" when its last operation failed, or "cluster reset": applied to this
checkout's local cluster, which was reset or re-created since, so its objects are not there and
\`desa up\` provisions it again), last update, URL, site template (with what actually serves when that
differs), mailboxes; then stacks whose desa is no longer in desa.yaml, and a line for each stack whose
last operation failed, with its log. Reads the
checkpoint files of the file backend (.desa/state, or PULUMI_BACKEND_URL=file://…) directly, in well
under a second; other backends go through the Pulumi engine. Secrets show as "[secret]"; with
--show-secrets they are decrypted through the engine (slower) and printed under each row.

--json prints { ok, file, backend, platform, counts: { units, provisioned, updating, failed,
clusterGone, stacks, notInInventory }, units: [...], notInInventory: [...] }. Each stack: stack,
provisioned, dataKept, updateInProgress, clusterGone, cluster (the API server of its last update),
lastUpdate (ISO 8601 or null), lastOperation ({ kind, result: succeeded | failed | in-progress,
startedAt, endedAt } from the engine's history, or null; file backends only), errorLog, resourceCount,
outputs (null without a stack); each unit adds slug, code, name, kecamatan, url, siteTemplate (asked
for), siteRunning (templates with a ready workload, or served outside the cluster), mailboxes (a count).

Exit code 0 (also when nothing is provisioned yet), 2 for an unknown --only slug, 3 when desa.yaml is
invalid, 4 when the engine could not be used (another backend, or --show-secrets).

Examples:
  desa status
  desa status --only sumberjaya lambangsari
  desa status --json | jq '.units[] | select(.provisioned) | .slug'
  desa status --only sumberjaya --show-secrets`,
    )
    .action(async (opts: { file: string; only?: string[]; json?: boolean; showSecrets?: boolean }) => {
      const { readStatus, statusLines } = await import('../engine/status.ts');
      if (opts.showSecrets) log.warn('--show-secrets: passwords and keys are printed in plain text.');
      const { doc, secretKeys } = await readStatus({
        file: opts.file,
        only: opts.only ?? [],
        showSecrets: Boolean(opts.showSecrets),
        env: process.env,
      });
      if (opts.json) return emitJson(doc);
      if (doc.counts.stacks > 0) emit(statusLines(doc, secretKeys).join('\n'));
      else log.info(`Nothing provisioned yet (no stack in ${doc.backend}); run \`desa up\`.`);
    });
}
