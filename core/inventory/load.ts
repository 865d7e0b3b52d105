// Reading desa.yaml: size and content guards, YAML with positions, the schema, the cross-field checks
// against the official list, then resolution. Reports every problem found in one run.
import { readFileSync, statSync } from 'node:fs';
import { dirname, resolve as resolvePath } from 'node:path';
import jsyaml from 'js-yaml';
import { LineCounter, parseDocument, visit, type Document } from 'yaml';
import { AbortError, EXIT, InvalidInputError } from '../errors.ts';
import { checkInventory } from './checks.ts';
import { loadOfficialList, OfficialListError, type OfficialList } from './official.ts';
import { Locator, zodProblems, type Problem } from './problems.ts';
import { mergeServices, resolveInventory, slugsOf } from './resolve.ts';
import { z } from 'zod';
import { inventoryFile, kabupaten, programme, target, unit, type InventoryFile, type UnitEntry } from './schema.ts';
import { mailAddress, mailLocalPart, type Inventory } from './model.ts';

/** Larger files are refused before parsing. The national inventory (83,762 units) is about 13 MiB. */
export const DEFAULT_MAX_BYTES = 32 * 1024 * 1024;
/** YAML aliases expanded at most this many times: stops "billion laughs" documents. */
const MAX_ALIAS_COUNT = 1000;

export interface LoadOptions {
  maxBytes?: number;
}

/**
 * A parsed file. `data` comes from the fast reader; `doc` and `locator` (the `yaml` library's document
 * with positions) are built on first use, which is only when a problem has to be placed or the file
 * is edited in place.
 */
export class ParsedYaml {
  readonly text: string;
  readonly file: string;
  readonly data: unknown;
  readonly locator: Locator;
  private parsed: { doc: Document; lines: LineCounter } | undefined;

  constructor(text: string, file: string, data: unknown, parsed?: { doc: Document; lines: LineCounter }) {
    this.text = text;
    this.file = file;
    this.data = data;
    this.parsed = parsed;
    this.locator = new Locator(() => this.precise(), file);
  }

  /** The `yaml` document with positions and comments, for locating problems and editing in place. */
  get doc(): Document {
    return this.precise().doc;
  }

  precise(): { doc: Document; lines: LineCounter } {
    this.parsed ??= parsePrecisely(this.text, this.file).precise();
    return this.parsed;
  }
}

/** Reads a YAML file with guards; throws InvalidInputError with located problems. */
export function readYaml(file: string, opts: LoadOptions = {}): ParsedYaml {
  let size: number;
  try {
    size = statSync(file).size;
  } catch {
    throw new AbortError(`${file} does not exist.`, {
      exitCode: EXIT.invalidInput,
      nextStep: 'Pass the inventory with --file PATH, or run from the directory that holds desa.yaml.',
    });
  }
  const max = opts.maxBytes ?? DEFAULT_MAX_BYTES;
  if (size > max) {
    throw new InvalidInputError(file, [
      {
        file,
        path: [],
        message: `the file is ${mib(size)}; the limit is ${mib(max)} (the inventory of all 83,762 units of Indonesia is about 13 MiB)`,
        hint: 'Check that this is the right file. To allow a larger one, set DESA_MAX_INVENTORY_MB.',
      },
    ]);
  }
  return parseYamlText(readFileSync(file, 'utf8'), file);
}

