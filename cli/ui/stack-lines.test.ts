import { describe, expect, it } from 'vitest';
import type { Operation, StackProgress } from '../engine/progress.ts';
import { createPresenter } from './presenter.ts';
import { createLinePresenter, describeChanges, describeOutcome } from './stack-lines.ts';

const T0 = 1_700_000_000_000;

/** A stack's snapshots, each one a change on the one before, as the engine sends them. */
function snapshots(stack: string, operation: Operation = 'up') {
  let p: StackProgress = { stack, operation, phase: 'queued', resourcesDone: 0, resourcesExpected: 21, startedAt: null, endedAt: null, changes: null };
  return (change: Partial<StackProgress>) => (p = { ...p, ...change });
}

function presenter() {
  const lines: string[] = [];
  return { lines, update: createLinePresenter((l) => lines.push(l)).update };
}

describe('describeChanges', () => {
  it('names what changed, leaving out zeros, with the time', () => {
    expect(describeChanges({ create: 21, update: 2, delete: 0, same: 0 }, 14.5, 'up')).toBe('21 created, 2 updated in 14.5s');
    expect(describeChanges({ create: 0, update: 1, delete: 1, same: 19 }, 3, 'up')).toBe('1 updated, 1 deleted, 19 unchanged in 3.0s');
    expect(describeChanges({ create: 0, update: 0, delete: 0, same: 23 }, 4, 'up')).toBe('no changes in 4.0s');
    expect(describeChanges({ create: 21, update: 0, delete: 0, same: 0 }, 125.2, 'up')).toBe('21 created in 2m 05s');
  });
  it('says what a plan would do, and what destroy deleted', () => {
    expect(describeChanges({ create: 3, update: 1, delete: 0, same: 2 }, null, 'preview')).toBe('3 to create, 1 to update, 2 unchanged');
    expect(describeChanges({ create: 0, update: 0, delete: 0, same: 2 }, null, 'preview')).toBe('no changes');
    expect(describeChanges({ create: 0, update: 0, delete: 21, same: 0 }, 9, 'destroy')).toBe('21 deleted in 9.0s');
    expect(describeChanges({ create: 0, update: 0, delete: 0, same: 0 }, 1, 'destroy')).toBe('nothing to delete in 1.0s');
  });
});

describe('the line presenter', () => {
  it('prints the start, messages and the outcome of an up, never the resource counts', () => {
    const { lines, update } = presenter();
    const s = snapshots('sumberjaya');
    update(s({}));
    update(s({ phase: 'preparing', startedAt: T0 }));
    update(s({ message: 'lock left by a killed run; cancelled it' }));
    update(s({ phase: 'running' }));
    for (let i = 1; i <= 21; i++) update(s({ resourcesDone: i }));
    update(s({ phase: 'succeeded', endedAt: T0 + 14_500, changes: { create: 21, update: 2, delete: 0, same: 0 } }));
    expect(lines).toEqual([
      '[sumberjaya] lock left by a killed run; cancelled it',
      '[sumberjaya] updating…',
      '[sumberjaya] done: 21 created, 2 updated in 14.5s',
    ]);
  });

  it('prints failures, skips and cancellations with their reason and time', () => {
    const { lines, update } = presenter();
    const a = snapshots('lambangsari');
    update(a({ phase: 'running', startedAt: T0 }));
    update(a({ resourcesDone: 3 }));
    update(a({ phase: 'failed', endedAt: T0 + 3_100, error: 'Deployment lambangsari-site: timed out' }));
    update(snapshots('sukamaju')({ phase: 'skipped', error: 'platform failed' }));
    const c = snapshots('cibitung');
    update(c({ phase: 'running', startedAt: T0 }));
    update(c({ phase: 'cancelled', endedAt: T0 + 2_000 }));
    expect(lines).toEqual([
      '[lambangsari] updating…',
      '[lambangsari] failed after 3.1s: Deployment lambangsari-site: timed out',
      '[sukamaju] skipped: platform failed',
      '[cibitung] updating…',
      '[cibitung] cancelled after 2.0s',
    ]);
  });

  it('says planning and destroying for plan and destroy', () => {
    const { lines, update } = presenter();
    const p = snapshots('sumberjaya', 'preview');
    update(p({ phase: 'running', startedAt: T0 }));
    update(p({ resourcesDone: 6 }));
    update(p({ phase: 'succeeded', endedAt: T0 + 2_000, changes: { create: 3, update: 1, delete: 0, same: 2 } }));
    const q = snapshots('lambangsari', 'preview');
    update(q({ phase: 'running', startedAt: T0 }));
    update(q({ phase: 'succeeded', endedAt: T0 + 1_000, changes: { create: 0, update: 0, delete: 0, same: 21 } }));
    const d = snapshots('cibitung', 'destroy');
    update(d({ phase: 'running', startedAt: T0 }));
    update(d({ resourcesDone: 10 }));
    update(d({ phase: 'succeeded', endedAt: T0 + 9_000, changes: { create: 0, update: 0, delete: 21, same: 0 } }));
    expect(lines).toEqual([
      '[sumberjaya] planning…',
      '[sumberjaya] plan: 3 to create, 1 to update, 2 unchanged in 2.0s',
      '[lambangsari] planning…',
      '[lambangsari] plan: no changes in 1.0s',
      '[cibitung] destroying…',
      '[cibitung] destroyed: 21 deleted in 9.0s',
    ]);
  });

  it('prints each message once and at most three per stack, and one outcome', () => {
    const { lines, update } = presenter();
    const s = snapshots('sumberjaya');
    update(s({ phase: 'running', startedAt: T0 }));
    for (const m of ['creating a', 'creating a', 'creating b', 'creating c', 'creating d']) update(s({ message: m }));
    update(s({ phase: 'failed', endedAt: T0 + 1_000, error: 'boom', message: 'boom' }));
    update(s({}));
    expect(lines).toEqual(['[sumberjaya] updating…', '[sumberjaya] creating a', '[sumberjaya] creating b', '[sumberjaya] creating c', '[sumberjaya] failed after 1.0s: boom']);
  });

  it('describes an outcome without a start time', () => {
    const s = snapshots('x');
    expect(describeOutcome(s({ phase: 'cancelled' }))).toBe('cancelled');
    expect(describeOutcome(s({ phase: 'skipped', error: undefined }))).toBe('skipped');
  });
});

describe('createPresenter', () => {
  it('gives lines when nobody is at a terminal', async () => {
    const lines: string[] = [];
    const p = await createPresenter({ operation: 'up', stacks: ['platform'], interactive: false, write: (l) => lines.push(l) });
    p.update(snapshots('platform')({ phase: 'running', startedAt: T0 }));
    await p.finish();
    expect(lines).toEqual(['[platform] updating…']);
  });
});
