import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { desa } from '../../test/helpers/cli.ts';
import { edit, shippedText, tempInventory } from '../../test/helpers/inventory.ts';
import { InvalidInputError } from '../errors.ts';
import { inventoryCacheDir, loadInventoryCached } from './cache.ts';
import { loadInventory } from './load.ts';

const cacheIn = () => join(mkdtempSync(join(tmpdir(), 'desa-cache-')), 'inventory');
const SUMBERJAYA = 'slug: sumberjaya\n';
const noted = (note: string) => edit(shippedText(), SUMBERJAYA, `slug: sumberjaya\n    notes: ${note}\n`);

describe('the inventory cache of the read-only commands', () => {
  it('gives, from the cache, exactly what a full load gives', () => {
    const { file } = tempInventory();
    const dir = cacheIn();
    const first = loadInventoryCached(file, dir);
    const second = loadInventoryCached(file, dir);
    expect([first.hit, second.hit]).toEqual([false, true]);
    expect(second.inventory).toEqual(loadInventory(file).inventory);
    expect(second.inventory.units).toHaveLength(187);
  });

  it('gives the same from the cache when slugs are worked out from the whole file and text is outside ASCII', () => {
    // No slug pinned: each is derived here (the cache keeps them, since a slug depends on the whole file).
    const text = noted('jaringan “baru” – Regapu’u 😀').replace(/^ {4}slug: .*\n/gm, '');
    const { file } = tempInventory(text);
    const dir = cacheIn();
    loadInventoryCached(file, dir);
    const hit = loadInventoryCached(file, dir);
    expect(hit.hit).toBe(true);
    const full = loadInventory(file).inventory;
    expect(hit.inventory).toEqual(full);
    expect(new Set(full.units.map((u) => u.slug)).size).toBe(187);
    expect(hit.inventory.units.find((u) => u.code === '32.16.06.2010')?.notes).toBe('jaringan “baru” – Regapu’u 😀');
    // Written in ASCII, so that it reads back one byte per character.
    const [entry] = readdirSync(dir);
    expect(readFileSync(join(dir, entry!), 'utf8')).toMatch(/^[\x00-\x7e]*$/);
  });

  it('reads an edited file afresh: the edit shows at once', () => {
    const { file } = tempInventory();
    const dir = cacheIn();
    loadInventoryCached(file, dir);
    writeFileSync(file, noted('jaringan baru'));
    const after = loadInventoryCached(file, dir);
    expect(after.hit).toBe(false);
    expect(after.inventory.units.find((u) => u.code === '32.16.06.2010')?.notes).toBe('jaringan baru');
  });

  it('never caches an invalid file: each run reports its problems again', () => {
    const { file } = tempInventory(edit(shippedText(), 'domain: desa.bekasikab.go.id', 'domain: "not a domain"'));
    const dir = cacheIn();
    for (let i = 0; i < 2; i++) expect(() => loadInventoryCached(file, dir)).toThrow(InvalidInputError);
    expect(() => readdirSync(dir)).toThrow(); // nothing was written, not even the folder
  });

  it('checks the official list on every hit: a unit it no longer lists is an error, not a stale answer', () => {
    // Through the CLI: a process reads an official list once, so the second read must be a new process.
    const { dir: home, file } = tempInventory();
    const env = { DESA_CACHE: mkdtempSync(join(tmpdir(), 'desa-cache-')) };
    const report = () => desa(['report', '--format', 'json', '--no-state', '--file', file], { env });
    expect(report().code).toBe(0);
    expect(readdirSync(join(env.DESA_CACHE, 'inventory'))).toHaveLength(1);
    expect(JSON.parse(report().stdout).overall.units).toBe(187); // from the cache, the same answer
    const csv = join(home, 'data/kepmendagri-2025-bekasi.csv');
    writeFileSync(csv, readFileSync(csv, 'utf8').split('\n').filter((l) => !l.startsWith('32.16.06.2010')).join('\n'));
    const stale = report();
    expect(stale.code).toBe(3);
    expect(stale.stderr).toMatch(/32\.16\.06\.2010/);
  });

  it('keeps its entries to the owner (they hold contact phone numbers), and at most eight of them', () => {
    const dir = cacheIn();
    for (let i = 0; i < 10; i++) {
      const { file } = tempInventory(noted(`catatan ${i}`));
      loadInventoryCached(file, dir);
    }
    const entries = readdirSync(dir);
    expect(entries).toHaveLength(8);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    for (const e of entries) expect(statSync(join(dir, e)).mode & 0o777).toBe(0o600);
  });

  it('is off with DESA_INVENTORY_CACHE=off', () => {
    expect(inventoryCacheDir('/c', { DESA_INVENTORY_CACHE: 'off' })).toBeUndefined();
    expect(inventoryCacheDir('/c', {})).toBe('/c/inventory');
  });
});
