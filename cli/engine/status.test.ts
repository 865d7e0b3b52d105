import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { realInventory } from '../../test/fixtures/report.ts';
import { SECRET, type StackState, type States, withoutGone } from './state.ts';
import { lastOperationLine } from './outputs.ts';
import { buildStatus, headerLine, secretKeysOf, shortTime, statusLines } from './status.ts';

const TZ = process.env.TZ;
beforeAll(() => void (process.env.TZ = 'Asia/Jakarta'));
afterAll(() => void (TZ === undefined ? delete process.env.TZ : (process.env.TZ = TZ)));

const state = (name: string, o: Partial<StackState> = {}): StackState => ({
  name,
  provisioned: true,
  dataKept: false,
  lastUpdate: '2026-11-22T14:10:00.000Z',
  resourceCount: 21,
  outputs: {
    url: `https://${name}.desa.bekasikab.go.id/`,
    siteTemplate: 'profil',
    mailboxes: [`${name}.operator@desa.bekasikab.go.id`],
    mailPasswords: SECRET,
  },
  updateInProgress: false,
  lastOperation: null,
  siteRunning: ['profil'],
  cluster: null,
  ...o,
});

const states = (...stacks: StackState[]): States => ({ backend: { kind: 'file', url: 'file:///x/.desa/state', dir: '/x/.desa/state' }, stacks });
const all = () => realInventory().units.map((u) => u.stack);

describe('buildStatus', () => {
  it('one row per unit with what its stack holds; counts; the platform; stacks of no unit', () => {
    const doc = buildStatus(
      realInventory(),
      all(),
      states(state('platform', { resourceCount: 9, outputs: {} }), state('sumberjaya'), state('lambangsari', { provisioned: false, updateInProgress: true, outputs: {} }), state('desa-lama')),
      false,
    );
    expect(doc.counts).toEqual({ units: 187, provisioned: 1, updating: 1, failed: 0, clusterGone: 0, stacks: 4, notInInventory: 1 });
    expect(doc.platform).toMatchObject({ stack: 'platform', provisioned: true, resourceCount: 9 });
    expect(doc.units.find((u) => u.slug === 'sumberjaya')).toMatchObject({
      code: '32.16.06.2010',
      kecamatan: 'Tambun Selatan',
      provisioned: true,
      url: 'https://sumberjaya.desa.bekasikab.go.id/',
      siteTemplate: 'profil',
      mailboxes: 1,
      outputs: { mailPasswords: SECRET },
    });
    expect(doc.units.find((u) => u.slug === 'karangmukti')).toMatchObject({ provisioned: false, lastUpdate: null, url: null, mailboxes: null, outputs: null });
    expect(doc.notInInventory.map((s) => s.stack)).toEqual(['desa-lama']);
  });

  it('with --only: those units, and no stacks of other units', () => {
    const doc = buildStatus(realInventory(), ['sumberjaya'], states(state('sumberjaya'), state('desa-lama')), true);
    expect(doc.units.map((u) => u.slug)).toEqual(['sumberjaya']);
    expect(doc.notInInventory).toEqual([]);
  });
});

describe('a stack whose last operation failed (issue 10, item 8)', () => {
  const failedUpdate = { kind: 'update', result: 'failed', startedAt: '2026-11-22T14:05:00.000Z', endedAt: '2026-11-22T14:10:04.000Z' };
  const lambangjaya = state('lambangjaya', {
    lastOperation: failedUpdate,
    outputs: { ...state('lambangjaya').outputs, siteTemplate: 'opensid' },
    siteRunning: ['profil'],
  });
  const doc = () => buildStatus(realInventory(), ['lambangjaya', 'sumberjaya'], states(lambangjaya, state('sumberjaya', { siteRunning: ['profil'] })), true, (s) => `/x/.desa/work/${s}/last-error.log`);

  it('is not counted or shown as provisioned: its state says FAILED, with when, and what actually serves', () => {
    const d = doc();
    expect(d.counts).toMatchObject({ provisioned: 1, failed: 1 });
    const u = d.units.find((x) => x.slug === 'lambangjaya')!;
    expect(u).toMatchObject({ lastOperation: failedUpdate, errorLog: '/x/.desa/work/lambangjaya/last-error.log', siteTemplate: 'opensid', siteRunning: ['profil'] });
    expect(d.units.find((x) => x.slug === 'sumberjaya')).toMatchObject({ errorLog: null, siteRunning: ['profil'] });
    const lines = statusLines(d);
    expect(lines[0]).toContain('1 of 2 desa provisioned; 1 whose last operation FAILED');
    const row = lines.find((l) => l.startsWith('lambangjaya '))!.split(/\s{2,}/);
    expect(row[2]).toBe('update FAILED');
    expect(row[3]).toBe('2026-11-22 21:10');
    expect(row[5]).toBe('opensid (serving: profil)');
    expect(lines.find((l) => l.startsWith('sumberjaya '))!.split(/\s{2,}/)[5]).toBe('profil');
    expect(lines.at(-1)).toBe(
      'lambangjaya: the last update FAILED at 2026-11-22 21:10; what it shows is what that update got to, not what was asked for. Its log: /x/.desa/work/lambangjaya/last-error.log.',
    );
  });

  it('desa outputs says so beside the outputs', () => {
    expect(lastOperationLine({ stack: 'lambangjaya', lastUpdate: null, lastOperation: failedUpdate, errorLog: null })).toEqual({
      failed: true,
      text: 'lambangjaya: the last update FAILED at 2026-11-22 21:10; these outputs are what it registered and may not match what runs. `desa up --only lambangjaya` shows the cause.',
    });
    expect(lastOperationLine({ stack: 'sumberjaya', lastUpdate: null, lastOperation: { ...failedUpdate, result: 'succeeded' }, errorLog: null })).toEqual({
      failed: false,
      text: 'sumberjaya: last update succeeded at 2026-11-22 21:10.',
    });
  });
});

