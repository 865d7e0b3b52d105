import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { InvalidInputError } from '../errors.ts';
import { insertUnit, setField, validateProposed, writeAtomic } from './edit.ts';
import { renderPreserving, unifiedDiff } from './text-merge.ts';

const repoYaml = readFileSync(new URL('../../desa.yaml', import.meta.url), 'utf8');

function edit(text: string, change: (doc: ReturnType<typeof parseDocument>) => void) {
  const doc = parseDocument(text);
  change(doc);
  return renderPreserving(text, doc);
}

/** Lines of `after` that are not in `before`, and lines of `before` that are gone (a multiset diff). */
function changedLines(before: string, after: string) {
  const count = (t: string) => t.split('\n').reduce((m, l) => m.set(l, (m.get(l) ?? 0) + 1), new Map<string, number>());
  const [b, a] = [count(before), count(after)];
  const minus = (x: Map<string, number>, y: Map<string, number>) => [...x].flatMap(([l, n]) => Array(Math.max(0, n - (y.get(l) ?? 0))).fill(l));
  return { added: minus(a, b), removed: minus(b, a) };
}

describe('editing desa.yaml in place', () => {
  it('changes only the edited unit of the real inventory: every other line is byte-identical', () => {
    const i = parseDocument(repoYaml).toJS().units.findIndex((u: { code: string }) => u.code === '32.16.06.2003');
    const { text, preserved } = edit(repoYaml, (doc) => setField(doc, ['units', i, 'services', 'site', 'template'], 'opensid'));
    expect(preserved).toBe(true);
    const diff = unifiedDiff(repoYaml, text, 'desa.yaml');
    // One hunk, three added lines, nothing removed.
    expect(diff.match(/^@@/gm)).toHaveLength(1);
    expect(diff.split('\n').filter((l) => l.startsWith('+') && !l.startsWith('+++'))).toEqual([
      '+    services:',
      '+      site:',
      '+        template: opensid',
    ]);
    expect(diff.split('\n').filter((l) => l.startsWith('-') && !l.startsWith('---'))).toEqual([]);
    // Removing the three lines gives the original back, byte for byte.
    expect(text.replace('    services:\n      site:\n        template: opensid\n', '')).toBe(repoYaml);
  });

  it('keeps hand formatting the yaml writer would normalise (spacing, blank lines, flow style, comments)', () => {
    const text = [
      'version: 1   # the schema version',
      'units:',
      '  - code: "32.16.06.2002"',
      '',
      '',
      '    name:   Lambangsari',
      '    programmes: [ desa-digital-2022 ]',
      '    connectivity: {status: unknown}',
      '  - code: "32.16.06.2003"',
      '    name: Lambangjaya',
      '    connectivity:',
      '      status: unknown   # survey pending',
      '',
    ].join('\n');
    const { text: after, preserved } = edit(text, (doc) => setField(doc, ['units', 1, 'connectivity', 'status'], 'connected'));
    expect(preserved).toBe(true);
    // Only the edited line changes (rendered by the writer, its comment kept).
    expect(changedLines(text, after)).toEqual({ added: ['      status: connected # survey pending'], removed: ['      status: unknown   # survey pending'] });
  });

  it('keeps Windows line endings', () => {
    const text = 'version: 1\r\nunits:\r\n  - code: "32.16.06.2002"\r\n    connectivity:\r\n      status: unknown\r\n';
    const { text: after } = edit(text, (doc) => setField(doc, ['units', 0, 'connectivity', 'status'], 'connected'));
    expect(after).toBe(text.replace('unknown', 'connected'));
  });

  it('places a new key where the schema lists it, not at the end of the unit', () => {
    const text = 'units:\n  - code: "32.16.06.2002"\n    name: Lambangsari\n    kind: desa\n    kecamatan: Tambun Selatan\n    connectivity:\n      status: unknown\n';
    const { text: after } = edit(text, (doc) => setField(doc, ['units', 0, 'slug'], 'lambangsari'));
    expect(after).toBe(text.replace('Selatan\n', 'Selatan\n    slug: lambangsari\n'));
  });

  it('removes a field and the mappings it leaves empty', () => {
    const text = 'units:\n  - code: "32.16.06.2002"\n    services:\n      site:\n        url: unknown\n    connectivity:\n      status: unknown\n';
    const { text: after } = edit(text, (doc) => setField(doc, ['units', 0, 'services', 'site', 'url'], undefined));
    expect(after).toBe('units:\n  - code: "32.16.06.2002"\n    connectivity:\n      status: unknown\n');
  });
});

