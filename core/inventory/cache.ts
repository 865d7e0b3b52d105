// A cache of validated inventories, for the commands that only read one (report, status, outputs).
// Reading the national inventory (83,762 units) costs about 2 s: the YAML parse, the official list, the
// schema, the checks and the resolution. An entry holds the validated file (the schema's output, before
// resolution: a third of the size of the resolved inventory, so it reads back faster than that would)
// and what resolution takes from the official list (each unit's kabupaten/kota) and works out from the
// whole file (each unit's slug); a hit only resolves each unit, which is pure and quick. The entry is
// written in ASCII (other characters as \u escapes): a text with one name such as "Regapu’u" would
// otherwise be read back two bytes per character, and parse slower. An entry is keyed by everything
// the result depends on: the file's bytes and path, the source of this package (a changed rule is a
// changed key), and it names the official list it was checked against, with that list's hash, which
// is checked on every hit. A file that fails validation is never cached: every run reports it afresh.
// `desa validate` does not use the cache: it always checks.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { loadInventory, type LoadOptions } from './load.ts';
import type { Inventory } from './model.ts';
import type { OfficialList, OfficialUnit } from './official.ts';
import { resolveInventory } from './resolve.ts';
import type { InventoryFile } from './schema.ts';

/** Entries kept; the oldest are removed beyond this. */
const KEEP = 8;
const FORMAT = 3;

interface Entry {
  format: number;
  official: { path: string; sha256: string };
  /** The validated file. */
  raw: InventoryFile;
  /** Each unit's slug, in the order of raw.units. */
  slugs: string[];
  /** Each unit's kabupaten/kota from its official entry (null: none), in the order of raw.units. */
  kabupatenKota: (string | null)[];
}

let codeHash: string | undefined;
/** The hash of this package's source: a rule changed by an upgrade or an edit is a different key. */
function sourceHash(): string {
  if (codeHash) return codeHash;
  const h = createHash('sha256');
  const dir = import.meta.dirname;
  for (const name of readdirSync(dir).filter((n) => n.endsWith('.ts') && !n.endsWith('.test.ts')).sort()) {
    h.update(name).update('\0').update(readFileSync(join(dir, name))).update('\0');
  }
  codeHash = h.digest('hex');
  return codeHash;
}

const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');

export interface CachedLoad {
  inventory: Inventory;
  /** Whether it came from the cache. */
  hit: boolean;
}

/**
 * loadInventory for readers: the same result and the same errors, from `dir` when this exact file
 * was validated before against the same rules and official list. `dir` undefined: no cache.
 */
export function loadInventoryCached(file: string, dir: string | undefined, opts: LoadOptions = {}): CachedLoad {
  let key: string | undefined;
  if (dir) {
    try {
      key = sha256(`${FORMAT}\0${sourceHash()}\0${resolve(file)}\0${file}\0${opts.maxBytes ?? process.env.DESA_MAX_INVENTORY_MB ?? ''}\0${sha256(readFileSync(file))}`);
      const entry = JSON.parse(readFileSync(join(dir, `${key}.json`), 'utf8')) as Entry;
      if (entry.format === FORMAT && sha256(readFileSync(entry.official.path)) === entry.official.sha256) {
        const units = new Map<string, OfficialUnit>();
        const slugs = new Map<string, string>();
        entry.raw.units.forEach((u, i) => {
          const k = entry.kabupatenKota[i];
          if (k) units.set(u.code, { kabupatenKota: k } as OfficialUnit);
          slugs.set(u.code, entry.slugs[i]!);
        });
        return { inventory: resolveInventory(entry.raw, { units, kecamatan: new Map() } as OfficialList, file, slugs), hit: true };
      }
    } catch {
      // no entry, a stale one, or an unreadable file: load it properly (which reports what is wrong)
    }
  }
  const loaded = loadInventory(file, opts);
  if (dir && key) {
    try {
      const officialPath = resolve(dirname(file), loaded.raw.kabupaten.officialCodes.file);
      const units = loaded.inventory.units;
      const entry: Entry = {
        format: FORMAT,
        official: { path: officialPath, sha256: sha256(readFileSync(officialPath)) },
        raw: loaded.raw,
        slugs: units.map((u) => u.slug),
        kabupatenKota: units.map((u) => u.kabupatenKota ?? null),
      };
      store(dir, key, asciiJson(entry));
    } catch {
      // a cache that cannot be written (read-only home, full disk) only costs time
    }
  }
  return { inventory: loaded.inventory, hit: false };
}

/** JSON with every character outside ASCII written as a \u escape: the same value, read back one byte per character. */
function asciiJson(value: unknown): string {
  return JSON.stringify(value).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function store(dir: string, key: string, data: string): void {
  // The inventory names people and their phone numbers: the owner alone reads it.
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const tmp = join(dir, `.${key}.${process.pid}.tmp`);
  writeFileSync(tmp, data, { mode: 0o600 });
  renameSync(tmp, join(dir, `${key}.json`));
  const entries = readdirSync(dir)
    .filter((n) => n.endsWith('.json'))
    .map((n) => ({ n, t: statSync(join(dir, n)).mtimeMs }))
    .sort((a, b) => b.t - a.t);
  for (const { n } of entries.slice(KEEP)) unlinkSync(join(dir, n));
}

/** The cache folder under the toolkit's cache (or none: DESA_INVENTORY_CACHE=off). */
export function inventoryCacheDir(cacheRoot: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  return env.DESA_INVENTORY_CACHE === 'off' ? undefined : join(cacheRoot, 'inventory');
}

