// `desa init` without a terminal: what was given is judged before what is missing, so a user hears about
// the misspelt kabupaten or the impossible date first, not after typing every other flag.
import { describe, expect, it } from 'vitest';
import { AbortError } from '../../core/errors.ts';
import { loadNationalList } from './national.ts';
import { MissingFlagsError, requestFromFlags } from './request.ts';

const list = loadNationalList();

describe('requestFromFlags: the order of its complaints', () => {
  it('a misspelt kabupaten gets its did-you-mean even when other flags are missing', () => {
    let err: unknown;
    try {
      requestFromFlags({ kabupaten: 'aceh utra' }, list, 'desa.yaml');
    } catch (e) {
      err = e;
    }
    expect((err as Error).message).toMatch(/^--kabupaten "aceh utra": no kabupaten or kota of that name/);
    expect((err as AbortError).nextStep).toBe('Did you mean Kabupaten Aceh Utara (11.08, Aceh)?');
  });

  it('a bad date given is named before the flags still missing', () => {
    expect(() => requestFromFlags({ kabupaten: '11.08', targetDue: '2027-13-01' }, list, 'desa.yaml')).toThrow(/^--target-due "2027-13-01": expected a date/);
  });

  it('with everything given right, only the missing flags are named', () => {
    let err: unknown;
    try {
      requestFromFlags({ kabupaten: '11.08', targetSetOn: 'unknown' }, list, 'desa.yaml');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(MissingFlagsError);
    expect((err as MissingFlagsError).flags).toEqual(['--domain', '--operator', '--target-due']);
  });
});

describe('runInit without a terminal', () => {
  it('names the misspelt kabupaten before the missing flags, and writes nothing', async () => {
    const { mkdtempSync, existsSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { runInit } = await import('./init.ts');
    const out = join(mkdtempSync(join(tmpdir(), 'desa-init-')), 'desa.yaml');
    await expect(runInit({ kabupaten: 'aceh utra' }, out, undefined)).rejects.toThrow(/^--kabupaten "aceh utra"/);
    expect(existsSync(out)).toBe(false);
  });
});
