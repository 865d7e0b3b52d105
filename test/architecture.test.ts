// The shape of the code, checked over its import graph (static, dynamic and type-only imports alike):
// core/ imports neither cli/ nor stacks/, the programs import nothing from cli/, and no module of
// cli/engine/ reaches itself again through its imports.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './helpers/inventory.ts';

const IMPORT = /(?:\bfrom\s+|\bimport\s*\(\s*|^\s*import\s+)['"](\.{1,2}\/[^'"]+)['"]/gm;

function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.test.ts'))
    .map((e) => relative(ROOT, join(e.parentPath, e.name)));
}

/** file → the repository files it imports. */
function imports(file: string): string[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  return [...text.matchAll(IMPORT)].map((m) => relative(ROOT, resolve(ROOT, dirname(file), m[1]!)));
}

/** Every cycle through `files`, each as the path that closes it. */
function cycles(files: readonly string[], importsOf: (f: string) => string[] = imports): string[][] {
  const inside = new Set(files);
  const found: string[][] = [];
  const done = new Set<string>();
  const visit = (f: string, path: string[]) => {
    if (path.includes(f)) return void found.push([...path.slice(path.indexOf(f)), f]);
    if (done.has(f)) return;
    for (const next of importsOf(f).filter((i) => inside.has(i))) visit(next, [...path, f]);
    done.add(f);
  };
  for (const f of files) visit(f, []);
  return found;
}

describe('the shape of the code', () => {
  it('core/ imports nothing from cli/ or stacks/; stacks/ and templates/ nothing from cli/', () => {
    const offending = (dirs: string[], forbidden: RegExp) => dirs.flatMap(sources).flatMap((f) => imports(f).filter((i) => forbidden.test(i)).map((i) => `${f} → ${i}`));
    expect(offending(['core'], /^(cli|stacks|templates)\//)).toEqual([]);
    expect(offending(['stacks', 'templates'], /^cli\//)).toEqual([]);
  });

  it('cli/engine/ has no import cycle', () => {
    const engine = sources('cli/engine');
    expect(engine.length).toBeGreaterThan(10);
    expect(cycles(engine)).toEqual([]);
  });

  it('no source file (tests apart) is over 400 lines: a module that grows past it is split by what it does', () => {
    const long = ['cli', 'core', 'stacks', 'templates', 'bench']
      .flatMap(sources)
      .map((f) => ({ f, lines: readFileSync(join(ROOT, f), 'utf8').split('\n').length - 1 }))
      .filter((x) => x.lines > 400)
      .map((x) => `${x.f}: ${x.lines} lines`);
    expect(long).toEqual([]);
  });

  it('the check itself: it sees dynamic and type-only imports, and finds a cycle when there is one', () => {
    expect(imports('cli/engine/state.ts')).toContain('cli/engine/state-engine.ts');
    expect(imports('cli/engine/run-loop.ts')).toContain('cli/engine/progress.ts');
    const graph: Record<string, string[]> = { a: ['b'], b: ['c'], c: ['a'], d: ['a'] };
    expect(cycles(['a', 'b', 'c', 'd'], (f) => graph[f] ?? [])).toEqual([['a', 'b', 'c', 'a']]);
  });
});
