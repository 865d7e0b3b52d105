// The text of an edited desa.yaml: the yaml writer renders the edited Document, and a three-way line
// merge keeps every line the edit did not change as it is in the file (comments, spacing, quoting and
// flow style the writer would normalise), plus the unified diff that shows a change before it is made.
// The line diffs are jsdiff's; the merge policy on top of them is this project's.
import { isDeepStrictEqual } from 'node:util';
import { createTwoFilesPatch, diffArrays, FILE_HEADERS_ONLY } from 'diff';
import { parseDocument, type Document, type ToStringOptions } from 'yaml';

/** Beyond this many differing lines, texts are too far apart to merge or show as a diff. */
const MAX_EDITS = 3000;

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
  const text = mergeLines(base, original, after);
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
 * For each line of `a`, the index of the line of `b` it is matched with in a shortest edit script, or
 * -1. Undefined when more than MAX_EDITS lines differ.
 */
function matchLines(a: string[], b: string[]): Int32Array | undefined {
  const changes = diffArrays(a, b, { maxEditLength: MAX_EDITS });
  if (!changes) return undefined;
  const match = new Int32Array(a.length).fill(-1);
  let [i, j] = [0, 0];
  for (const c of changes) {
    if (c.added) j += c.count;
    else if (c.removed) i += c.count;
    else for (let k = 0; k < c.count; k++) match[i++] = j++;
  }
  return match;
}

/**
 * Three-way merge of lines: `base` the file rendered by the writer, `ours` the file as written,
 * `theirs` the edit rendered. Where only the edit changed a region it wins; where only the file
 * differs from the rendering the file wins; where both, the edit's changes are applied to the file's
 * lines when they land on lines the file kept as rendered, and the edit wins otherwise (its lines are
 * needed). Undefined when the texts are too far apart to compare.
 */
export function mergeLines(baseText: string, oursText: string, theirsText: string): string | undefined {
  const [base, ours, theirs] = [splitLines(baseText), splitLines(oursText), splitLines(theirsText)];
  const toOurs = matchLines(base, ours);
  const toTheirs = toOurs && matchLines(base, theirs);
  if (!toOurs || !toTheirs) return undefined;
  const out: string[] = [];
  let [b, o, t] = [0, 0, 0];
  while (b < base.length || o < ours.length || t < theirs.length) {
    if (b < base.length && toOurs[b] === o && toTheirs[b] === t) {
      out.push(ours[o]!);
      b++, o++, t++;
      continue;
    }
    // A region where a side differs from the base, up to the next line all three share.
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
  return out.join('');
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
    // Where the hunk goes in ours: after the line before it, or before the line it inserts ahead of.
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
  if (before === after) return '';
  const diff = createTwoFilesPatch(file, `${file} (proposed)`, before, after, undefined, undefined, {
    context,
    maxEditLength: MAX_EDITS,
    headerOptions: FILE_HEADERS_ONLY,
  });
  return diff ?? `(${file}: too many lines change to show them as a diff)\n`;
}
