// The desa CLI: commander program, commands registered from cli/commands, and the single error
// handler that turns errors into text and exit codes.
import { Command, CommanderError } from 'commander';
import { AbortError, EXIT, InvalidInputError, ReportedError } from '../core/errors.ts';
import { interruptHandler } from './interrupt.ts';
import { commands } from './commands/index.ts';
import { emitJson, log, paint } from './ui/output.ts';

const program = new Command('desa')
  .description(
    'Provision and report the digital services of the desa and kelurahan of a kabupaten or kota ' +
      '(desa.yaml; `desa init` writes one for any of the 514): mailboxes, storage, a subdomain and a ' +
      'site per desa, with Pulumi on Kubernetes.',
  )
  .version('0.1.0', '-V, --version')
  .showSuggestionAfterError(true)
  .exitOverride()
  .configureOutput({ outputError: (str, write) => write(str) })
  .addHelpText(
    'after',
    `
Examples:
  desa init --kabupaten 32.75 --domain … --operator … --target-due 2026-12-31
                                      a new desa.yaml for Kota Bekasi (any kabupaten or kota; a form on a TTY)
  desa validate                       check desa.yaml against the schema and the official codes
  desa report --format html --out laporan.html
  desa onboard --code 32.16.06.2002   complete a desa's entry (an ink form on a TTY)
  desa up                             provision every desa (on a local cluster unless --kubeconfig)
  desa status                         what is provisioned, from the stacks' state
  desa check                          whether each desa's name, site, mailboxes and storage work, live

Exit codes: 0 ok, 1 unexpected failure, 2 wrong usage, 3 invalid input (nothing changed),
4 an operation failed, 6 a desa is not ready (check), 130 interrupted. See README.md.`,
  );

for (const register of commands) register(program);
for (const cmd of program.commands) cmd.exitOverride();

/** How many lines of a failed command's diagnostic a terminal shows under the message (--json has all). */
const DETAIL_LINES = 20;

/** Maps any error to output and an exit code. The only place that decides exit codes. */
export function handle(error: unknown, json: boolean): number {
  if (error instanceof CommanderError) {
    // Help and version "errors" are successes; everything else commander rejects is a usage error.
    if (error.exitCode === 0 || error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return EXIT.ok;
    return EXIT.usage;
  }
  if (error instanceof InvalidInputError) {
    if (json) emitJson({ ok: false, error: error.message, file: error.file, problems: error.problems });
    else {
      const limit = 100;
      process.stderr.write(`${error.render(limit)}\n`);
      if (error.problems.length > limit) log.info(`… and ${error.problems.length - limit} more (--json lists all).`);
      log.error(error.message);
      if (error.nextStep) log.info(error.nextStep);
    }
    return error.exitCode;
  }
  if (error instanceof ReportedError) {
    // The result is already on stdout; --json readers have it there and get no second document.
    if (!json) {
      log.error(error.message);
      if (error.nextStep) log.info(error.nextStep);
    }
    return error.exitCode;
  }
  if (error instanceof AbortError) {
    if (json) emitJson({ ok: false, error: error.message, nextStep: error.nextStep ?? null, ...(error.detail ? { detail: error.detail } : {}) });
    else {
      // An interruption the person asked for (Esc in a form) is said plainly, not as an error.
      if (error.exitCode === EXIT.interrupted) log.info(error.message);
      else log.error(error.message);
      if (error.detail && error.detail.includes('\n')) {
        // The message holds the diagnostic's summary line; the lines before it are often the reason.
        const lines = error.detail.split('\n');
        process.stderr.write(`${paint('dim', lines.slice(-DETAIL_LINES).map((l) => `    ${l}`).join('\n'))}\n`);
      }
      if (error.nextStep) log.info(error.nextStep);
    }
    return error.exitCode;
  }
  // Anything else is a bug: show the stack, since the user cannot fix it.
  log.error(`unexpected failure: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  log.info(paint('dim', 'This is a bug in desa. Please report it with the command you ran.'));
  return EXIT.failure;
}

// A closed pipe (`desa report | head`) is the reader's choice, not a failure.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? EXIT.ok);
    throw e;
  });
}

// Ctrl-C: a long operation that registered itself stops cleanly (cli/interrupt.ts); anything else just ends.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (interruptHandler()?.(signal)) return;
    log.info('Interrupted.');
    process.exit(EXIT.interrupted);
  });
}

try {
  await program.parseAsync(process.argv);
} catch (error) {
  process.exitCode = handle(error, process.argv.includes('--json'));
}
