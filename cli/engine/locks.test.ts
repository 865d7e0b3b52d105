import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeHolder, holdersInError, isLockError, liveHolders, readLockHolders, StackLockedError } from './locks.ts';

// What the Pulumi CLI (file backend) prints when another run holds the stack.
const CLI_ERROR = `code: -2
 stdout:
 stderr: Command failed with exit code 255: pulumi up --yes --skip-preview
error: the stack is currently locked by 1 lock(s). Either wait for the other process(es) to end or delete the lock file with \`pulumi cancel\`.
  file:///x/.desa/state/.pulumi/locks/organization/desa/sumberjaya/0c6b7f3e.json: created by root@vm-1 (pid 4242) at 2026-12-03T10:02:03Z`;

describe('who holds a stack', () => {
  it('a lock error is recognised and its holder read, whatever the CLI wraps it in', () => {
    expect(isLockError(CLI_ERROR)).toBe(true);
    expect(isLockError('error: [409] Conflict: Another update is currently in progress.')).toBe(true);
    expect(isLockError('code: -2\n stderr: error: resource not found')).toBe(false);
    expect(holdersInError(CLI_ERROR)).toEqual([{ pid: 4242, user: 'root', host: 'vm-1', since: '2026-12-03T10:02:03Z' }]);
  });

  it('the lock files of a file backend: pid, user, host, since; an unreadable one still counts', () => {
    const b = mkdtempSync(join(tmpdir(), 'locks-'));
    const dir = join(b, '.pulumi/locks/organization/desa/sumberjaya');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'a.json'), JSON.stringify({ pid: 12, username: 'root', hostname: 'vm-1', timestamp: '2026-12-03T10:02:03.5Z' }));
    writeFileSync(join(dir, 'b.json'), '{');
    expect(readLockHolders(b, 'sumberjaya')).toEqual([{ pid: 12, user: 'root', host: 'vm-1', since: '2026-12-03T10:02:03.5Z' }, { pid: null }]);
    expect(readLockHolders(b, 'other')).toEqual([]);
  });

  it('a lock of a process gone from this host is not waited for (the next run cancels it); others are', () => {
    const holders = [{ pid: 1, host: 'vm-1' }, { pid: 2, host: 'vm-1' }, { pid: 3, host: 'vm-2' }, { pid: null }];
    expect(liveHolders(holders, 'vm-1', (pid) => pid === 2).map((h) => h.pid)).toEqual([2, 3, null]);
  });

  it('is named: the process, the desa command behind it, user, host, since when', () => {
    const h = { pid: 4242, user: 'root', host: 'vm-1', since: '2026-12-03T10:02:03Z' };
    const now = Date.parse('2026-12-03T10:02:07Z');
    const cmd = (pid: number) => (pid === 4242 ? 'pulumi up --yes' : pid === 4200 ? 'desa up --refresh --only sumberjaya' : null);
    expect(describeHolder(h, { host: 'vm-1', now, command: cmd, parent: () => 4200 })).toBe(
      'process 4242 (pulumi up --yes, run by `desa up --refresh --only sumberjaya`, pid 4200) of root on this machine (vm-1) since 2026-12-03 10:02:03Z (4s ago)',
    );
    expect(describeHolder(h, { host: 'ci-runner', now, command: cmd, parent: () => 4200 })).toBe('process 4242 of root on vm-1 since 2026-12-03 10:02:03Z (4s ago)');
  });

  it('the error says another run holds the stack, who, and what to do: never "code: -2" (issue 12)', () => {
    const e = new StackLockedError('sumberjaya', holdersInError(CLI_ERROR), { waited: 0, detail: CLI_ERROR, describe: (h) => `process ${h.pid} on ${h.host}` });
    expect(e.message).toBe('another run holds stack sumberjaya: process 4242 on vm-1. Let it finish, then run again (--lock-wait SECONDS waits longer).');
    expect(e.nextStep).toMatch(/pulumi cancel --stack sumberjaya/);
    expect(e.exitCode).toBe(4);
    expect(new StackLockedError('x', [], { waited: 300 }).message).toMatch(/^another run holds stack x \(waited 300s\): another run \(the engine did not say which\)/);
  });
});
