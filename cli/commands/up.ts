import type { Command } from 'commander';
import type { LocalExtras } from '../cluster/target.ts';
import type { UpOptions } from '../engine/up.ts';
import { concurrencyOption, lockWaitOption, runStacks, shardOption, type StackFlags } from './run-stacks.ts';
import { fileOption, jsonOption } from './options.ts';

export function registerUp(program: Command): void {
  program
    .command('up')
    .description('Provision the platform stack, then every desa (or those named by --only), with Pulumi.')
    .addOption(fileOption())
    .option('--only <slug...>', 'only these desa (slugs); the platform stack always runs first')
    .addOption(concurrencyOption())
    .addOption(lockWaitOption())
    .addOption(shardOption())
    .option('--refresh', "refresh each stack's state from the cluster before updating it")
    .option('--release-data <name...>', 'let the update delete these protected resources (data), named as a failed up or plan named them')
    .option('--kubeconfig <path>', 'deploy to this cluster instead of the local one')
    .option('--context <name>', 'the kubeconfig context to use')
    .addOption(jsonOption())
    .addHelpText(
      'after',
      `
Without --kubeconfig/--context, starts the local cluster (desa cluster up) and deploys to it with every
platform service "existing": the loopback mail, DNS, web and S3 servers beside it, to which the stacks'
mailboxes, names, sites and buckets are applied after the run (--json: .services). State: a Pulumi file backend in .desa/state beside desa.yaml (or
PULUMI_BACKEND_URL), secrets encrypted with PULUMI_CONFIG_PASSPHRASE(_FILE) or a passphrase generated
once into .desa/passphrase (mode 0600).

Without --only, a stack whose desa is no longer in desa.yaml is destroyed; its data (namespace,
volumes, bucket claim) is kept.

A change that would delete a desa's data (a volume of a site template left behind, say) stops there
and says which data would be lost; everything else it changed is in place, and the rest of the desa
keeps working. --release-data NAME lets the next update delete exactly that resource (the name the
message gives). A volume claim that never bound holds nothing and is released without asking.

A failing desa does not stop the others; its cause is printed whole and its log kept in
.desa/work/<slug>/last-error.log. A run that was killed is recovered by the next one: its stale lock
is cancelled and pending operations are cleared.
Another run holding a stack (a second \`desa up\` at the same time): desa waits for it (--lock-wait,
default 300 s), saying who holds it; past that the stack fails, naming the holder (process, host,
since when) and what to do. A stack last applied to another cluster (the local one reset with
\`desa cluster down --reset\`, or a kubeconfig now naming another) is refreshed before it is updated, so
what that cluster lacks is created again; its summary line says so.

--shard K/N runs this runner's share of the desa (N runners, CI matrix jobs, with the same commit,
desa.yaml, flags, PULUMI_BACKEND_URL and passphrase): a desa's shard depends only on its name and N.
Shard 1 runs the platform stack; the others wait (up to --lock-wait) until the backend shows it in place
for their inputs. A last line says what the shard ran (--json: .shard). Not with --only.

Progress: an ink view on a terminal, "[stack] …" lines on stderr otherwise; then a summary on stdout
(--json: the whole result). Ctrl-C stops cleanly: no new stack starts, running ones stop and release
their locks; a second Ctrl-C quits at once.

Exit codes: 0 every stack succeeded, 2 wrong usage (unknown --only slug, a --release-data name that is
no protected resource of the stacks run, --shard not K/N), 3 invalid desa.yaml, 4 a stack failed,
130 interrupted.

Examples:
  desa up
  desa up --only sumberjaya sukamaju --json
  desa up --only lambangjaya --release-data lambangjaya-site-opensid-files
  desa up --shard 2/3 --lock-wait 900
  desa up --kubeconfig ~/.kube/diskominfo --context prod --concurrency 8`,
    )
    .action(async (opts: StackFlags & { refresh?: boolean; releaseData?: string[] }) => {
      const { up } = await import('../engine/up.ts');
      await runStacks<UpOptions<LocalExtras>>('up', opts, { ...(opts.refresh ? { refresh: true } : {}), ...(opts.releaseData ? { releaseData: opts.releaseData } : {}) }, up);
    });
}
