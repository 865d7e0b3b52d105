import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AbortError, EXIT } from '../../core/errors.ts';
import { loadInventory } from '../../core/inventory/load.ts';
import { PLATFORM_STACK } from '../../core/inventory/model.ts';
import { ROOT } from '../paths.ts';
import { checkShardWithOnly, ofShard, parseShard, runsPlatform, shardLine, shardOf, shardSummary } from './shard.ts';

const bekasi = loadInventory(join(ROOT, 'desa.yaml')).inventory.units.map((u) => u.stack);

const usageError = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(AbortError);
    expect((e as AbortError).exitCode).toBe(EXIT.usage);
    return e as AbortError;
  }
  throw new Error('no error');
};

describe('--shard K/N', () => {
  it('reads K/N; anything else is a usage error naming the flag and what to write', () => {
    expect(parseShard('2/3')).toEqual({ index: 2, count: 3 });
    expect(parseShard('1/1')).toEqual({ index: 1, count: 1 });
    for (const bad of ['0/2', '3/2', 'a/b', '2', '1/0', '-1/2', '1.5/2', '']) {
      const e = usageError(() => parseShard(bad));
      expect(e.message).toContain(`--shard ${bad}`);
      expect(e.nextStep).toContain('--shard K/N');
    }
    expect(usageError(() => parseShard('3/2')).message).toMatch(/K must be from 1 to N \(2\)/);
  });

  it('refuses --only beside it', () => {
    expect(usageError(() => checkShardWithOnly({ index: 1, count: 2 }, ['sumberjaya'])).message).toMatch(/--shard and --only/);
    expect(() => checkShardWithOnly({ index: 1, count: 2 }, [])).not.toThrow();
    expect(() => checkShardWithOnly(undefined, ['sumberjaya'])).not.toThrow();
  });
});

describe('which shard runs a stack', () => {
  it('every stack in exactly one shard, the platform in shard 1', () => {
    expect(bekasi).toHaveLength(187);
    for (const n of [1, 2, 3, 5, 8]) {
      const shares = Array.from({ length: n }, (_, i) => ofShard(bekasi, { index: i + 1, count: n }));
      expect(shares.flat().sort()).toEqual([...bekasi].sort());
      expect(new Set(shares.flat()).size).toBe(bekasi.length);
      expect(shardOf(PLATFORM_STACK, n)).toBe(1);
    }
    expect(runsPlatform({ index: 1, count: 3 })).toBe(true);
    expect(runsPlatform({ index: 2, count: 3 })).toBe(false);
    expect(runsPlatform(undefined)).toBe(true);
  });

  it('balanced over the 187 desa of Bekasi: each of N shards within 25% of 187/N', () => {
    for (const n of [2, 3, 4]) {
      const sizes = Array.from({ length: n }, (_, i) => ofShard(bekasi, { index: i + 1, count: n }).length);
      for (const size of sizes) expect(Math.abs(size - 187 / n) / (187 / n), `N=${n}: ${sizes.join(' ')}`).toBeLessThanOrEqual(0.25);
    }
  });

  it('stable: a desa keeps its shard when others are added or removed', () => {
    const before = new Map(bekasi.map((s) => [s, shardOf(s, 3)]));
    const grown = [...bekasi, 'desa-baru', 'kelurahan-baru', 'pemekaran-1', 'pemekaran-2'];
    const shrunk = bekasi.filter((_, i) => i % 7 !== 0);
    for (const s of grown.filter((x) => before.has(x))) expect(shardOf(s, 3)).toBe(before.get(s));
    for (const n of [2, 3]) {
      for (let k = 1; k <= n; k++) {
        const share = new Set(ofShard(grown, { index: k, count: n }));
        expect(ofShard(shrunk, { index: k, count: n }).every((s) => share.has(s))).toBe(true);
      }
    }
  });

  it('one more shard moves only what the new shard takes', () => {
    for (const n of [2, 3, 4]) {
      const moved = bekasi.filter((s) => shardOf(s, n) !== shardOf(s, n + 1));
      expect(moved.every((s) => shardOf(s, n + 1) === n + 1)).toBe(true);
      expect(moved.length).toBeLessThan((187 / (n + 1)) * 1.5);
    }
  });

  it('the per-shard summary line', () => {
    expect(shardLine(shardSummary({ index: 2, count: 3 }, 62, 187, 1))).toBe("shard 2/3: 62 of 187 desa, 1 gone from desa.yaml offboarded (the platform stack is shard 1's).");
    expect(shardLine(shardSummary({ index: 1, count: 3 }, 63, 187, 0))).toBe('shard 1/3: the platform stack and 63 of 187 desa.');
  });
});
