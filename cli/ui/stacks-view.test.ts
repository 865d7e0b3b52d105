import { Writable } from 'node:stream';
import { cleanup, render } from 'ink-testing-library';
import React from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import type { Operation, StackProgress } from '../engine/progress.ts';
import { createStacksStore, renderStacksView, StacksView } from './stacks-view.ts';

const T0 = 1_700_000_000_000;
let now = T0;
const clock = () => now;

function snap(stack: string, change: Partial<StackProgress>, operation: Operation = 'up'): StackProgress {
  return { stack, operation, phase: 'queued', resourcesDone: 0, resourcesExpected: null, startedAt: null, endedAt: null, changes: null, ...change };
}

function setup(stacks: string[], operation: Operation = 'up') {
  now = T0;
  const store = createStacksStore(stacks, clock);
  const app = render(React.createElement(StacksView, { store, operation, color: false, tickMs: 20 }));
  const frame = () => app.lastFrame() ?? '';
  const waitFor = async (text: string) => {
    for (let i = 0; i < 100 && !frame().includes(text); i++) await new Promise((r) => setTimeout(r, 10));
    expect(frame()).toContain(text);
  };
  return { store, app, frame, waitFor };
}

afterEach(() => cleanup());

describe('the stacks view', () => {
  it('shows running stacks with their resources and message, and finished ones as permanent lines', async () => {
    const v = setup(['platform', 'sumberjaya', 'lambangsari', 'sukamaju']);
    v.store.update(snap('platform', { phase: 'running', startedAt: T0, resourcesDone: 3, resourcesExpected: 8, message: 'creating Namespace desa' }));
    v.store.update(snap('sumberjaya', { phase: 'preparing', startedAt: T0, message: 'lock left by a killed run; cancelled it' }));
    now = T0 + 41_000;
    await v.waitFor('00:41 elapsed');
    expect(v.frame()).toContain('desa up · 0/4 done · 2 running · 00:41 elapsed');
    expect(v.frame()).toMatch(/platform\s+3\/8\s+41s\s+creating Namespace desa/);
    expect(v.frame()).toMatch(/sumberjaya\s+preparing\s+41s\s+lock left by a killed run; cancelled it/);

    v.store.update(snap('platform', { phase: 'succeeded', startedAt: T0, endedAt: T0 + 14_500, resourcesDone: 8, resourcesExpected: 8, changes: { create: 6, update: 2, delete: 0, same: 0 } }));
    v.store.update(snap('sumberjaya', { phase: 'running', startedAt: T0, resourcesDone: 12 }));
    v.store.update(snap('lambangsari', { phase: 'failed', startedAt: T0, endedAt: T0 + 3_100, error: 'Deployment lambangsari-site: timed out' }));
    v.store.update(snap('sukamaju', { phase: 'skipped', error: 'platform failed' }));
    await v.waitFor('3/4 done');
    const f = v.frame();
    expect(f).toContain('desa up · 3/4 done · 1 failed · 1 skipped · 1 running · 00:41 elapsed');
    expect(f).toMatch(/✔ platform\s+done: 6 created, 2 updated in 14.5s/);
    expect(f).toMatch(/✖ lambangsari\s+failed after 3.1s: Deployment lambangsari-site: timed out/);
    expect(f).toMatch(/– sukamaju\s+skipped: platform failed/);
    expect(f).toMatch(/sumberjaya\s+12\s+41s/);
    // The finished stacks are no longer in the live region, and each permanent line is printed once.
    expect(f.match(/✔ platform/g)).toHaveLength(1);
    expect(f).not.toMatch(/platform\s+3\/8/);
  });

  it('says plan and destroy in the header and the lines', async () => {
    const v = setup(['platform'], 'preview');
    v.store.update(snap('platform', { phase: 'succeeded', startedAt: T0, endedAt: T0 + 2_000, changes: { create: 3, update: 1, delete: 0, same: 2 } }, 'preview'));
    await v.waitFor('desa plan · 1/1 done');
    expect(v.frame()).toMatch(/✔ platform\s+plan: 3 to create, 1 to update, 2 unchanged in 2.0s/);

    const d = setup(['cibitung'], 'destroy');
    d.store.update(snap('cibitung', { phase: 'succeeded', startedAt: T0, endedAt: T0 + 9_000, changes: { create: 0, update: 0, delete: 21, same: 0 } }, 'destroy'));
    await d.waitFor('desa destroy · 1/1 done');
    expect(d.frame()).toMatch(/✔ cibitung\s+destroyed: 21 deleted in 9.0s/);
  });

  it('renders 188 stacks updated at once in a few frames, and the last one is right', async () => {
    const names = ['platform', ...Array.from({ length: 187 }, (_, i) => `desa-${i}`)];
    const v = setup(names);
    await v.waitFor('0/188 done');
    const before = v.app.frames.length;
    for (const [i, stack] of names.entries()) {
      v.store.update(snap(stack, { phase: 'running', startedAt: T0 }));
      v.store.update(snap(stack, { phase: 'running', startedAt: T0, resourcesDone: 5 }));
      if (i < 180) v.store.update(snap(stack, { phase: 'succeeded', startedAt: T0, endedAt: T0 + 3_000, changes: { create: 5, update: 0, delete: 0, same: 0 } }));
    }
    await v.waitFor('180/188 done');
    expect(v.app.frames.length - before).toBeLessThan(10);
    expect(v.frame()).toContain('desa up · 180/188 done · 8 running');
    expect(v.frame()).toMatch(/✔ desa-178\s+done: 5 created in 3.0s/);
    expect(v.frame()).toMatch(/desa-186\s+5\s+0s/);
  });
});

describe('renderStacksView', () => {
  it('writes the finished lines and the final header to its stream, then lets go', async () => {
    let out = '';
    const stream = new Writable({
      write(chunk, _enc, done) {
        out += String(chunk);
        done();
      },
    }) as unknown as NodeJS.WriteStream;
    const view = renderStacksView({ operation: 'up', stacks: ['platform', 'sumberjaya'], stdout: stream });
    view.update(snap('platform', { phase: 'running', startedAt: Date.now() }));
    view.update(snap('platform', { phase: 'succeeded', startedAt: Date.now() - 1_000, endedAt: Date.now(), changes: { create: 2, update: 0, delete: 0, same: 0 } }));
    view.update(snap('sumberjaya', { phase: 'cancelled', startedAt: Date.now() - 2_000, endedAt: Date.now() }));
    await view.finish();
    await view.finish();
    expect(out).toMatch(/✔ platform\s+done: 2 created in 1.0s/);
    expect(out).toMatch(/– sumberjaya\s+cancelled after 2.0s/);
    expect(out).toContain('desa up · 2/2 done · 1 cancelled · 0 running · 00:00 elapsed');
    expect(out).not.toContain('\u001B[');
  });
});

describe('finishing', () => {
  it('renders the final state as soon as finish resolves, even right after mounting', async () => {
    const v = setup(['platform']);
    v.store.update(snap('platform', { phase: 'failed', startedAt: T0, endedAt: T0 + 1_000, error: 'boom' }));
    await v.store.finish();
    expect(v.frame()).toMatch(/✖ platform\s+failed after 1.0s: boom/);
    expect(v.frame()).toContain('desa up · 1/1 done · 1 failed · 0 running');
  });
});
