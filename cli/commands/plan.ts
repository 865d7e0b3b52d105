import type { Command } from 'commander';
import type { LocalExtras } from '../cluster/target.ts';
import type { EngineOptions } from '../engine/context.ts';
import { Option } from 'commander';
import { AbortError } from '../../core/errors.ts';
import { WEEKLY_ALLOWANCE } from '../engine/certificate-budget.ts';
import type { PlanOptions } from '../engine/offboard.ts';
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
    .addOption(
      new Option('--allow-certificates <n>', `let this run take up to N new certificates this week (0–${WEEKLY_ALLOWANCE}) instead of desa.yaml's kabupaten.certificates.weeklyShare`).argParser((v) => {
        const n = Number(v);
        if (!Number.isInteger(n) || n < 0 || n > WEEKLY_ALLOWANCE) throw new AbortError(`--allow-certificates must be a whole number from 0 to ${WEEKLY_ALLOWANCE} (Let's Encrypt's weekly allowance), not "${v}".`);
        return n;
      }),
    )
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

Certificates: the summary says how many new certificates the run would order (one wildcard + apex
serves every desa: a Certificate the preview creates, replaces or updates, or the local CA's wildcard
when none valid is held) and how many were issued in the last 7 days, as far as the state knows.
Let's Encrypt allows 50 a week per registered domain (bekasikab.go.id under go.id, shared with every
other service of the Kabupaten); a plan above desa.yaml's kabupaten.certificates.weeklyShare (default
10) is refused with exit 7 unless --allow-certificates N allows it. --json: .certificates.

Exit codes: 0 the preview ran (whether or not there are changes), 2 wrong usage, 3 invalid desa.yaml,
4 a preview failed, 7 it would order more new certificates than allowed this week, 130 interrupted.

Examples:
  desa plan
  desa plan --only sumberjaya --json | jq '.stacks[] | {stack, changes}'
  desa plan --json | jq '.stacks[].steps[]? | select(.op == "delete")'`,
    )
    .action(async (opts: StackFlags & { allowCertificates?: number }) => {
      const { plan } = await import('../engine/offboard.ts');
      await runStacks<PlanOptions<LocalExtras>>('plan', opts, opts.allowCertificates === undefined ? {} : { allowCertificates: opts.allowCertificates }, plan);
    });
}
