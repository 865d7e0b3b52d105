import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fileStore } from './backend-store.ts';
import { codeHash, fingerprint, unchanged } from './fingerprint.ts';
import { readRecord } from './records.ts';

describe('fingerprint of a stack’s inputs', () => {
  it('does not depend on key order, does on any value', () => {
    expect(fingerprint({ a: 1, b: { c: [1, 2], d: 'x' } })).toBe(fingerprint({ b: { d: 'x', c: [1, 2] }, a: 1 }));
    expect(fingerprint({ a: 1, b: { c: [1, 2] } })).not.toBe(fingerprint({ a: 1, b: { c: [2, 1] } }));
  });

  it('the code hash follows the files, not their tests', () => {
    const root = mkdtempSync(join(tmpdir(), 'code-'));
    mkdirSync(join(root, 'stacks'));
    writeFileSync(join(root, 'stacks/index.ts'), 'one');
    const first = codeHash(root, ['stacks', 'missing.txt']);
    writeFileSync(join(root, 'stacks/index.test.ts'), 'a test');
    expect(codeHash(root, ['stacks', 'missing.txt'])).toBe(first);
    writeFileSync(join(root, 'stacks/index.ts'), 'two');
    expect(codeHash(root, ['stacks', 'missing.txt'])).not.toBe(first);
  });
});

describe('skipping an unchanged stack', () => {
  const last = { fingerprint: 'f', stateTime: '2026-11-22T21:00:00Z', cluster: 'uid-1' };
  const now = { fingerprint: 'f', stateTime: '2026-11-22T21:00:00Z', pending: 0, locked: false, cluster: 'uid-1' };
  it('only when the inputs and the state are those of the last successful update', () => {
    expect(unchanged(last, now)).toBe(true);
    expect(unchanged(null, now)).toBe(false);
    expect(unchanged(last, { ...now, fingerprint: 'g' })).toBe(false); // desa.yaml, config or code changed
    expect(unchanged(last, { ...now, stateTime: '2026-11-22T22:00:00Z' })).toBe(false); // someone else updated it
    expect(unchanged(last, { ...now, stateTime: null })).toBe(false); // destroyed, or another backend
    expect(unchanged(last, { ...now, pending: 1 })).toBe(false); // a killed run left work half done
    expect(unchanged(last, { ...now, locked: true })).toBe(false);
  });
  it('never when the cluster is another one, or not known (issue 12: a reset cluster is not "unchanged")', () => {
    expect(unchanged(last, { ...now, cluster: 'uid-2' })).toBe(false); // desa cluster down --reset, then up
    expect(unchanged(last, { ...now, cluster: null })).toBe(false); // this run's cluster could not be identified
    expect(unchanged({ ...last, cluster: null }, now)).toBe(false); // recorded before desa knew clusters
  });
  it('a record written before clusters were recorded reads with no cluster', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'state-'));
    mkdirSync(join(dir, '.desa/last-update/desa'), { recursive: true });
    writeFileSync(join(dir, '.desa/last-update/desa/x.json'), JSON.stringify({ fingerprint: 'f', stateTime: 't' }));
    expect(await readRecord(fileStore(dir), 'x')).toEqual({ fingerprint: 'f', stateTime: 't', cluster: null });
  });
});
