// Generated passwords: typed by people, often on a phone, so an alphabet without look-alikes or
// punctuation, and no weaker than the 192 bits of the 24 random bytes they replaced.
import { describe, expect, it } from 'vitest';
import { PASSWORD_ALPHABET, PASSWORD_BITS, PASSWORD_LENGTH, randomPassword } from './secrets.ts';

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
    // 160,000 draws over 31 symbols: about 5,161 each; a biased draw (such as byte % 31, where the
    // first 8 symbols come up 9/8 as often) would be far outside 5%.
    const expected = (n * PASSWORD_LENGTH) / PASSWORD_ALPHABET.length;
    for (const c of counts.values()) expect(Math.abs(c - expected) / expected).toBeLessThan(0.05);
  });
});
