import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { withStartLock } from './cluster/start-lock.ts';
import { withPidLock } from './pid-lock.ts';

describe('one start of the local cluster at a time (issue 15: two desa up at once)', () => {
  it('a second start waits for the first, saying who, then runs', async () => {
    const base = mkdtempSync(join(tmpdir(), 'start-'));
    const order: string[] = [];
    const said: string[] = [];
    let release!: () => void;
    const first = withStartLock(base, async () => {
      order.push('first starts');
      await new Promise<void>((r) => (release = r));
      order.push('first done');
    });
    await new Promise((r) => setTimeout(r, 50));
    // The lock holds this process's pid: a second start from "another run" (the same pid here) waits.
    const second = withStartLock(base, async () => void order.push('second runs'), { say: (l) => said.push(l) });
    await new Promise((r) => setTimeout(r, 700));
    expect(order).toEqual(['first starts']);
    expect(said[0]).toMatch(new RegExp(`^waiting for process ${process.pid}\\b.*starting the local cluster$`));
    release();
    await Promise.all([first, second]);
    expect(order).toEqual(['first starts', 'first done', 'second runs']);
  });

  it('a lock left by a process that is gone is taken over; past the wait, the error names the holder', async () => {
    const base = mkdtempSync(join(tmpdir(), 'start-'));
    writeFileSync(join(base, 'start.lock'), '2147483646\n');
    expect(await withStartLock(base, async () => 'ran')).toBe('ran');
    writeFileSync(join(base, 'start.lock'), `${process.pid}\n`);
    await expect(withStartLock(base, async () => 'ran', { waitSeconds: 0 })).rejects.toThrow(`another run is starting the local cluster: process ${process.pid}`);
  });
});

describe('one services sync at a time (two shards on one machine end together)', () => {
  it('the second sync runs after the first, and a holder past the wait is named with what it does', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'sync-')), 'sync.lock');
    const doing = 'applying the stacks to the local servers';
    const order: string[] = [];
    let release!: () => void;
    const first = withPidLock(file, async () => {
      order.push('first');
      await new Promise<void>((r) => (release = r));
    }, { doing });
    await new Promise((r) => setTimeout(r, 50));
    const second = withPidLock(file, async () => void order.push('second'), { doing });
    await new Promise((r) => setTimeout(r, 600));
    expect(order).toEqual(['first']);
    await expect(withPidLock(file, async () => 'ran', { doing, waitSeconds: 0 })).rejects.toThrow(`another run is ${doing}: process ${process.pid}`);
    release();
    await Promise.all([first, second]);
    expect(order).toEqual(['first', 'second']);
  });
});
