import { describe, expect, it } from 'vitest';
import { AbortError, EXIT } from '../errors.ts';
import { findByName, nearestName } from './lookup.ts';
import type { Inventory } from './model.ts';

const inventory = {
  file: '/x/desa.yaml',
  units: [
    { slug: 'sumberjaya', stack: 'sumberjaya' },
    { slug: 'lambangsari', stack: 'lambangsari' },
  ],
} as unknown as Inventory;

const thrown = (f: () => unknown): AbortError => {
  try {
    f();
  } catch (e) {
    return e as AbortError;
  }
  throw new Error('did not throw');
};

describe('findByName', () => {
  it('a slug or stack name gives its unit; an accepted other name comes back as it is, before any unit', () => {
    expect(findByName(inventory, 'lambangsari', { nextStep: '' }).unit?.slug).toBe('lambangsari');
    expect(findByName(inventory, 'platform', { others: ['platform'], nextStep: '' })).toEqual({ other: 'platform' });
  });

  it('anything else is a usage error naming what was typed, with the nearest accepted name', () => {
    const e = thrown(() => findByName(inventory, 'sumberjya', { flag: '--only', nextStep: 'Run desa validate.' }));
    expect(e).toBeInstanceOf(AbortError);
    expect(e.exitCode).toBe(EXIT.usage);
    expect(e.message).toBe('--only sumberjya: no desa or kelurahan with that slug in /x/desa.yaml.');
    expect(e.nextStep).toBe('Did you mean `sumberjaya`?');
    const far = thrown(() => findByName(inventory, 'qqqqqqqq', { stacks: true, nextStep: 'Run desa status.' }));
    expect(far.message).toBe('qqqqqqqq: no desa or kelurahan with that slug in /x/desa.yaml, and no stack of that name.');
    expect(far.nextStep).toBe('Run desa status.');
  });

  it('the nearest name may be one of the others', () => {
    expect(nearestName(inventory, 'platfrom', ['platform'])).toBe('platform');
    expect(nearestName(inventory, 'desa-lama', [])).toBeUndefined();
  });
});
