import type { Command } from 'commander';
import type { LocalExtras } from '../cluster/target.ts';
import type { RotateOptions } from '../engine/rotate.ts';
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

Exit codes: 0 rotated, 1 the desa is not provisioned, 2 wrong usage (unknown slug or account),
3 invalid desa.yaml, 4 the update failed, 130 interrupted.

Examples:
  desa rotate sumberjaya --account operator
  desa rotate sumberjaya                      every mailbox and the storage key
  desa rotate lambangjaya --account opensid-admin   OpenSID's administrator password
  desa credentials sumberjaya --force         then the new sheet`,
    )
    .action(async (slug: string, opts: Omit<StackFlags, 'only' | 'concurrency'> & { account?: string[] }) => {
      const [{ rotate }, { log }] = await Promise.all([import('../engine/rotate.ts'), import('../ui/output.ts')]);
      let rotated: string[] = [];
      await runStacks<RotateOptions<LocalExtras>>('up', { ...opts, only: [slug], concurrency: '1' }, { accounts: opts.account ?? [] }, async (o) => {
        const r = await rotate(o);
        rotated = r.rotated;
        return r;
      });
      if (!opts.json) log.success(`Rotated: ${rotated.join(', ')}. \`desa credentials ${slug} --force\` prints the new sheet.`);
    });
}
