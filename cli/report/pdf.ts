// The PDF report: the HTML report printed by headless Chromium (Debian's chromium package), which
// honours the page's own @page rules (A4, margins, page numbers in the margin boxes). No library:
// Chromium prints by itself (--print-to-pdf). The page needs no network (its CSP forbids fetching).
import { accessSync, constants, copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { execa } from 'execa';
import { AbortError, EXIT, OperationFailedError } from '../../core/errors.ts';

const NAMES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'];

const executable = (path: string) => {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

/** $DESA_CHROMIUM when set (and only it), else the first Chromium on PATH; null when there is none. */
export function findChromium(env: NodeJS.ProcessEnv): string | null {
  if (env.DESA_CHROMIUM) return executable(env.DESA_CHROMIUM) ? env.DESA_CHROMIUM : null;
  for (const dir of (env.PATH ?? '').split(delimiter)) for (const name of NAMES) if (dir && executable(join(dir, name))) return join(dir, name);
  return null;
}

/** Prints `html` to the PDF file `out`. Throws OperationFailedError (exit 4) when Chromium is missing or fails. */
export async function printPdf(html: string, out: string, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const chromium = findChromium(env);
  if (!chromium) {
    throw new OperationFailedError(
      `Chromium is needed to print the report as PDF and was not found${env.DESA_CHROMIUM ? ` at DESA_CHROMIUM=${env.DESA_CHROMIUM}` : ' on PATH'}.`,
      "Install it (Debian: apt-get install chromium) or set DESA_CHROMIUM=/path/to/chrome; or write the report with --format html and print it from a browser.",
    );
  }
  const work = mkdtempSync(join(tmpdir(), 'desa-pdf-'));
  try {
    const page = join(work, 'laporan.html');
    const pdf = join(work, 'laporan.pdf');
    writeFileSync(page, html);
    const args = [
      '--headless',
      '--disable-gpu',
      '--no-first-run',
      '--no-default-browser-check',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-extensions',
      '--disable-sync',
      `--user-data-dir=${join(work, 'profile')}`,
      // The page numbers are the page's own (@page margin boxes), not Chromium's date-and-URL header.
      '--no-pdf-header-footer',
      `--print-to-pdf=${pdf}`,
      // Chromium refuses to run as root with its sandbox; the page is desa's own, with no script.
      ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
      pathToFileURL(page).href,
    ];
    const r = await execa(chromium, args, { env, reject: false, timeout: 120_000, stdin: 'ignore', all: true });
    if (r.exitCode !== 0 || !readable(pdf)) {
      const detail = (r.all ?? '').split('\n').filter((l) => l.trim() && !/^\/usr\/bin\/chromium: \d+: \[/.test(l)).slice(-3).join(' ');
      throw new OperationFailedError(`Chromium (${chromium}) could not print the PDF${r.timedOut ? ' within 2 minutes' : ''}: ${detail || `exit code ${r.exitCode}`}.`, 'Run `desa doctor` to check Chromium, or write --format html and print it from a browser.');
    }
    try {
      copyFileSync(pdf, out);
    } catch (e) {
      throw new AbortError(`cannot write ${out}: ${(e as Error).message}`, { exitCode: EXIT.usage, nextStep: 'Check that the directory exists and is writable.' });
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function readable(path: string): boolean {
  try {
    accessSync(path, constants.R_OK);
    return true;
  } catch {
    return false;
  }
}
