// Problems found in an input file, each placed at a line and column with its field path, and turned
// into text once. Zod's issues are translated here so every message says what was wrong and what is
// expected, with a "did you mean" where a near miss is likely.
import { distance } from 'fastest-levenshtein';
import { isMap, isScalar, isSeq, LineCounter, type Document, type Node } from 'yaml';
import type { z } from 'zod';

export type Path = (string | number)[];

export interface Problem {
  file: string;
  line?: number;
  column?: number;
  path: Path;
  message: string;
  /** What to do about it. */
  hint?: string;
}

export function formatPath(path: Path): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out ? `.${p}` : p;
  return out || '(top level)';
}

export function formatProblem(p: Problem): string {
  const where = p.line ? `${p.file}:${p.line}:${p.column ?? 1}` : p.file;
  const field = p.path.length ? ` ${formatPath(p.path)}:` : '';
  return `${where}:${field} ${p.message}${p.hint ? `\n    ${p.hint}` : ''}`;
}

/** The closest of `options` to `word`, when it is close enough to be a likely typo. */
export function didYouMean(word: string, options: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const o of options) {
    const d = distance(word.toLowerCase(), o.toLowerCase());
    if (d < bestD) [best, bestD] = [o, d];
  }
  return best !== undefined && bestD <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}

/** Places problems in a parsed YAML document, parsed on first use (only files with problems pay). */
export class Locator {
  private readonly source: () => { doc: Document; lines: LineCounter };
  private readonly file: string;

  constructor(source: () => { doc: Document; lines: LineCounter }, file: string) {
    this.source = source;
    this.file = file;
  }

  private get doc(): Document {
    return this.source().doc;
  }

  private get lines(): LineCounter {
    return this.source().lines;
  }

  /** The node at `path`, or the deepest ancestor that exists. */
  private nodeAt(path: Path): Node | undefined {
    let node: unknown = this.doc.contents;
    for (const key of path) {
      if (isMap(node)) {
        const pair = node.items.find((p) => (isScalar(p.key) ? p.key.value : p.key) === key);
        if (!pair) break;
        node = pair.value ?? pair.key;
      } else if (isSeq(node) && typeof key === 'number' && node.items[key]) {
        node = node.items[key];
      } else break;
    }
    return node as Node | undefined;
  }

  /** The key node of `key` in the map at `path`: where an unknown key is reported. */
  private keyAt(path: Path, key: string): Node | undefined {
    const map = this.nodeAt(path);
    if (!isMap(map)) return undefined;
    const pair = map.items.find((p) => isScalar(p.key) && p.key.value === key);
    return pair?.key as Node | undefined;
  }

  at(path: Path, message: string, hint?: string, key?: string): Problem {
    const node = key === undefined ? this.nodeAt(path) : (this.keyAt(path, key) ?? this.nodeAt(path));
    return this.atOffset(node?.range?.[0], key === undefined ? path : [...path, key], message, hint);
  }

  atOffset(offset: number | undefined, path: Path, message: string, hint?: string): Problem {
    const p: Problem = { file: this.file, path, message };
    if (offset !== undefined) {
      const pos = this.lines.linePos(offset);
      p.line = pos.line;
      p.column = pos.col;
    }
    if (hint) p.hint = hint;
    return p;
  }
}

// --- zod issues -----------------------------------------------------------------------------------

type Issue = z.core.$ZodIssue;
type Schema = z.core.$ZodType;

/** The object keys a schema allows at `path`, for "did you mean" on unknown keys. */
export function keysAt(schema: Schema, path: Path): string[] {
  let s: Schema | undefined = schema;
  for (const key of [...path, null]) {
    // Unwrap wrappers until an object, array or union decides what the next key means.
    for (;;) {
      const def = s?._zod.def as unknown as Record<string, unknown> | undefined;
      if (!def) return [];
      if (def.type === 'optional' || def.type === 'nullable' || def.type === 'default') s = def.innerType as Schema;
      else if (def.type === 'union') s = (def.options as Schema[]).find((o) => (o._zod.def as { type: string }).type === 'object');
      else break;
    }
    const def = s?._zod.def as unknown as Record<string, unknown> | undefined;
    if (!def) return [];
    if (key === null) return def.type === 'object' ? Object.keys(def.shape as object) : [];
    if (def.type === 'object') s = (def.shape as Record<string, Schema>)[key as string];
    else if (def.type === 'array') s = def.element as Schema;
    else return [];
  }
  return [];
}

