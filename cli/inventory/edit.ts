// Editing desa.yaml in place: change the parsed yaml Document, render it, and keep every line the edit
// did not touch byte-identical (a three-way line merge against the file as written, so comments,
// spacing and quoting the yaml writer would normalise survive). The result is validated with the same
// validator as `desa validate` before anything is written, and written atomically.
import { randomBytes } from 'node:crypto';
import { readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { isMap, isScalar, isSeq, Pair, parseDocument, Scalar, YAMLMap, YAMLSeq, type Document, type ToStringOptions } from 'yaml';
import { AbortError, EXIT, InvalidInputError } from '../errors.ts';
import { loadInventory, parseYamlText, validateParsed, type Loaded } from './load.ts';
import { formatPath, keysAt, type Path } from './problems.ts';
import { inventoryFile } from './schema.ts';

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

// --- rendering -------------------------------------------------------------------------------------

/** Writer options that match the file's own indentation, so new lines look like their neighbours. */
function stringifyOptions(text: string): ToStringOptions {
  const lines = text.split('\n').filter((l) => l.trim() && !l.trimStart().startsWith('#'));
  const indents = lines.map((l) => l.length - l.trimStart().length).filter((n) => n > 0);
  const indent = indents.length ? Math.min(...indents) : 2;
  let indentSeq = true;
  for (let i = 1; i < lines.length; i++) {
    const m = /^(\s*)- /.exec(lines[i]!);
    const prev = lines[i - 1]!;
    if (m && /:\s*$/.test(prev)) {
      indentSeq = m[1]!.length > prev.length - prev.trimStart().length;
      break;
    }
  }
  return { indent: Math.min(Math.max(indent, 1), 8), indentSeq, lineWidth: 0, minContentWidth: 0, flowCollectionPadding: /: \[ \S/.test(text) };
}

export interface Rendered {
  text: string;
  /** False when the file's own formatting could not be kept and the writer's was used throughout. */
  preserved: boolean;
}

/** The edited Document as text, with every line the edit did not change kept as it was in `original`. */
export function renderPreserving(original: string, edited: Document): Rendered {
  const opts = stringifyOptions(original);
  // The writer ends lines with \n; a file written on Windows keeps its \r\n.
  const eol = (t: string) => (original.includes('\r\n') ? t.replace(/\r?\n/g, '\r\n') : t);
  const after = eol(edited.toString(opts));
  const base = eol(parseDocument(original).toString(opts));
  if (base === original) return { text: after, preserved: true };
  const merged = merge3(splitLines(base), splitLines(original), splitLines(after));
  const text = merged?.join('');
  // The merge is only kept when it means exactly what the edited Document means.
  if (text !== undefined) {
    const check = parseDocument(text);
    if (!check.errors.length && isDeepStrictEqual(check.toJS(), edited.toJS())) return { text, preserved: true };
  }
  return { text: after, preserved: false };
}

/** Lines with their line endings, so joining them gives the text back. */
function splitLines(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

/**
 * For each line of `a`, the index of the line of `b` it is matched with in a shortest edit script
 * (Myers), or -1. Undefined when more than `maxD` lines differ.
 */
function matchLines(a: readonly string[], b: readonly string[], maxD = 3000): Int32Array | undefined {
  const match = new Int32Array(a.length).fill(-1);
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) match[start] = start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) match[--endA] = --endB;
  const n = endA - start;
  const m = endB - start;
  const max = Math.min(n + m, maxD);
  const off = max + 1;
  const v = new Int32Array(2 * max + 3);
  // trace[d]: the furthest x on diagonals -d-1..d+1 before round d, for the walk back.
  const trace: Int32Array[] = [];
  for (let d = 0; d <= max; d++) {
    trace.push(v.slice(off - d - 1, off + d + 2));
    for (let k = -d; k <= d; k += 2) {
      const down = k === -d || (k !== d && v[off + k - 1]! < v[off + k + 1]!);
      let x = down ? v[off + k + 1]! : v[off + k - 1]! + 1;
      let y = x - k;
      while (x < n && y < m && a[start + x] === b[start + y]) x++, y++;
      v[off + k] = x;
      if (x >= n && y >= m) {
        backtrack(trace, n, m, (i, j) => (match[start + i] = start + j));
        return match;
      }
    }
  }
  return undefined;
}

/** Walks a Myers trace back from (n, m), calling `matched` for every diagonal step. */
function backtrack(trace: Int32Array[], n: number, m: number, matched: (i: number, j: number) => void): void {
  let [x, y] = [n, m];
  for (let d = trace.length - 1; d > 0; d--) {
    const at = (k: number) => trace[d]![k + d + 1]!;
    const k = x - y;
    const down = k === -d || (k !== d && at(k - 1) < at(k + 1));
    const prevK = down ? k + 1 : k - 1;
    const px = at(prevK);
    const py = px - prevK;
    const [sx, sy] = down ? [px, py + 1] : [px + 1, py];
    while (x > sx && y > sy) matched(--x, --y);
    [x, y] = [px, py];
  }
  while (x > 0 && y > 0) matched(--x, --y);
}

/**
 * Three-way merge of lines: `base` rendered as is, `ours` the file as written, `theirs` the edit
 * rendered. Where only the edit changed a region it wins; where only the file differs from the
 * rendering the file wins; where both, the edit wins (its lines are needed). Undefined when the texts
 * are too far apart to compare.
 */
function merge3(base: string[], ours: string[], theirs: string[]): string[] | undefined {
  const toOurs = matchLines(base, ours);
  const toTheirs = matchLines(base, theirs);
  if (!toOurs || !toTheirs) return undefined;
  const out: string[] = [];
  let [b, o, t] = [0, 0, 0];
  while (b < base.length || o < ours.length || t < theirs.length) {
    if (b < base.length && toOurs[b] === o && toTheirs[b] === t) {
      out.push(ours[o]!);
      b++, o++, t++;
      continue;
    }
    let nb = b;
    while (nb < base.length && (toOurs[nb]! < 0 || toTheirs[nb]! < 0)) nb++;
    const no = nb < base.length ? toOurs[nb]! : ours.length;
    const nt = nb < base.length ? toTheirs[nb]! : theirs.length;
    const baseChunk = base.slice(b, nb);
    const ourChunk = ours.slice(o, no);
    const theirChunk = theirs.slice(t, nt);
    if (same(theirChunk, baseChunk)) out.push(...ourChunk);
    else if (same(ourChunk, baseChunk)) out.push(...theirChunk);
    else out.push(...(patch(baseChunk, ourChunk, theirChunk) ?? theirChunk));
    [b, o, t] = [nb, no, nt];
  }
  return out;
}

const same = (x: string[], y: string[]) => x.length === y.length && x.every((l, i) => l === y[i]);

/**
 * Where both sides changed a region: applies the edit's changes (base → theirs) to the file's lines
 * (ours) when each one lands on lines the file kept as rendered. Undefined when one does not.
 */
function patch(base: string[], ours: string[], theirs: string[]): string[] | undefined {
  const toTheirs = matchLines(base, theirs);
  const toOurs = matchLines(base, ours);
  if (!toTheirs || !toOurs) return undefined;
  const out: string[] = [];
  let copied = 0; // lines of ours already in out
  let t = 0;
  let b = 0;
  while (b <= base.length) {
    if (b < base.length && toTheirs[b] === t) {
      b++, t++;
      continue;
    }
    // A hunk: base[b..e) becomes theirs[t..nt).
    let e = b;
    while (e < base.length && toTheirs[e]! < 0) e++;
    const nt = e < base.length ? toTheirs[e]! : theirs.length;
    if (e === b && nt === t) break; // the end, nothing left
    let at: number | undefined;
    if (b > 0 && toOurs[b - 1]! >= 0) at = toOurs[b - 1]! + 1;
    else if (b === 0) at = 0;
    else if (e === b && b < base.length && toOurs[b]! >= 0) at = toOurs[b]!;
    else if (b === base.length) at = ours.length;
    if (at === undefined || at < copied) return undefined;
    for (let i = b; i < e; i++) if (toOurs[i] !== at + (i - b)) return undefined;
    out.push(...ours.slice(copied, at), ...theirs.slice(t, nt));
    copied = at + (e - b);
    [b, t] = [e, nt];
  }
  out.push(...ours.slice(copied));
  return out;
}

/** A unified diff of two texts, for showing a change before it is made. Empty when they are equal. */
export function unifiedDiff(before: string, after: string, file: string, context = 3): string {
  const a = splitLines(before);
  const c = splitLines(after);
  const match = matchLines(a, c);
  if (!match) return `(${file}: too many lines change to show them as a diff)\n`;
  // Edit script: walk both sides in order.
  const ops: { op: ' ' | '-' | '+'; line: string; ai: number; ci: number }[] = [];
  let j = 0;
  for (let i = 0; i < a.length; i++) {
    if (match[i]! < 0) {
      ops.push({ op: '-', line: a[i]!, ai: i, ci: j });
      continue;
    }
    while (j < match[i]!) ops.push({ op: '+', line: c[j]!, ai: i, ci: j++ });
    ops.push({ op: ' ', line: a[i]!, ai: i, ci: j++ });
  }
  while (j < c.length) ops.push({ op: '+', line: c[j]!, ai: a.length, ci: j++ });
  const changed = ops.flatMap((x, i) => (x.op === ' ' ? [] : [i]));
  if (!changed.length) return '';
  const out = [`--- ${file}\n`, `+++ ${file} (proposed)\n`];
  let i = 0;
  while (i < changed.length) {
    const from = Math.max(0, changed[i]! - context);
    let to = Math.min(ops.length, changed[i]! + context + 1);
    while (i + 1 < changed.length && changed[i + 1]! - context <= to) to = Math.min(ops.length, changed[++i]! + context + 1);
    i++;
    const hunk = ops.slice(from, to);
    const aLen = hunk.filter((x) => x.op !== '+').length;
    const cLen = hunk.filter((x) => x.op !== '-').length;
    out.push(`@@ -${hunk[0]!.ai + 1},${aLen} +${hunk[0]!.ci + 1},${cLen} @@\n`);
    for (const x of hunk) out.push(`${x.op}${x.line.endsWith('\n') ? x.line : `${x.line}\n\\ No newline at end of file\n`}`);
  }
  return out.join('');
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
