import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { NATIONAL_CSV, OFFICIAL_CSV } from '../../test/helpers/inventory.ts';
import { parseOfficialList, type OfficialUnit } from './official.ts';
import { assignSlugs, MAX_DERIVED_SLUG, slugCandidates, slugify, type SlugSubject } from './slug.ts';

const DNS_LABEL = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;
const national = [...parseOfficialList(readFileSync(NATIONAL_CSV, 'utf8'), NATIONAL_CSV).units.values()];
const bekasi = [...parseOfficialList(readFileSync(OFFICIAL_CSV, 'utf8'), OFFICIAL_CSV).units.values()];

describe('slugify', () => {
  it.each([
    ['Lambangsari', 'lambangsari'],
    ['Setia Asih', 'setia-asih'],
    ['Regapu’u', 'regapuu'],
    ['Lubuk Pakam I,II', 'lubuk-pakam-i-ii'],
    ['Lambang Sari I, II, III', 'lambang-sari-i-ii-iii'],
    ['Pasar  Baru (Kota)', 'pasar-baru-kota'],
    ['Désa Émas', 'desa-emas'],
    ['---', ''],
  ])('%s → %s', (name, slug) => expect(slugify(name)).toBe(slug));
});

describe('slugs of the whole of Indonesia (83,762 units)', () => {
  const slugs = assignSlugs(national);

  it('gives every unit a valid DNS label of at most 40 characters', () => {
    expect(national).toHaveLength(83_762);
    expect(slugs.size).toBe(83_762);
    for (const s of slugs.values()) {
      expect(s).toMatch(DNS_LABEL);
      expect(s.length).toBeLessThanOrEqual(MAX_DERIVED_SLUG);
    }
  });

  it('never gives two units the same slug, though names repeat (98 Sidomulyo)', () => {
    expect(new Set(slugs.values()).size).toBe(83_762);
    const sidomulyo = national.filter((u) => u.name === 'Sidomulyo');
    expect(sidomulyo).toHaveLength(98);
    // None of them takes the bare name: a shared name is qualified for all who share it.
    expect(sidomulyo.map((u) => slugs.get(u.code))).not.toContain('sidomulyo');
  });

  it('keeps a name bare when no other unit shares it, and qualifies repeated ones by kecamatan first', () => {
    const count = new Map<string, number>();
    for (const u of national) for (const c of slugCandidates(u)) count.set(c, (count.get(c) ?? 0) + 1);
    const unique = national.filter((u) => count.get(slugify(u.name)) === 1);
    expect(unique.length).toBeGreaterThan(10_000);
    for (const u of unique) expect(slugs.get(u.code)).toBe(slugify(u.name));
    const sukamaju = national.filter((u) => u.name === 'Sukamaju').map((u) => slugs.get(u.code)!);
    const byKecamatan = sukamaju.filter((s) => /^sukamaju-[a-z-]+$/.test(s));
    expect(byKecamatan.length).toBeGreaterThan(sukamaju.length / 2);
  });
});

describe('stability', () => {
  const pin = (units: OfficialUnit[]): SlugSubject[] => {
    const slugs = assignSlugs(units);
    return units.map((u) => ({ ...u, slug: slugs.get(u.code)! }));
  };

  it('pinned slugs never change when desa with the same names are added, anywhere in code order', () => {
    // Bekasi as provisioned (pinned), then every unit of Indonesia that shares a name with one of
    // them is added: the Bekasi slugs stay as they were and the newcomers are all distinct.
    const pinned = pin(bekasi);
    const names = new Set(bekasi.map((u) => u.name));
    const newcomers = national.filter((u) => names.has(u.name) && !u.code.startsWith('32.16.'));
    expect(newcomers.length).toBeGreaterThan(500);
    const after = assignSlugs([...newcomers, ...pinned]);
    for (const p of pinned) expect(after.get(p.code)).toBe(p.slug);
    expect(new Set(after.values()).size).toBe(pinned.length + newcomers.length);
  });

  it('unpinned slugs are unaffected by added units that share none of their names', () => {
    const before = assignSlugs(bekasi);
    const taken = new Set(bekasi.flatMap((u) => slugCandidates(u)));
    const unrelated = national.filter((u) => !u.code.startsWith('32.16.') && !slugCandidates(u).some((c) => taken.has(c)));
    const after = assignSlugs([...unrelated, ...bekasi]);
    for (const [code, slug] of before) expect(after.get(code)).toBe(slug);
  });

  it('Bekasi slugs are the plain names, since no name repeats there', () => {
    const slugs = assignSlugs(bekasi);
    for (const u of bekasi) expect(slugs.get(u.code)).toBe(slugify(u.name));
  });
});

describe('the official lists', () => {
  it('are read with surrounding spaces trimmed (the national file has names such as "Jambuk Makmur ")', () => {
    const u = national.find((x) => x.code === '64.07.12.2012')!;
    expect(u.name).toBe('Jambuk Makmur');
    expect(bekasi).toHaveLength(187);
  });
});
