import type { Command } from 'commander';
import type { LocalExtras } from '../cluster/target.ts';
import type { EngineOptions } from '../engine/context.ts';
import { concurrencyOption, lockWaitOption, runStacks, shardOption, type StackFlags } from './run-stacks.ts';
import { fileOption, jsonOption } from './options.ts';

export function registerPlan(program: Command): void {
  program
    .command('plan')
    .description('Preview what `desa up` would change, stack by stack (create / update / delete / unchanged). Changes nothing.')
    .addOption(fileOption())
    .option('--only <slug...>', 'only these desa (slugs); the platform stack is always previewed first')
    .addOption(concurrencyOption())
    .addOption(lockWaitOption())
    .addOption(shardOption())
    .option('--kubeconfig <path>', 'preview against this cluster instead of the local one')
    .option('--context <name>', 'the kubeconfig context to use')
    .addOption(jsonOption())
    .addHelpText(
      'after',
      `
A real Pulumi preview of each stack against the cluster (the local one is started if it is not
running). Stacks of desa no longer in desa.yaml are listed with what \`desa up\` would delete.
The summary names every stack that would change and, under it, every resource it would delete,
replace, update or create (deletes first), with a warning where a change means more than its line: a
mailbox removed stops working while its Maildir is kept. A preview that fails shows its whole cause.
--json gives each stack's changes, steps ({ op, kind, name, type, urn, object: { name, namespace } })
and warnings.
--shard K/N previews this runner's share, as \`desa up --shard K/N\` would run it (shard 1 also the
platform).

Exit codes: 0 the preview ran (whether or not there are changes), 2 wrong usage, 3 invalid desa.yaml,
4 a preview failed, 130 interrupted.

Examples:
  desa plan
  desa plan --only sumberjaya --json | jq '.stacks[] | {stack, changes}'
  desa plan --json | jq '.stacks[].steps[]? | select(.op == "delete")'`,
    )
    .action(async (opts: StackFlags) => {
      const { plan } = await import('../engine/offboard.ts');
      await runStacks<EngineOptions<LocalExtras>>('plan', opts, {}, plan);
    });
}