function show(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  return String(v);
}

const TYPE_NAMES: Record<string, string> = {
  string: 'text',
  number: 'a number',
  boolean: 'true or false',
  object: 'a mapping (key: value lines)',
  array: 'a list (- item lines)',
};

/** Flattens unions: picks the branch that matched the input's shape, or merges the expectations. */
function flatten(issue: Issue): Issue[] {
  if (issue.code !== 'invalid_union') return [issue];
  const branches = issue.errors.map((e) => e.flatMap(flatten));
  // A branch that failed below the top (a nested field) is the one whose shape the input has.
  const deep = branches.find((b) => b.some((i) => i.path.length > 0));
  if (deep) return deep.map((i) => ({ ...i, path: [...issue.path, ...i.path] }));
  const msgs = branches.flat().map(describe).map((d) => d.expected);
  const input = (issue as { input?: unknown }).input;
  return [{ ...issue, code: 'custom', message: `${show(input)} is not allowed; expected ${[...new Set(msgs)].join(', or ')}`, input } as Issue];
}

interface Described {
  message: string;
  expected: string;
  hint?: string;
}

function describe(issue: Issue): Described {
  const input = (issue as { input?: unknown }).input;
  switch (issue.code) {
    case 'invalid_type': {
      const expected = TYPE_NAMES[issue.expected] ?? issue.expected;
      if (input === undefined) return { message: `missing; expected ${expected}`, expected };
      return { message: `${show(input)} is not ${expected}`, expected };
    }
    case 'invalid_value': {
      const values = issue.values.map((v) => String(v));
      const expected = values.length === 1 ? JSON.stringify(values[0]) : `one of ${values.join(', ')}`;
      const near = typeof input === 'string' ? didYouMean(input, values) : undefined;
      return {
        message: `${show(input)} is not allowed; expected ${expected}`,
        expected,
        ...(near ? { hint: `did you mean "${near}"?` } : {}),
      };
    }
    case 'too_small':
    case 'too_big': {
      const small = issue.code === 'too_small';
      const bound = String(issue.code === 'too_small' ? issue.minimum : issue.maximum);
      const what =
        issue.origin === 'array' ? `${bound} item(s)` : issue.origin === 'string' ? `${bound} character(s)` : bound;
      const cmp = small ? ((issue as { inclusive?: boolean }).inclusive === false ? 'more than' : 'at least') : 'at most';
      const expected = `${cmp} ${what}`;
      return { message: `${show(input)} is too ${small ? 'small' : 'large'}; expected ${expected}`, expected };
    }
    default: {
      // invalid_format and custom checks carry our own "expected …" message.
      const expected = issue.message.replace(/^expected /, '');
      return { message: input === undefined ? issue.message : `${show(input)}: ${issue.message}`, expected };
    }
  }
}

/** Turns a failed parse into located problems, one per field. */
export function zodProblems(error: z.ZodError, schema: Schema, at: Locator): Problem[] {
  const out: Problem[] = [];
  for (const issue of error.issues.flatMap(flatten)) {
    const path = issue.path as Path;
    if (issue.code === 'unrecognized_keys') {
      const known = keysAt(schema, path);
      for (const key of issue.keys) {
        const near = didYouMean(key, known);
        out.push(
          at.at(path, `unknown field "${key}"`, near ? `did you mean "${near}"?` : `allowed here: ${known.join(', ')}`, key),
        );
      }
      continue;
    }
    const d = describe(issue);
    out.push(at.at(path, d.message, d.hint));
  }
  return out;
}
