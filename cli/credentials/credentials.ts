// `desa credentials SLUG`: the credential sheet of one desa, written to a file only its owner can read
// (mode 0600, never over an existing file unless asked), or to stdout when that is not a terminal.
// The target is checked before any secret is decrypted.
import { chmodSync, existsSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { AbortError, EXIT } from '../../core/errors.ts';
import { gatherSheetData } from './gather.ts';
import { renderCredentialSheet, type SheetData } from './sheet.ts';
import type { SheetLang } from './sheet-text.ts';

export const STDOUT = '-';

export interface CredentialsOptions {
  file: string;
  slug: string;
  /** A file path, STDOUT, or undefined for kredensial-<slug>.html in the working directory. */
  out: string | undefined;
  lang: SheetLang;
  force: boolean;
  stdoutIsTTY: boolean;
  env: NodeJS.ProcessEnv;
  now?: Date;
}

export interface CredentialsResult {
  /** The file written, or STDOUT. */
  out: string;
  /** The sheet, when it goes to stdout (the caller emits it); undefined when it was written to a file. */
  html: string | undefined;
  /** What it holds, without a secret: "3 mailboxes, storage, site". */
  summary: string;
}

export const defaultOut = (slug: string) => `kredensial-${slug}.html`;

/** What a sheet holds, for the line on stderr: counts and names only. */
export function sheetSummary(d: SheetData): string {
  const n = d.mail?.mailboxes.length ?? 0;
  return [n === 0 ? 'no mailboxes' : `${n} mailbox${n === 1 ? '' : 'es'}`, d.storage ? 'storage' : 'no storage', d.site ? 'site' : 'no site', ...(d.opensid ? ['OpenSID administrator'] : [])].join(', ');
}

function existsError(path: string): AbortError {
  return new AbortError(`${path} already exists; a credential sheet is never written over a file.`, {
    exitCode: EXIT.usage,
    nextStep: `Delete it if it is an old sheet, choose another --out, or pass --force to replace it.`,
  });
}

/** Writes `text` to `path` with mode 0600: exclusively (EEXIST is an error), or with `replace` through a renamed temporary file. */
export function writePrivateFile(path: string, text: string, opts: { replace: boolean }): void {
  const target = opts.replace ? join(dirname(path), `.${basename(path)}.${process.pid}.tmp`) : path;
  try {
    // 'wx' creates or fails, and never follows a symbolic link planted at the path.
    writeFileSync(target, text, { flag: 'wx', mode: 0o600 });
    chmodSync(target, 0o600); // whatever the umask left
    if (opts.replace) renameSync(target, path);
  } catch (e) {
    if (opts.replace) rmSync(target, { force: true });
    if ((e as NodeJS.ErrnoException).code === 'EEXIST' && !opts.replace) throw existsError(path);
    throw new AbortError(`cannot write ${path}: ${(e as Error).message}`, { exitCode: EXIT.usage, nextStep: 'Check that the directory exists and is writable.' });
  }
}

export async function writeCredentials(o: CredentialsOptions): Promise<CredentialsResult> {
  const out = o.out ?? defaultOut(o.slug);
  // Refuse what cannot be written before anything is decrypted.
  if (out === STDOUT && o.stdoutIsTTY) {
    throw new AbortError('--out -: stdout is a terminal, and a sheet of passwords is not shown on a screen.', {
      exitCode: EXIT.usage,
      nextStep: `Write it to a file (the default is ${defaultOut(o.slug)}), or pipe it to a printer or a file.`,
    });
  }
  if (out !== STDOUT && !o.force && existsSync(out)) throw existsError(out);
  const data = await gatherSheetData({ file: o.file, slug: o.slug, env: o.env });
  const html = renderCredentialSheet(data, { generatedAt: o.now ?? new Date(), lang: o.lang });
  if (out !== STDOUT) writePrivateFile(out, html, { replace: o.force });
  return { out, html: out === STDOUT ? html : undefined, summary: sheetSummary(data) };
}