/** YAML anchors (`&name`): such files are read by the path that limits alias expansion. */
const ANCHOR = /(?:^|[\s[{,])&[^\s[\]{},]/m;

export function parseYamlText(text: string, file: string): ParsedYaml {
  if (!text.trim()) {
    throw new InvalidInputError(file, [{ file, path: [], message: 'the file is empty; expected an inventory (version, kabupaten, units)', hint: 'Start from the desa.yaml in the repository.' }]);
  }
  if (text.includes('\0') || text.includes('\uFFFD')) {
    throw new InvalidInputError(file, [{ file, path: [], message: 'the file is not UTF-8 text (it looks binary)' }]);
  }
  // Fast path: js-yaml reads a large inventory about ten times faster than the `yaml` library. YAML 1.2
  // core schema, as `yaml` uses, so dates stay text. Any failure is re-read precisely to be placed.
  if (!ANCHOR.test(text)) {
    try {
      return new ParsedYaml(text, file, jsyaml.load(text, { schema: jsyaml.CORE_SCHEMA, filename: file }));
    } catch {
      // fall through: the precise parse reports the error at its line and column
    }
  }
  return parsePrecisely(text, file);
}

/** The `yaml` library's parse: positions for every node, limited alias expansion, located errors. */
function parsePrecisely(text: string, file: string): ParsedYaml {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true, keepSourceTokens: false });
  const locator = new Locator(() => ({ doc, lines }), file);
  if (doc.errors.length) {
    // Later syntax errors are nearly always knock-on effects of the first: report that one.
    const e = doc.errors[0]!;
    const more = doc.errors.length > 1 ? ' (fix this first: the parser reports knock-on errors after it)' : '';
    throw new InvalidInputError(file, [
      locator.atOffset(e.pos[0], [], `YAML syntax: ${e.message.split('\n')[0]}${more}`, yamlHint(e.code, e.message)),
    ]);
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (e) {
    let offset: number | undefined;
    visit(doc, { Alias: (_k, node) => ((offset = node.range?.[0]), visit.BREAK) });
    throw new InvalidInputError(file, [
      locator.atOffset(offset, [], `YAML aliases expand too much (${(e as Error).message})`, 'Write the values out instead of nesting aliases.'),
    ]);
  }
  return new ParsedYaml(text, file, data, { doc, lines });
}

function yamlHint(code: string, message: string): string | undefined {
  if (/end with a [\]}]/.test(message)) return 'A [ or { opened on this line or just above is not closed; quote text that starts with [ or {.';
  if (code === 'DUPLICATE_KEY') return 'Each key may appear once in a mapping; remove or rename the repeated one.';
  if (code === 'BAD_INDENT' || code === 'MISSING_CHAR') return 'Check the indentation: nested fields use two more spaces than their parent.';
  if (code === 'TAB_AS_INDENT') return 'Indent with spaces, not tabs.';
  return undefined;
}

