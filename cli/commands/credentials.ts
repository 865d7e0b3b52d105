import { type Command, Option } from 'commander';
import { emit, log } from '../ui/output.ts';
import { fileOption } from './options.ts';

export function registerCredentials(program: Command): void {
  program
    .command('credentials')
    .description('A printable credential sheet of one desa (HTML, in Bahasa Indonesia): mailbox passwords, storage keys, site')
    .argument('<slug>', 'a desa slug')
    .addOption(fileOption())
    .option('-o, --out <file>', 'where to write it (default: kredensial-SLUG.html here); - for stdout, when it is not a terminal')
    .addOption(new Option('--lang <lang>', 'id (Bahasa Indonesia) or en').choices(['id', 'en']).default('id'))
    .option('--force', 'replace an existing file')
    .addHelpText(
      'after',
      `
One self-contained HTML page, printable on A4: the address and password of each mailbox with the mail
app settings, the storage endpoint, bucket and keys with how to connect, the site's address, safety
rules and a handover box to sign. The secrets are decrypted through the Pulumi engine for this desa's
stack only. The file is created with mode 0600 and never over an existing file unless --force. Print
it, hand it over, then delete the file. Nothing secret is written to stderr.

Exit code 0; 1 when the desa (or the platform) is not provisioned (run \`desa up --only SLUG\`);
2 for an unknown slug, a file that exists, or --out - on a terminal; 3 when desa.yaml is invalid;
4 when the secrets could not be decrypted (the passphrase, the engine).

Examples:
  desa credentials sumberjaya                          writes kredensial-sumberjaya.html
  desa credentials sumberjaya --out /media/usb/sumberjaya.html --force
  desa credentials sumberjaya --out - | gpg -e -r operator@contohkab.go.id > sumberjaya.html.gpg
  desa credentials sumberjaya --lang en --out sumberjaya-en.html`,
    )
    .action(async (slug: string, opts: { file: string; out?: string; lang: 'id' | 'en'; force?: boolean }) => {
      const { writeCredentials, STDOUT } = await import('../credentials/credentials.ts');
      const r = await writeCredentials({
        file: opts.file,
        slug,
        out: opts.out,
        lang: opts.lang,
        force: Boolean(opts.force),
        stdoutIsTTY: Boolean(process.stdout.isTTY),
        env: process.env,
      });
      if (r.out !== STDOUT) {
        log.success(`Wrote ${r.out} (mode 0600): ${r.summary}. It holds passwords: print it, hand it over, then delete the file.`);
        return;
      }
      emit(r.html!);
      log.success(`Wrote the credential sheet to stdout: ${r.summary}. It holds passwords: print it, hand it over, then delete every copy.`);
    });
}
