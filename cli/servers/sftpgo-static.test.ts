import { cpSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseVersionsEnv } from '../toolchain/pins.ts';
import { sftpgoSettings } from './sftpgo.ts';
import { assembleStatic, NODE_MODULES, SFTPGO_VENDOR, staticFolder } from './sftpgo-static.ts';

const ROOT = join(import.meta.dirname, '..', '..');

describe("SFTPGo's static folder, with the vendor/ the Go module lacks", () => {
  const share = mkdtempSync(join(tmpdir(), 'sftpgo-share-'));
  mkdirSync(join(share, 'assets', 'js'), { recursive: true });
  writeFileSync(join(share, 'assets', 'js', 'scripts.bundle.js'), '// sftpgo');
  writeFileSync(join(share, 'favicon.png'), 'png');

  it('every file the web pages load from vendor/ is there, from the npm packages, beside share/static', () => {
    const dest = join(mkdtempSync(join(tmpdir(), 'sftpgo-static-')), 'static');
    assembleStatic(share, dest);
    expect(readlinkSync(join(dest, 'assets'))).toBe(join(share, 'assets'));
    expect(lstatSync(join(dest, 'favicon.png')).isSymbolicLink()).toBe(true);
    // What the login page loads first: without it the form stays hidden.
    expect(readFileSync(join(dest, 'vendor/i18next/i18next.min.js'), 'utf8')).toMatch(/i18next/);
    for (const v of SFTPGO_VENDOR) expect(existsSync(join(dest, 'vendor', v.path)), v.path).toBe(true);
  });

  it('names what is missing when node_modules lacks a package, and assembles nothing', () => {
    const partial = mkdtempSync(join(tmpdir(), 'nm-'));
    cpSync(join(NODE_MODULES, 'i18next'), join(partial, 'i18next'), { recursive: true });
    const dest = join(mkdtempSync(join(tmpdir(), 'sftpgo-static-')), 'static');
    expect(() => assembleStatic(share, dest, partial)).toThrow(/npm package jquery-i18next.*npm ci/);
    expect(existsSync(dest)).toBe(false);
  });

  it('a new SFTPGo or package version gets a new folder; the same ones the same', () => {
    const nm = mkdtempSync(join(tmpdir(), 'nm-'));
    for (const pkg of new Set(SFTPGO_VENDOR.map((v) => v.pkg))) cpSync(join(NODE_MODULES, pkg, 'package.json'), join(nm, pkg, 'package.json'), { recursive: true });
    const before = staticFolder('v2.7.5', nm);
    expect(staticFolder('v2.7.5', nm)).toBe(before);
    expect(staticFolder('v2.7.6', nm)).not.toBe(before);
    const pj = join(nm, 'i18next', 'package.json');
    writeFileSync(pj, JSON.stringify({ ...JSON.parse(readFileSync(pj, 'utf8')), version: '99.0.0' }));
    expect(staticFolder('v2.7.5', nm)).not.toBe(before);
  });

  it("is named after the SFTPGo that toolchain/versions.env pins", () => {
    const pinned = parseVersionsEnv(readFileSync(join(ROOT, 'toolchain', 'versions.env'), 'utf8')).SFTPGO_VERSION;
    expect(String(sftpgoSettings({ dir: '/d', built: () => '/b', ports: { files: 1, webdav: 2 }, kabupaten: 'K' } as never).version)).toBe(pinned);
  });
});