describe('insertUnit', () => {
  const unit = (code: string, kecamatan: string) => ({ code, name: `N${code.slice(-4)}`, kind: 'desa', kecamatan, connectivity: { status: 'unknown' } });
  const file = [
    'units:',
    '  # Kecamatan Tarumajaya (32.16.01)',
    '  - code: "32.16.01.2001"',
    '    connectivity:',
    '      status: unknown',
    '  # Kecamatan Babelan (32.16.02)',
    '  - code: "32.16.02.2003"',
    '    connectivity:',
    '      status: unknown',
    '  - code: "32.16.02.2005"',
    '    connectivity:',
    '      status: unknown',
    '  # Kecamatan Tambun Selatan (32.16.06)',
    '  - code: "32.16.06.2002"',
    '    connectivity:',
    '      status: unknown',
    '',
  ].join('\n');
  const codesAndHeadings = (text: string) => text.split('\n').filter((l) => l.includes('code:') || l.includes('# Kecamatan')).map((l) => l.trim());

  it('inserts in code order inside the kecamatan block', () => {
    const { text } = edit(file, (doc) => insertUnit(doc, unit('32.16.02.2004', 'Babelan'), 'Babelan'));
    expect(codesAndHeadings(text)).toEqual([
      '# Kecamatan Tarumajaya (32.16.01)',
      '- code: "32.16.01.2001"',
      '# Kecamatan Babelan (32.16.02)',
      '- code: "32.16.02.2003"',
      '- code: "32.16.02.2004"',
      '- code: "32.16.02.2005"',
      '# Kecamatan Tambun Selatan (32.16.06)',
      '- code: "32.16.06.2002"',
    ]);
    expect(text).toContain('  - code: "32.16.02.2004"\n    name: N2004\n    kind: desa\n    kecamatan: Babelan\n    connectivity:\n      status: unknown\n');
  });

  it('keeps the block heading above a unit that becomes the first of its kecamatan', () => {
    const { text } = edit(file, (doc) => insertUnit(doc, unit('32.16.02.1001', 'Babelan'), 'Babelan'));
    expect(codesAndHeadings(text).slice(2, 5)).toEqual(['# Kecamatan Babelan (32.16.02)', '- code: "32.16.02.1001"', '- code: "32.16.02.2003"']);
  });

  it('appends at the end of the last block, and starts a headed block for a new kecamatan', () => {
    const last = edit(file, (doc) => insertUnit(doc, unit('32.16.06.2009', 'Tambun Selatan'), 'Tambun Selatan')).text;
    expect(codesAndHeadings(last).slice(-2)).toEqual(['- code: "32.16.06.2002"', '- code: "32.16.06.2009"']);
    const fresh = edit(file, (doc) => insertUnit(doc, unit('32.16.04.2001', 'Tambelang'), 'Tambelang')).text;
    expect(codesAndHeadings(fresh).slice(5)).toEqual(['# Kecamatan Tambelang (32.16.04)', '- code: "32.16.04.2001"', '# Kecamatan Tambun Selatan (32.16.06)', '- code: "32.16.06.2002"']);
  });
});

describe('unifiedDiff', () => {
  it('shows removed and added lines with context and line numbers', () => {
    const a = 'a\nb\nc\nd\ne\nf\ng\nh\n';
    const b = 'a\nb\nc\nd\nE\nf\ng\nh\n';
    expect(unifiedDiff(a, b, 'x.yaml', 1)).toBe('--- x.yaml\n+++ x.yaml (proposed)\n@@ -4,3 +4,3 @@\n d\n-e\n+E\n f\n');
    expect(unifiedDiff(a, a, 'x.yaml')).toBe('');
  });
});

describe('validateProposed and writeAtomic', () => {
  it('reports problems against the proposed text, naming it as such', () => {
    const broken = repoYaml.replace('  - code: "32.16.01.2001"\n    name: Sagara Makmur', '  - code: "32.16.01.2001"\n    name: Sagara Makmurr');
    expect(broken).not.toBe(repoYaml);
    try {
      validateProposed(broken, fileURLToPath(new URL('../../desa.yaml', import.meta.url)));
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(InvalidInputError);
      const err = e as InvalidInputError;
      expect(err.render()).toMatch(/desa\.yaml \(as it would be\):\d+:\d+: units\[1\]\.name: "Sagara Makmurr" is not the official name/);
    }
  });

  it('writes through a temporary file, and refuses when the file changed since it was read', () => {
    const dir = mkdtempSync(join(tmpdir(), 'desa-edit-'));
    const f = join(dir, 'desa.yaml');
    writeFileSync(f, 'old\n');
    writeAtomic(f, 'new\n', 'old\n');
    expect(readFileSync(f, 'utf8')).toBe('new\n');
    expect(() => writeAtomic(f, 'newer\n', 'old\n')).toThrow(/changed while this command ran; nothing was written/);
    expect(readFileSync(f, 'utf8')).toBe('new\n');
    expect(readdirSync(dir)).toEqual(['desa.yaml']);
  });
});
