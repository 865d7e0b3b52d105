import type { Command } from 'commander';
import type { LocalExtras } from '../cluster/target.ts';
import type { RotateOptions, Rotation } from '../engine/rotate.ts';
import { lockWaitOption, runStacks, type StackFlags } from './run-stacks.ts';
import { fileOption, jsonOption } from './options.ts';

export function registerRotate(program: Command): void {
  program
    .command('rotate')
    .description("Replace a desa's generated passwords (mailboxes, OpenSID) or storage key with new ones, through its stack.")
    .argument('<slug>', 'the desa')
    .addOption(fileOption())
    .option('--account <role...>', 'only these accounts: mailbox roles (kepala-desa, operator, …), storage, opensid-db (its database) or opensid-admin (its administrator); default: all of them')
    .option('--kubeconfig <path>', 'the cluster, instead of the local one')
    .option('--context <name>', 'the kubeconfig context to use')
    .addOption(lockWaitOption())
    .addOption(jsonOption())
    .addHelpText(
      'after',
      `
One update of the desa's stack with desa:rotate set: the named Secrets take a freshly generated value,
kept from then on like the first one. The new values are never printed: hand them over with
\`desa credentials SLUG\`, which prints a new sheet.

Every new credential that the update put in place is named, with the sheet to hand over, even when the
rest of the desa's update failed (a change elsewhere in the desa that cannot be applied): the summary
then says what was rotated and why the rest failed (--json: rotated, notRotated, stackError).

Exit codes: 0 rotated (also when the rest of the update failed: every new credential is live),
1 the desa is not provisioned, 2 wrong usage (unknown slug or account), 3 invalid desa.yaml, 4 a
credential was not rotated (the old one still works), 130 interrupted.

Examples:
  desa rotate sumberjaya --account operator
  desa rotate sumberjaya                      every mailbox and the storage key
  desa rotate lambangjaya --account opensid-admin   OpenSID's administrator password
  desa credentials sumberjaya --force         then the new sheet`,
    )
    .action(async (slug: string, opts: Omit<StackFlags, 'only' | 'concurrency'> & { account?: string[] }) => {
      const [{ rotate }, { log }] = await Promise.all([import('../engine/rotate.ts'), import('../ui/output.ts')]);
      let r: Rotation | undefined;
      try {
        await runStacks<RotateOptions<LocalExtras>>('up', { ...opts, only: [slug], concurrency: '1' }, { accounts: opts.account ?? [] }, async (o) => (r = await rotate(o)));
      } finally {
        // What changed, whatever else failed: a credential that is live needs a new sheet.
        if (r && !opts.json) {
          if (r.rotated.length > 0) {
            log.success(`Rotated: ${r.rotated.join(', ')}. The new credentials work now and the old ones no longer: hand over a new sheet, \`desa credentials ${slug} --force\`.`);
          }
          if (r.notRotated.length > 0) log.warn(`Not rotated, the old credentials still work: ${r.notRotated.join(', ')}.`);
          if (r.stackError && r.notRotated.length === 0) {
            log.warn(`The rest of ${slug}'s update failed (${r.stackError}); fix that and run \`desa up --only ${slug}\`: the summary names its log.`);
          }
        }
      }
    });
}
