import { type Command, Option } from 'commander';
import { AbortError } from '../errors.ts';
import { emit, emitJson } from '../ui/output.ts';
import { resolve } from 'node:path';
import { fileOption, jsonOption } from './options.ts';

const concurrencyOption = () =>
  new Option('--concurrency <n>', 'desa stacks run at the same time').default('2').argParser((v) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1 || n > 32) throw new AbortError(`--concurrency must be a whole number from 1 to 32, not "${v}".`);
    return String(n);
  });

export function registerUp(program: Command): void {
  program
    .command('up')
    .description('Provision the platform stack, then every desa (or those named by --only), with Pulumi.')
    .addOption(fileOption())
    .option('--only <slug...>', 'only these desa (slugs); the platform stack always runs first')
    .addOption(concurrencyOption())
    .option('--kubeconfig <path>', 'deploy to this cluster instead of the local one (kept in stack config: desa:* settings untouched)')
    .option('--context <name>', 'the kubeconfig context to use')
    .addOption(jsonOption())
    .addHelpText(
      'after',
      `
Without --kubeconfig/--context, starts the local cluster (desa cluster up) and deploys to it with every
platform service "existing". State: a Pulumi file backend in .desa/state beside desa.yaml, secrets
encrypted with PULUMI_CONFIG_PASSPHRASE(_FILE) or a passphrase generated once into .desa/passphrase.
Progress goes to stderr as [stack] lines, then a summary. A failing desa does not stop the others.

Exit code 0 when every stack succeeded, 2 for an unknown --only slug, 4 when a stack failed.

Examples:
  desa up
  desa up --only sumberjaya sukamaju --json
  desa up --kubeconfig ~/.kube/bekasi --context prod --concurrency 4`,
    )
    .action(async (opts: { file: string; only?: string[]; concurrency: string; kubeconfig?: string; context?: string; json?: boolean }) => {
      const { provision, summaryLines, failure } = await import('../engine/provision.ts');
      const s = await provision({
        file: resolve(opts.file),
        only: opts.only ?? [],
        concurrency: Number(opts.concurrency),
        ...(opts.kubeconfig ? { kubeconfig: resolve(opts.kubeconfig) } : {}),
        ...(opts.context ? { context: opts.context } : {}),
        env: process.env,
      });
      if (opts.json) emitJson(s);
      else emit(summaryLines(s).join('\n'));
      if (!s.ok) throw failure(s);
    });
}
