import { describe, expect, it } from 'vitest';
import { realInventory } from '../../test/fixtures/report.ts';
import { outputLines, resolveStack } from './outputs.ts';
import { SECRET } from './state.ts';

describe('outputs', () => {
  it('key: value lines, keys sorted, strings bare and the rest as JSON', () => {
    expect(outputLines({ url: 'https://x/', bucket: null, mailboxes: ['a', 'b'], mailPasswords: SECRET })).toEqual([
      'bucket: null',
      'mailPasswords: [secret]',
      'mailboxes: ["a","b"]',
      'url: https://x/',
    ]);
  });

  it('a slug, a stack, platform, or a stack of no unit; anything else is a usage error with a suggestion', () => {
    expect(resolveStack(realInventory(), [], 'sumberjaya')).toBe('sumberjaya');
    expect(resolveStack(realInventory(), [], 'platform')).toBe('platform');
    expect(resolveStack(realInventory(), ['desa-lama'], 'desa-lama')).toBe('desa-lama');
    expect(() => resolveStack(realInventory(), [], 'sumberjay')).toThrow(expect.objectContaining({ exitCode: 2, nextStep: 'Did you mean `sumberjaya`?' }));
  });
});
