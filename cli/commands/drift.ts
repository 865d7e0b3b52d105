import type { Command } from 'commander';
import type { LocalExtras } from '../cluster/target.ts';
import type { EngineOptions } from '../engine/context.ts';
import { concurrencyOption, lockWaitOption, runStacks, type StackFlags } from './run-stacks.ts';
import { fileOption, jsonOption } from './options.ts';

export function registerDrift(program: Command): void {
  program
    .command('drift')
    .description('Compare every stack with the cluster (a refresh preview): what is gone, changed or added by hand. Changes nothing.')
    .addOption(fileOption())
    .option('--only <slug...>', 'only these desa (slugs); the platform stack is always compared first')
    .addOption(concurrencyOption())
    .addOption(lockWaitOption())
    .option('--kubeconfig <path>', 'compare with this cluster instead of the local one')
    .option('--context <name>', 'the kubeconfig context to use')
    .addOption(jsonOption())
    .addHelpText(
      'after',
      `
Each stack is refreshed in preview mode (\`pulumi refresh --preview-only\`): its state is read against
the cluster and neither is changed. Reported per desa: objects of its state gone from the cluster (a
namespace or a mailbox Secret deleted with kubectl, a cluster reset), objects changed by hand (the
fields that differ), and objects added by hand in the namespaces desa owns (or labelled for that desa
in the platform namespace). \`desa up --refresh\` repairs what is gone or changed; objects added by
hand are yours to delete or describe in desa.yaml. Meant for a scheduled CI job (README: Drift).

--json: the run's summary; each stack's .drift lists { kind: gone|changed|added, type, name, fields }.

Exit codes: 0 no drift, 5 drift found (nothing failed), 2 wrong usage, 3 invalid desa.yaml, 4 a
stack could not be compared, 130 interrupted.

Examples:
  desa drift
  desa drift --only sumberjaya lambangsari
  desa drift --json | jq '.stacks[] | select(.drift | length > 0) | {stack, drift}'
  desa drift || desa up --refresh`,
    )
    .action(async (opts: StackFlags) => {
      const { drift } = await import('../engine/drift.ts');
      await runStacks<EngineOptions<LocalExtras>>('drift', opts, {}, drift);
    });
}