function mib(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

/** A file that passed every check, not yet resolved: what `desa validate` needs. */
export interface Checked {
  raw: InventoryFile;
  parsed: ParsedYaml;
  official: OfficialList;
  /** Each unit's slug by code (pinned, or derived from the whole file). */
  slugs: Map<string, string>;
}

export interface Loaded extends Checked {
  inventory: Inventory;
}

/** Loads, validates and resolves an inventory. Throws InvalidInputError listing every problem. */
export function loadInventory(file: string, opts: LoadOptions = {}): Loaded {
  return resolveChecked(checkInventoryFile(file, opts), file);
}

/**
 * Reads and checks an inventory without resolving it: every check loadInventory makes, at half the
 * cost on a national file (resolution builds every derived name of every unit). Throws as it does.
 */
export function checkInventoryFile(file: string, opts: LoadOptions = {}): Checked {
  const envMax = Number(process.env.DESA_MAX_INVENTORY_MB);
  const maxBytes = opts.maxBytes ?? (envMax > 0 ? envMax * 1024 * 1024 : undefined);
  return checkParsed(readYaml(file, maxBytes ? { maxBytes } : {}), file);
}

/** `given`: the official list to check against, when it is not (yet) the file desa.yaml names (desa init). */
export function validateParsed(parsed: ParsedYaml, file: string, given?: OfficialList): Loaded {
  return resolveChecked(checkParsed(parsed, file, given), file);
}

function resolveChecked(checked: Checked, file: string): Loaded {
  return { ...checked, inventory: resolveInventory(checked.raw, checked.official, file, checked.slugs) };
}

function checkParsed(parsed: ParsedYaml, file: string, given?: OfficialList): Checked {
  const at = parsed.locator;
  const officialListOf = given ? () => given : readOfficialList;
  const result = inventoryFile.safeParse(parsed.data, { reportInput: true });
  if (result.success) {
    const raw = result.data;
    const official = officialListOf(raw, file, at);
    const problems = checkInventory(raw, raw.units, official, at);
    if (problems.length) throw new InvalidInputError(file, problems);
    const slugs = slugsOf(raw, official);
    const late = checkMailAddresses(raw, slugs, at);
    if (late.length) throw new InvalidInputError(file, late);
    return { raw, parsed, official, slugs };
  }
  // Report everything in one run: the schema's problems, and the cross-entry checks on every unit
  // that is itself well-formed (when the kabupaten section is readable enough to run them).
  const problems = zodProblems(result.error, inventoryFile, at);
  const partial = partialInventory(parsed.data);
  if (partial) {
    try {
      const official = officialListOf(partial.raw, file, at);
      problems.push(...checkInventory(partial.raw, partial.units, official, at));
    } catch (e) {
      if (e instanceof InvalidInputError) problems.push(...e.problems);
      else throw e;
    }
  }
  problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
  throw new InvalidInputError(file, problems);
}

/**
 * The parts of an invalid file that are themselves valid, enough to run the cross-entry checks: each
 * unit, target and programme on its own (undefined where it failed), and the kabupaten's identity.
 */
function partialInventory(data: unknown): { raw: InventoryFile; units: (UnitEntry | undefined)[] } | undefined {
  const d = data as { kabupaten?: Record<string, unknown>; programmes?: unknown; units?: unknown } | null;
  const k = d?.kabupaten;
  const { name, code, officialCodes } = kabupaten.shape;
  const identity = z.object({ name, code, officialCodes }).safeParse(k ?? {});
  if (!identity.success || !Array.isArray(d?.units)) return undefined;
  const valid = <T>(schema: z.ZodType<T>, items: unknown): T[] =>
    (Array.isArray(items) ? items : []).flatMap((x) => {
      const r = schema.safeParse(x);
      return r.success ? [r.data] : [];
    });
  const raw = {
    version: 1,
    kabupaten: { ...(k as object), ...identity.data, targets: valid(target, k?.targets) },
    programmes: valid(programme, d.programmes),
    units: [],
  } as unknown as InventoryFile;
  return { raw, units: d.units.map((u) => unit.safeParse(u).data) };
}

function readOfficialList(raw: InventoryFile, file: string, at: Locator): OfficialList {
  const path = resolvePath(dirname(file), raw.kabupaten.officialCodes.file);
  try {
    return loadOfficialList(path);
  } catch (e) {
    const why = e instanceof OfficialListError ? e.message : `cannot read ${path}`;
    throw new InvalidInputError(file, [
      at.at(['kabupaten', 'officialCodes', 'file'], why, 'Point it at a CSV with columns kode,nama,jenis,kecamatan, relative to this file.'),
    ]);
  }
}

/**
 * Checks on derived names, which need each unit's slug: a mailbox's local part (model.ts, mailLocalPart)
 * for each account of the unit's services merged over its kind's defaults.
 */
function checkMailAddresses(raw: InventoryFile, slugs: ReadonlyMap<string, string>, at: Locator): Problem[] {
  const problems: Problem[] = [];
  raw.units.forEach((u, i) => {
    const slug = slugs.get(u.code)!;
    const accounts = mergeServices(raw.kabupaten.defaults[u.kind], u.services).email?.accounts ?? [];
    accounts.forEach((a, j) => {
      const role = typeof a === 'string' ? a : a.role;
      const local = mailLocalPart(slug, role);
      if (local.length > 64) {
        const address = mailAddress(slug, role, raw.kabupaten.domain);
        problems.push(
          at.at(['units', i, 'services', 'email', 'accounts', j], `the address ${address} has a local part of ${local.length} characters; mail allows 64`, 'Pin a shorter `slug:` for this desa or use a shorter role.'),
        );
      }
    });
  });
  return problems;
}
