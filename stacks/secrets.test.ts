// Generated passwords: typed by people, often on a phone, so an alphabet without look-alikes or
// punctuation, and no weaker than the 192 bits of the 24 random bytes they replaced.
import { describe, expect, it } from 'vitest';
import { opensidAdminPassword, PASSWORD_ALPHABET, PASSWORD_BITS, PASSWORD_LENGTH, randomPassword } from './secrets.ts';

describe('randomPassword', () => {
  it('uses lower-case letters and digits only, none that looks like another (0 O o, 1 l I i) and no _ or -', () => {
    expect(PASSWORD_ALPHABET).toBe('23456789abcdefghjkmnpqrstuvwxyz');
    for (const c of '01ilo_-OIL') expect(PASSWORD_ALPHABET).not.toContain(c);
    for (let i = 0; i < 200; i++) expect(randomPassword()).toMatch(/^[2-9a-hjkmnp-z]{40}$/);
  });

  it('is at least as strong as 24 random bytes (192 bits): 40 characters of 31 is 198 bits', () => {
    expect(PASSWORD_LENGTH).toBe(40);
    expect(PASSWORD_BITS).toBeCloseTo(40 * Math.log2(31), 6);
    expect(PASSWORD_BITS).toBeGreaterThanOrEqual(192);
  });

  it('draws every character of the alphabet, evenly (no modulo bias)', () => {
    const counts = new Map<string, number>();
    const n = 4000;
    for (let i = 0; i < n; i++) for (const c of randomPassword()) counts.set(c, (counts.get(c) ?? 0) + 1);
    expect([...counts.keys()].sort().join('')).toBe(PASSWORD_ALPHABET);
    // 160,000 draws over 31 symbols, about 5,161 each. Pearson's chi-square over the 31 counts (30
    // degrees of freedom) averages 30 for a fair draw and passes 100 about three times in a billion
    // runs; a biased draw such as byte % 31 (the first 8 symbols 9% too often) scores about 450.
    const expected = (n * PASSWORD_LENGTH) / PASSWORD_ALPHABET.length;
    const chiSquare = [...counts.values()].reduce((sum, c) => sum + (c - expected) ** 2 / expected, 0);
    expect(chiSquare).toBeLessThan(100);
  });
});

describe('opensidAdminPassword', () => {
  // OpenSID's own rule (donjo-app/models/User_model.php syarat_sandi): a password that fails it is sent to
  // "change your password" after the login instead of the dashboard.
  const SYARAT_SANDI = /^(?=.*\d)(?=.*[a-z])(?=.*[A-Z])(?=.*[^a-zA-Z0-9])(?!.*\s).{8,20}$/;

  it('passes OpenSID\'s password rule every time, in four groups of the same readable symbols', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const p = opensidAdminPassword();
      expect(p).toMatch(SYARAT_SANDI);
      expect(p).toMatch(/^[2-9a-hjkmnp-zA-HJKMNP-Z]{4}(-[2-9a-hjkmnp-zA-HJKMNP-Z]{4}){3}$/);
      expect(p.match(/[A-Z]/g)).toHaveLength(1);
      seen.add(p);
    }
    expect(seen.size).toBe(2000);
  });

  it('a password of the project\'s usual form would not pass it', () => {
    expect(randomPassword()).not.toMatch(SYARAT_SANDI);
  });
});
