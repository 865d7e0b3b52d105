import { mkdirSync, mkdtempSync, statSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AbortError, EXIT } from '../errors.ts';
import type { Inventory } from '../inventory/model.ts';
import { describeChanges, localClusterConfig, pool, selectStacks, summaryLines } from './provision.ts';
import { countChanges, parseLock, passphraseEnv, staleLocks, toConfigMap } from './workspace.ts';

const inventory = {
  file: '/x/desa.yaml',
  units: [
    { slug: 'sumberjaya', stack: 'sumberjaya' },
    { slug: 'sukamaju', stack: 'sukamaju' },
    { slug: 'karangraharja', stack: 'karangraharja' },
  ],
} as unknown as Inventory;

describe('selectStacks', () => {
  it('every unit by default, in inventory order', () => {
    expect(selectStacks(inventory, [])).toEqual(['sumberjaya', 'sukamaju', 'karangraharja']);
  });
  it('--only keeps inventory order', () => {
    expect(selectStacks(inventory, ['karangraharja', 'sumberjaya'])).toEqual(['sumberjaya', 'karangraharja']);
  });
  it('an unknown slug is a usage error with a did-you-mean', () => {
    let err: unknown;
    try {
      selectStacks(inventory, ['sumberjya']);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(AbortError);
    expect((err as AbortError).exitCode).toBe(EXIT.usage);
    expect((err as AbortError).nextStep).toContain('sumberjaya');
  });
});

describe('pool', () => {
  it('never runs more than the limit and keeps the order of results', async () => {
    let running = 0;
    let peak = 0;
    const out = await pool([5, 1, 3, 2, 4], 2, async (n) => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((r) => setTimeout(r, n * 3));
      running--;
      return n * 10;
    });
    expect(out).toEqual([50, 10, 30, 20, 40]);
    expect(peak).toBe(2);
  });
  it('handles no items', async () => {
    expect(await pool([], 2, async (n: number) => n)).toEqual([]);
  });
});

describe('summary text', () => {
  it('describes changes', () => {
    expect(describeChanges({ create: 21, update: 0, delete: 0, same: 0 }, 14.49)).toBe('21 created in 14.5s');
    expect(describeChanges({ create: 0, update: 2, delete: 1, same: 5 }, 3)).toBe('2 updated, 1 deleted, 5 unchanged in 3.0s');
    expect(describeChanges(null, 1)).toBe('no changes in 1.0s');
  });
  it('one aligned line per stack, with the error of a failure', () => {
    const lines = summaryLines({
      ok: false,
      stacks: [
        { stack: 'platform', result: 'succeeded', changes: { create: 9, update: 0, delete: 0, same: 0 }, seconds: 3.9 },
        { stack: 'sumberjaya', result: 'failed', changes: null, seconds: 2, error: 'boom' },
      ],
    });
    expect(lines).toEqual(['platform    succeeded  9 created in 3.9s', 'sumberjaya  failed     no changes in 2.0s: boom']);
  });
  it('counts replacements as updates', () => {
    expect(countChanges({ create: 1, replace: 2, update: 1, same: 3 })).toEqual({ create: 1, update: 3, delete: 0, same: 3 });
  });
});

describe('config', () => {
  it('local cluster: every platform service existing, objects as JSON', () => {
    const m = toConfigMap(localClusterConfig('/x/desa.yaml', '/x/.desa/cluster/admin.kubeconfig'));
    expect(m['desa:inventory']).toEqual({ value: '/x/desa.yaml' });
    expect(m['desa:customResources']).toEqual({ value: 'false' });
    expect(JSON.parse(m['desa:ingress']!.value!)).toEqual({ mode: 'existing', publishesStatus: false });
    expect(JSON.parse(m['desa:storage']!.value!)).toEqual({ mode: 'existing', endpoint: 'http://127.0.0.1:9000' });
  });
});

describe('passphrase', () => {
  it('generated once with mode 0600, then reused', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'pp-')), 'sub', 'passphrase');
    expect(passphraseEnv(file, {})).toEqual({ PULUMI_CONFIG_PASSPHRASE_FILE: file });
    const first = readFileSync(file, 'utf8');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    passphraseEnv(file, {});
    expect(readFileSync(file, 'utf8')).toBe(first);
  });
  it("the caller's passphrase wins", () => {
    expect(passphraseEnv('/nope', { PULUMI_CONFIG_PASSPHRASE: 's' })).toEqual({});
    expect(passphraseEnv('/nope', { PULUMI_CONFIG_PASSPHRASE_FILE: '/p' })).toEqual({ PULUMI_CONFIG_PASSPHRASE_FILE: '/p' });
  });
});

describe('stale locks', () => {
  const backend = () => {
    const b = mkdtempSync(join(tmpdir(), 'lock-'));
    mkdirSync(join(b, '.pulumi/locks/organization/desa/sumberjaya'), { recursive: true });
    return b;
  };
  const lock = (b: string, name: string, body: string) => writeFileSync(join(b, '.pulumi/locks/organization/desa/sumberjaya', name), body);

  it('parses pid and hostname; null without a pid', () => {
    expect(parseLock('{"pid":12,"hostname":"vm"}')).toEqual({ pid: 12, hostname: 'vm' });
    expect(parseLock('{"username":"root"}')).toBeNull();
    expect(parseLock('not json')).toBeNull();
  });
  it('only locks of this host whose process is gone', () => {
    const b = backend();
    lock(b, 'dead.json', '{"pid":100,"hostname":"vm"}');
    lock(b, 'live.json', '{"pid":200,"hostname":"vm"}');
    lock(b, 'other-host.json', '{"pid":100,"hostname":"elsewhere"}');
    lock(b, 'no-pid.json', '{"hostname":"vm"}');
    const found = staleLocks(b, 'sumberjaya', 'vm', (pid) => pid === 200);
    expect(found.map((f) => f.split('/').pop())).toEqual(['dead.json']);
  });
  it('no lock folder: nothing', () => {
    expect(staleLocks(backend(), 'other', 'vm', () => false)).toEqual([]);
  });
});
