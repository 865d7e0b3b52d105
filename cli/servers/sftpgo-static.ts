// SFTPGo's web pages load browser libraries from {{StaticURL}}/vendor/, and that folder is not in the
// module the Go proxy serves: Go module zips leave out every folder named `vendor` (`go help modules`).
// Without it the web client's login form stays hidden (it is shown once i18next has translated the page).
// The same libraries come from the npm registry as dependencies of desa, under the very file names the
// templates ask for; this assembles SFTPGo's static folder once per version: every entry of the built
// piece's share/static linked, and vendor/ copied from node_modules. What npm does not publish is left
// out and said so (toolchain/NOTES-services.md): the Inter web font (the pages fall back to the system
// font), SFTPGo's own CodeMirror bundle (editing a text file in the browser) and its image viewer.
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** vendor/<path> → the npm package and its file. The versions are package.json's. */
export const SFTPGO_VENDOR: readonly { path: string; pkg: string; file: string }[] = [
  { path: 'i18next/i18next.min.js', pkg: 'i18next', file: 'dist/umd/i18next.min.js' },
  { path: 'i18next/jquery-i18next.min.js', pkg: 'jquery-i18next', file: 'dist/umd/jquery-i18next.min.js' },
  { path: 'i18next/i18nextBrowserLanguageDetector.min.js', pkg: 'i18next-browser-languagedetector', file: 'dist/umd/i18nextBrowserLanguageDetector.min.js' },
  { path: 'i18next/i18nextChainedBackend.min.js', pkg: 'i18next-chained-backend', file: 'dist/umd/i18nextChainedBackend.min.js' },
  { path: 'i18next/i18nextLocalStorageBackend.min.js', pkg: 'i18next-localstorage-backend', file: 'dist/umd/i18nextLocalStorageBackend.min.js' },
  { path: 'i18next/i18nextHttpBackend.min.js', pkg: 'i18next-http-backend', file: 'i18nextHttpBackend.min.js' },
  { path: 'pdfobject/pdfobject.min.js', pkg: 'pdfobject', file: 'pdfobject.min.js' },
  { path: 'papaparse/papaparse.min.js', pkg: 'papaparse', file: 'papaparse.min.js' },
  { path: 'file-saver/FileSaver.min.js', pkg: 'file-saver', file: 'dist/FileSaver.min.js' },
];

/** The project's node_modules (this file is cli/servers/). */
export const NODE_MODULES = join(import.meta.dirname, '..', '..', 'node_modules');

/** Where each vendor file comes from; a missing one is named (an incomplete `npm ci`). */
export function vendorSources(nodeModules = NODE_MODULES): { path: string; source: string }[] {
  return SFTPGO_VENDOR.map((v) => {
    const source = join(nodeModules, v.pkg, v.file);
    if (!existsSync(source)) throw new Error(`SFTPGo's web pages need ${v.file} of the npm package ${v.pkg}, which is not in ${nodeModules}: run \`npm ci\``);
    return { path: v.path, source };
  });
}

/** Fills `dest` (new, empty): share/static's entries linked, vendor/ copied. */
export function assembleStatic(shareStatic: string, dest: string, nodeModules = NODE_MODULES): void {
  const sources = vendorSources(nodeModules);
  mkdirSync(dest, { recursive: true });
  for (const entry of readdirSync(shareStatic)) if (entry !== 'vendor') symlinkSync(join(shareStatic, entry), join(dest, entry));
  for (const { path, source } of sources) {
    mkdirSync(dirname(join(dest, 'vendor', path)), { recursive: true });
    copyFileSync(source, join(dest, 'vendor', path));
  }
}

/** A name for the assembled folder that changes with SFTPGo's version and any vendor package's: a new one is assembled then. */
export function staticFolder(sftpgoVersion: string, nodeModules = NODE_MODULES): string {
  const versions = [...new Set(SFTPGO_VENDOR.map((v) => v.pkg))].map((pkg) => {
    try {
      return `${pkg}@${(JSON.parse(readFileSync(join(nodeModules, pkg, 'package.json'), 'utf8')) as { version: string }).version}`;
    } catch {
      return `${pkg}@none`;
    }
  });
  const key = createHash('sha256').update(JSON.stringify([SFTPGO_VENDOR, versions])).digest('hex').slice(0, 12);
  return `static-${sftpgoVersion}-${key}`;
}