describe('status lines', () => {
  const doc = () => buildStatus(realInventory(), ['lambangsari', 'sumberjaya'], states(state('platform', { outputs: {} }), state('sumberjaya'), state('desa-lama')), false);

  it('a header with the platform and the counts, in local time', () => {
    expect(shortTime('2026-11-22T14:10:00.000Z')).toBe('2026-11-22 21:10');
    expect(headerLine(doc())).toBe('platform provisioned 2026-11-22 21:10; 1 of 2 desa provisioned; 1 stack(s) not in desa.yaml');
    expect(headerLine(buildStatus(realInventory(), all(), states(), false))).toBe('platform not provisioned; 0 of 187 desa provisioned');
  });

  it('a table, stacks of no unit last with what `desa up` will do', () => {
    const lines = statusLines(doc());
    expect(lines.slice(1).map((l) => l.split(/\s{2,}/))).toEqual([
      ['SLUG', 'KECAMATAN', 'STATE', 'LAST UPDATE', 'URL', 'SITE', 'MAILBOXES'],
      ['lambangsari', 'Tambun Selatan', 'not provisioned', '-', '-', '-', '-'],
      ['sumberjaya', 'Tambun Selatan', 'provisioned', '2026-11-22 21:10', 'https://sumberjaya.desa.bekasikab.go.id/', 'profil', '1'],
      ['desa-lama', '-', 'provisioned', '2026-11-22 21:10', '-', '-', '-', 'not in desa.yaml: `desa up` destroys it, keeping its data'],
    ]);
  });

  it('after `desa cluster down --reset`: nothing applied to the old local cluster is claimed (issue 12)', () => {
    const old = { server: 'https://127.0.0.1:23793', uid: 'old', local: true as const };
    const stacks = [state('platform', { outputs: {}, cluster: old }), state('sumberjaya', { cluster: old }), state('lambangsari', { cluster: { server: 'https://prod:6443', uid: 'p' } })];
    for (const local of [null, { ...old, uid: 'new' }]) {
      const doc = buildStatus(realInventory(), ['lambangsari', 'sumberjaya'], states(...withoutGone(stacks, local)), false);
      expect(doc.counts).toMatchObject({ provisioned: 1, clusterGone: 1 });
      expect(doc.units.find((u) => u.slug === 'sumberjaya')).toMatchObject({ provisioned: false, clusterGone: true, url: null, mailboxes: null });
      expect(headerLine(doc)).toBe('platform not in the cluster (reset since); 1 of 2 desa provisioned; 1 were in a local cluster since reset (`desa up` provisions them again)');
      expect(statusLines(doc)[3]!.split(/\s{2,}/).slice(0, 3)).toEqual(['sumberjaya', 'Tambun Selatan', 'cluster reset']);
    }
    // The same cluster still there (stopped or running): provisioned as before.
    const same = buildStatus(realInventory(), ['sumberjaya'], states(...withoutGone(stacks, old)), true);
    expect(same.units[0]).toMatchObject({ provisioned: true, clusterGone: false, cluster: old.server });
  });

  it('with secrets shown: the secret outputs under their row', () => {
    const masked = states(state('sumberjaya'));
    const shown = states(state('sumberjaya', { outputs: { ...state('sumberjaya').outputs, mailPasswords: { 'a@b': 'rahasia' } } }));
    const lines = statusLines(buildStatus(realInventory(), ['sumberjaya'], shown, true), secretKeysOf(masked.stacks));
    expect(lines[3]).toBe('    mailPasswords: {"a@b":"rahasia"}');
  });
});
