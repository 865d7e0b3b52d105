// Which kabupaten or kota `desa init --kabupaten X` means: a code (32.16 or 3216) or a name, written as
// people write it ("Kab. Bekasi", "kota bekasi", "Aceh Utara"). A name that fits two (Bekasi is a
// kabupaten and a kota) or none is a usage error that lists the candidates or the nearest names.
import { distance } from 'fastest-levenshtein';
import { AbortError, EXIT } from '../../core/errors.ts';
import type { NationalList, Region } from './national.ts';

/** Lower-case ASCII words: "Kab. Tanjung Jabung Barat" → "kabupaten tanjung jabung barat". */
export function normalizeName(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/['’`]/g, '')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
    .replace(/^kab\b/, 'kabupaten')
    .replace(/^kabupaten adm\b/, 'kabupaten administrasi')
    .replace(/^kota adm\b/, 'kota administrasi');
}

/** The name without "Kabupaten", "Kota" (or their "Administrasi" forms): what is left is often shared. */
export function baseName(normalized: string): string {
  return normalized.replace(/^(kabupaten|kota)( administrasi)? /, '');
}

export const describeRegion = (r: Region) => `${r.name} (${r.code}, ${r.provinsi})`;

/** The regions nearest to a name that matched none, all at the same distance (at most `limit`). */
export function nearestRegions(list: NationalList, query: string, limit = 3): Region[] {
  const q = normalizeName(query);
  const qb = baseName(q);
  const scored: { r: Region; d: number }[] = [];
  for (const r of list.regions.values()) {
    const full = normalizeName(r.name);
    const d = Math.min(distance(q, full), distance(qb, baseName(full)));
    if (d <= Math.max(2, Math.floor(qb.length / 3))) scored.push({ r, d });
  }
  scored.sort((a, b) => a.d - b.d || (a.r.code < b.r.code ? -1 : 1));
  // Only the nearest: "Bogr" is as near to Kabupaten Bogor as to Kota Bogor, and nearer than to Bone.
  return scored.filter((s) => s.d === scored[0]!.d).slice(0, limit).map((s) => s.r);
}

/** What a query designates: one region, or why not (with what to offer instead). */
export type Lookup =
  | { region: Region }
  | { problem: 'empty' }
  | { problem: 'no-code'; code: string; provinsi?: { name: string; first: Region; last: Region } }
  | { problem: 'too-deep'; level: 'kecamatan' | 'desa or kelurahan'; within?: Region }
  | { problem: 'ambiguous'; candidates: Region[] }
  | { problem: 'provinsi'; provinsi: string; some: Region[] }
  | { problem: 'no-name'; near: Region[] };

export function lookupRegion(list: NationalList, query: string): Lookup {
  const text = query.trim();
  const code = /^(\d{2})\.?(\d{2})$/.exec(text);
  if (code) {
    const c = `${code[1]}.${code[2]}`;
    const region = list.regions.get(c);
    if (region) return { region };
    const name = list.provinces.get(code[1]!);
    const inProvinsi = [...list.regions.values()].filter((x) => x.provinsiCode === code[1]);
    return { problem: 'no-code', code: c, ...(name && inProvinsi.length ? { provinsi: { name, first: inProvinsi[0]!, last: inProvinsi.at(-1)! } } : {}) };
  }
  const deeper = /^(\d{2}\.\d{2})\.\d{2}(\.\d{4})?$/.exec(text);
  if (deeper) {
    const within = list.regions.get(deeper[1]!);
    return { problem: 'too-deep', level: deeper[2] ? 'desa or kelurahan' : 'kecamatan', ...(within ? { within } : {}) };
  }
  const q = normalizeName(text);
  if (!q) return { problem: 'empty' };
  const regions = [...list.regions.values()];
  const exact = regions.find((r) => normalizeName(r.name) === q);
  if (exact) return { region: exact };
  const same = regions.filter((r) => baseName(normalizeName(r.name)) === baseName(q));
  if (same.length === 1) return { region: same[0]! };
  if (same.length > 1) return { problem: 'ambiguous', candidates: same };
  const provinsi = [...list.provinces].find(([, name]) => normalizeName(name) === q);
  if (provinsi) return { problem: 'provinsi', provinsi: provinsi[1], some: regions.filter((r) => r.provinsiCode === provinsi[0]).slice(0, 3) };
  return { problem: 'no-name', near: nearestRegions(list, text) };
}

const NEXT = 'Pass the code (such as 32.16) or the name as the decree writes it (such as "Kabupaten Bekasi" or "Kota Bekasi").';

/** The one kabupaten or kota `query` designates; a usage error (exit 2) naming the candidates otherwise. */
export function findRegion(list: NationalList, query: string, flag = '--kabupaten'): Region {
  const found = lookupRegion(list, query);
  if ('region' in found) return found.region;
  const text = query.trim();
  const usage = (message: string, nextStep: string) => new AbortError(`${flag} ${message}`, { exitCode: EXIT.usage, nextStep });
  switch (found.problem) {
    case 'empty':
      throw usage('is empty.', NEXT);
    case 'no-code': {
      const p = found.provinsi;
      throw usage(`${text}: no kabupaten or kota has the code ${found.code} in Kepmendagri 2025.`, p ? `The codes of ${p.name} run from ${p.first.code} (${p.first.name}) to ${p.last.code} (${p.last.name}).` : NEXT);
    }
    case 'too-deep':
      throw usage(`${text}: that is the code of a ${found.level}; desa init takes a kabupaten or kota.`, found.within ? `It lies in ${describeRegion(found.within)}: pass ${flag} ${found.within.code}.` : NEXT);
    case 'ambiguous': {
      const [first] = found.candidates;
      throw usage(`"${text}" fits ${found.candidates.length}: ${found.candidates.map(describeRegion).join('; ')}.`, `Pass the full name or the code, such as ${flag} ${first!.code} or ${flag} "${first!.name}".`);
    }
    case 'provinsi':
      throw usage(`"${text}" is a provinsi; desa init takes one kabupaten or kota of it.`, `Such as ${found.some.map((r) => `${r.code} (${r.name})`).join(', ')}, …`);
    case 'no-name':
      throw usage(`"${text}": no kabupaten or kota of that name in Kepmendagri 2025.`, found.near.length ? `Did you mean ${found.near.map(describeRegion).join(', or ')}?` : NEXT);
  }
}
