import { describe, expect, it } from 'vitest';
import { isSeq, parseDocument, type Document } from 'yaml';
import { mergeLines, renderPreserving, unifiedDiff } from './text-merge.ts';

function edit(text: string, change: (doc: Document) => void) {
  const doc = parseDocument(text);
  change(doc);
  return renderPreserving(text, doc);
}

describe('renderPreserving', () => {
  const handWritten = [
    '# desa.yaml, by hand',
    'version: 1   # the schema version',
    '',
    '',
    'units:    # every desa',
    '  - code: "32.16.06.2002"',
    '    name:   Lambangsari',
    '    programmes: [ desa-digital-2022 ]',
    '    connectivity: {status: unknown}',
    '  - code: "32.16.06.2003"',
    '    connectivity:',
    '      status: unknown   # survey pending',
    '',
  ].join('\n');

  it('changes only the edited line, keeping spacing, blank lines, flow style and comments elsewhere', () => {
    const { text, preserved } = edit(handWritten, (doc) => doc.setIn(['units', 1, 'connectivity', 'status'], 'connected'));
    expect(preserved).toBe(true);
    expect(text).toBe(handWritten.replace('      status: unknown   # survey pending', '      status: connected # survey pending'));
  });

  it('keeps \\r\\n line endings, on kept and on changed lines', () => {
    const crlf = handWritten.replace(/\n/g, '\r\n');
    const { text, preserved } = edit(crlf, (doc) => doc.setIn(['units', 0, 'name'], 'Lambang Sari'));
    expect(preserved).toBe(true);
    expect(text).toBe(crlf.replace('    name:   Lambangsari\r\n', '    name: Lambang Sari\r\n'));
  });

  it('leaves a hand-formatted line with its own entry when an entry like it is added after', () => {
    const text = 'units:\n  - code: "32.16.06.2002"\n    name: Lambangsari\n    kind: desa\n    connectivity:\n      status:   unknown\n';
    const added = edit(text, (doc) => {
      const units = doc.get('units', true);
      if (isSeq(units)) units.items.push(doc.createNode({ code: '32.16.06.2003', name: 'Lambangjaya', kind: 'desa', connectivity: { status: 'unknown' } }));
    });
    expect(added.preserved).toBe(true);
    expect(added.text).toBe(`${text}  - code: 32.16.06.2003\n    name: Lambangjaya\n    kind: desa\n    connectivity:\n      status: unknown\n`);
  });
});

describe('mergeLines', () => {
  it('takes the file where only the file differs, the edit where only the edit does, and the edit where both do', () => {
    const base = 'a: 1\nb: 2\nc: 3\nd: 4\ne: 5\n';
    const ours = 'a:  1\nb: 2\nc: 3\nd:   4\ne: 5\n';
    const theirs = 'a: 1\nb: 2\nc: 9\nd: 7\ne: 5\nf: 6\n';
    expect(mergeLines(base, ours, theirs)).toBe('a:  1\nb: 2\nc: 9\nd: 7\ne: 5\nf: 6\n');
  });
});

describe('unifiedDiff', () => {
  it('marks a last line without a newline, and keeps \\r\\n inside the lines', () => {
    expect(unifiedDiff('a\nb', 'a\nc', 'x.yaml')).toBe('--- x.yaml\n+++ x.yaml (proposed)\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+c\n\\ No newline at end of file\n');
    expect(unifiedDiff('a\r\nb\r\n', 'a\r\nc\r\n', 'x.yaml', 0)).toBe('--- x.yaml\n+++ x.yaml (proposed)\n@@ -2,1 +2,1 @@\n-b\r\n+c\r\n');
  });
});
