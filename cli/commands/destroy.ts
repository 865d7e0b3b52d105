import type { Command } from 'commander';
import { AbortError, EXIT } from '../../core/errors.ts';
import type { LocalExtras } from '../cluster/target.ts';
import type { DestroyOptions } from '../engine/offboard.ts';
import { concurrencyOption, lockWaitOption, runStacks, type StackFlags } from './run-stacks.ts';
import { fileOption, jsonOption } from './options.ts';

export function registerDestroy(program: Command): void {
  program
    .command('destroy')
    .description("Offboard desa: delete their stacks' resources. Their data is kept unless --delete-data.")
    .addOption(fileOption())
    .requiredOption('--only <slug...>', 'the desa to offboard (slugs, or stacks left by desa removed from desa.yaml)')
    .option('--delete-data', 'also delete the namespace, its volumes and the bucket claim, and remove the stack')
    .option('-y, --yes', 'do not ask for confirmation (needed without a terminal)')
    .addOption(concurrencyOption())
    .addOption(lockWaitOption())
    .option('--kubeconfig <path>', 'the cluster, instead of the local one')
    .option('--context <name>', 'the kubeconfig context to use')
    .addOption(jsonOption())
    .addHelpText(
      'after',
      `
Kept by default: the desa's namespace with its volumes, and its bucket claim (Pulumi's
--exclude-protected). Everything else (site, ingress, mailboxes, quotas, policies) is deleted.
A desa still in desa.yaml comes back with the next \`desa up\`; remove it from desa.yaml to offboard
it for good (\`desa up\` then destroys it the same way).

Asks for confirmation on a terminal; otherwise --yes is required.

Exit codes: 0 destroyed, 1 not confirmed, 2 wrong usage (no --only, unknown slug, no terminal and no
--yes), 3 invalid desa.yaml, 4 a destroy failed, 130 interrupted.

Examples:
  desa destroy --only sukamaju
  desa destroy --only sukamaju --delete-data --yes`,
    )
    .action(async (opts: StackFlags & { deleteData?: boolean; yes?: boolean }) => {
      const only = opts.only ?? [];
      if (!opts.yes) {
        const { interactive } = await import('../ui/output.ts');
        if (!interactive()) {
          throw new AbortError(`desa destroy needs --yes without a terminal: it deletes the resources of ${only.join(', ')}.`, {
            exitCode: EXIT.usage,
            nextStep: `desa destroy --only ${only.join(' ')}${opts.deleteData ? ' --delete-data' : ''} --yes`,
          });
        }
        const { confirm } = await import('../ui/confirm.ts');
        const what = opts.deleteData ? 'and DELETE THEIR DATA (volumes, bucket claim)' : '(their data is kept)';
        if (!(await confirm(`Destroy ${only.join(', ')} ${what}?`))) throw new AbortError('Nothing was destroyed.', { exitCode: EXIT.failure });
      }
      const { destroy } = await import('../engine/offboard.ts');
      await runStacks<DestroyOptions<LocalExtras>>('destroy', opts, opts.deleteData ? { deleteData: true } : {}, destroy);
    });
}
