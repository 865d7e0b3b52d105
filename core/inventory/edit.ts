// Editing desa.yaml in place: change the parsed yaml Document, render it, and keep every line the edit
// did not touch byte-identical (text-merge.ts: a three-way line merge against the file as written, so
// comments, spacing and quoting the yaml writer would normalise survive). The result is validated with
// the same validator as `desa validate` before anything is written, and written atomically.
import { randomBytes } from 'node:crypto';
import { readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { isMap, isScalar, isSeq, Pair, parseDocument, Scalar, YAMLMap, YAMLSeq, type Document } from 'yaml';
import { AbortError, EXIT, InvalidInputError } from '../errors.ts';
import { loadInventory, parseYamlText, validateParsed, type Loaded } from './load.ts';
import { formatPath, keysAt, type Path } from './problems.ts';
import { inventoryFile } from './schema.ts';
import { renderPreserving, unifiedDiff } from './text-merge.ts';

// --- reading ---------------------------------------------------------------------------------------

export interface EditSession {
  /** The path as the user gave it, for messages. */
  file: string;
  /** The file as read: the base every edit is merged into. */
  text: string;
  /** The validated inventory: an edit starts from a valid file. */
  loaded: Loaded;
}

/** Reads and validates the inventory to edit. */
export function openForEdit(file: string): EditSession {
  const loaded = loadInventory(file);
  return { file, text: readFileSync(file, 'utf8'), loaded };
}

export interface Proposal {
  /** The whole file as it would be. */
  text: string;
  /** What changes, as a unified diff (empty when nothing does). */
  diff: string;
  changed: boolean;
  /** False when the file's own formatting could not be kept around the change. */
  preserved: boolean;
  /** The inventory as it would be, validated. */
  loaded: Loaded;
}

/**
 * Applies `edit` to a fresh Document of the file, renders it keeping untouched lines as they are, and
 * validates the result. Throws InvalidInputError (nothing written) when the result is invalid.
 */
export function propose(session: EditSession, edit: (doc: Document) => void): Proposal {
  const doc = parseDocument(session.text);
  edit(doc);
  const r = renderPreserving(session.text, doc);
  const changed = r.text !== session.text;
  const loaded = changed ? validateProposed(r.text, session.file) : session.loaded;
  return { text: r.text, diff: changed ? unifiedDiff(session.text, r.text, session.file) : '', changed, preserved: r.preserved, loaded };
}

/** Writes a proposal (atomically, and only if the file is still as it was read). */
export function commit(session: EditSession, proposal: Proposal): void {
  if (proposal.changed) writeAtomic(session.file, proposal.text, session.text);
}

// --- changing the Document -------------------------------------------------------------------------

function unitsSeq(doc: Document): YAMLSeq {
  const units = doc.get('units', true);
  if (!isSeq(units)) throw new AbortError('desa.yaml has no `units:` list to edit.');
  return units;
}

/**
 * A node for `value` at `path` in the file's own style: keys in schema order, short lists of words in
 * flow style, codes quoted.
 */
function nodeFor(doc: Document, value: unknown, path: Path): unknown {
  if (path[path.length - 1] === 'code' && typeof value === 'string') {
    const s = new Scalar(value);
    s.type = Scalar.QUOTE_DOUBLE;
    return s;
  }
  if (Array.isArray(value)) {
    const seq = new YAMLSeq();
    seq.items = value.map((v, i) => nodeFor(doc, v, [...path, i]));
    seq.flow = value.every((v) => typeof v === 'string');
    return seq;
  }
  if (value && typeof value === 'object') {
    const order = keysAt(inventoryFile, path);
    const rank = (k: string) => (order.includes(k) ? order.indexOf(k) : Infinity);
    const map = new YAMLMap();
    const keys = Object.keys(value).sort((a, b) => rank(a) - rank(b));
    for (const k of keys) map.items.push(new Pair(new Scalar(k), nodeFor(doc, (value as Record<string, unknown>)[k], [...path, k])));
    return map;
  }
  return doc.createNode(value);
}

/**
 * Sets the field at `path`, creating the mappings on the way; a new key goes where the schema lists it
 * among its siblings. Comments on a replaced value are kept. `undefined` removes the field, and the
 * mappings it leaves empty inside its unit.
 */
export function setField(doc: Document, path: Path, value: unknown): void {
  if (value === undefined) return removeField(doc, path);
  let node: unknown = doc.contents;
  for (let i = 0; i < path.length; i++) {
    const key = path[i]!;
    const last = i === path.length - 1;
    if (typeof key === 'number') {
      if (!isSeq(node) || !node.items[key]) throw new Error(`no item ${formatPath(path.slice(0, i + 1))} to edit`);
      node = node.items[key];
      continue;
    }
    if (!isMap(node)) throw new Error(`${formatPath(path.slice(0, i))} is not a mapping`);
    const pair = node.items.find((p) => isScalar(p.key) && p.key.value === key);
    if (pair && !last && (isMap(pair.value) || isSeq(pair.value))) {
      node = pair.value;
      continue;
    }
    // Build what is missing from here down, innermost first.
    let built = nodeFor(doc, value, path);
    for (const k of path.slice(i + 1).reverse()) {
      const m = new YAMLMap();
      m.items.push(new Pair(new Scalar(k), built));
      built = m;
    }
    if (pair) {
      const old = pair.value as { comment?: string; commentBefore?: string; spaceBefore?: boolean } | null;
      const fresh = built as typeof old;
      if (old && fresh && isScalar(old) && isScalar(fresh)) {
        if (old.comment) fresh.comment = old.comment;
        if (old.commentBefore) fresh.commentBefore = old.commentBefore;
      }
      pair.value = built as typeof pair.value;
      return;
    }
    const order = keysAt(inventoryFile, path.slice(0, i));
    const rank = (k: unknown) => {
      const r = order.indexOf(String(k));
      return r < 0 ? Infinity : r;
    };
    const at = node.items.findIndex((p) => isScalar(p.key) && rank(p.key.value) > rank(key));
    node.items.splice(at < 0 ? node.items.length : at, 0, new Pair(new Scalar(key), built));
    return;
  }
}

function removeField(doc: Document, path: Path): void {
  if (!doc.hasIn(path)) return;
  doc.deleteIn(path);
  // Remove mappings left empty, up to (not including) the unit itself.
  for (let i = path.length - 1; i > 2; i--) {
    const parent = doc.getIn(path.slice(0, i), true);
    if (isMap(parent) && parent.items.length === 0) doc.deleteIn(path.slice(0, i));
    else break;
  }
}

/**
 * Inserts a unit in code order inside its kecamatan's block (after the block when its code is last,
 * before the next kecamatan otherwise), keeping each block's `# Kecamatan …` heading on the block's
 * first entry. A unit of a kecamatan with no entries yet starts a block with its own heading.
 * Returns its index.
 */
export function insertUnit(doc: Document, entry: Record<string, unknown>, kecamatanName: string): number {
  const seq = unitsSeq(doc);
  const code = String(entry.code);
  const kec = code.slice(0, 8);
  const codes = seq.items.map((item) => (isMap(item) ? String(item.get('code')) : ''));
  const block = codes.flatMap((c, i) => (c.startsWith(`${kec}.`) ? [i] : []));
  let index: number;
  if (block.length) index = block.find((i) => codes[i]! > code) ?? block[block.length - 1]! + 1;
  else {
    index = codes.findIndex((c) => c > code);
    if (index < 0) index = codes.length;
  }
  const node = nodeFor(doc, entry, ['units', seq.items.length]) as YAMLMap;
  const next = seq.items[index];
  const nextMap = isMap(next) ? next : undefined;
  if (block.length && index === block[0] && index > 0 && nextMap) {
    // The new unit opens its block: the block's heading moves up to it. (At index 0 the heading is
    // the list's own comment, which stays above whatever comes first.)
    node.commentBefore = nextMap.commentBefore;
    node.spaceBefore = nextMap.spaceBefore;
    nextMap.commentBefore = undefined;
    nextMap.spaceBefore = false;
  } else if (!block.length) {
    const comments = [seq.commentBefore ?? '', ...seq.items.map((it) => (isMap(it) ? (it.commentBefore ?? '') : ''))];
    const heading = comments.some((c) => /^ ?Kecamatan /m.test(c)) ? ` Kecamatan ${kecamatanName} (${kec})` : undefined;
    if (nextMap) node.spaceBefore = nextMap.spaceBefore;
    if (index === 0 && nextMap && seq.commentBefore !== undefined) {
      nextMap.commentBefore = seq.commentBefore;
      seq.commentBefore = heading;
    } else if (heading) node.commentBefore = heading;
  }
  if (seq.flow && seq.items.length === 0) seq.flow = false;
  seq.items.splice(index, 0, node);
  return index;
}

// --- validating and writing ------------------------------------------------------------------------

/**
 * Validates proposed text exactly as `desa validate` would the written file. Problems are reported
 * against the proposed text (their line numbers are those of the file as it would be).
 */
export function validateProposed(text: string, file: string): Loaded {
  const label = `${file} (as it would be)`;
  try {
    return validateParsed(parseYamlText(text, file), file);
  } catch (e) {
    if (!(e instanceof InvalidInputError)) throw e;
    throw new InvalidInputError(
      label,
      e.problems.map((p) => ({ ...p, file: label })),
      `Nothing was written to ${file}. Line numbers are those of the changed file; --dry-run shows it as a diff.`,
    );
  }
}

/**
 * Writes `text` to `file` through a temporary file and a rename, so a reader never sees half a file.
 * Refuses when the file changed since it was read (`expected`), rather than overwrite someone's edit.
 */
export function writeAtomic(file: string, text: string, expected: string): void {
  let current: string;
  try {
    current = readFileSync(file, 'utf8');
  } catch {
    current = '';
  }
  if (current !== expected) {
    throw new AbortError(`${file} changed while this command ran; nothing was written.`, {
      exitCode: EXIT.operationFailed,
      nextStep: 'Run the command again.',
    });
  }
  const tmp = join(dirname(file), `.${basename(file)}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    writeFileSync(tmp, text, { mode: statSync(file).mode & 0o777, flag: 'wx' });
    renameSync(tmp, file);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw new AbortError(`cannot write ${file}: ${(e as Error).message}`, { exitCode: EXIT.operationFailed });
  }
}
