import type { Command } from 'commander';
import { emit, emitJson, log } from '../ui/output.ts';
import { fileOption, jsonOption } from './options.ts';

export function registerOutputs(program: Command): void {
  program
    .command('outputs')
    .description('The stack outputs of one desa (or `platform`): URL, host, mailboxes, bucket, …')
    .argument('<slug>', 'a desa slug, or `platform`')
    .addOption(fileOption())
    .addOption(jsonOption())
    .option('--show-secrets', 'print secret outputs (mailbox passwords, storage keys) in plain text')
    .addHelpText(
      'after',
      `
Prints key: value lines (strings as they are, anything else as JSON), keys sorted, and on stderr the
last operation's result and when; after a failed one, a warning that the outputs are what it registered
and may not match what runs, with its log. Secret values show as "[secret]"; --show-secrets decrypts
them through the Pulumi engine. --json prints { ok, stack, lastUpdate, lastOperation: { kind, result,
startedAt, endedAt } | null, errorLog, outputs }.

Exit code 0; 1 when the desa is not provisioned (run \`desa up --only SLUG\`); 2 for an unknown slug;
3 when desa.yaml is invalid; 4 when the engine could not read the secrets.

Examples:
  desa outputs sumberjaya
  desa outputs platform --json | jq -r .outputs.ingressClass
  desa outputs sumberjaya --show-secrets --json | jq .outputs.mailPasswords`,
    )
    .action(async (slug: string, opts: { file: string; json?: boolean; showSecrets?: boolean }) => {
      const { readOutputs, outputLines, lastOperationLine } = await import('../engine/outputs.ts');
      if (opts.showSecrets) log.warn('--show-secrets: passwords and keys are printed in plain text.');
      const doc = await readOutputs({ file: opts.file, name: slug, showSecrets: Boolean(opts.showSecrets), env: process.env });
      if (opts.json) return emitJson(doc);
      const last = lastOperationLine(doc);
      if (last.failed) log.warn(last.text);
      else log.info(last.text);
      emit(outputLines(doc.outputs).join('\n'));
    });
}
