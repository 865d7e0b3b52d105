// Slugs: the short DNS label that names a desa everywhere (subdomain, mail addresses, namespace, stack).
//
// A slug is the desa's name when that is unambiguous, and is qualified by kecamatan (then by
// kabupaten/kota, then by the official code) when names repeat. Once a desa is provisioned its slug is
// pinned in desa.yaml (`slug:`), and pinned slugs are reserved before anything else is assigned: that
// is what keeps every existing slug stable when other desa are added, whatever their names.

/** Room left for the longest derived name: `<slug>.<role>` mail local parts (64) with roles up to 23 characters. */
export const MAX_DERIVED_SLUG = 40;

/** Lower-case ASCII words joined by hyphens; diacritics dropped, apostrophes removed. */
export function slugify(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/['’`]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

function truncate(part: string, max: number): string {
  return part.length <= max ? part : part.slice(0, max).replace(/-+$/, '');
}

function join(head: string, tail: string, max: number): string {
  if (!tail) return truncate(head, max);
  return `${truncate(head, max - tail.length - 1)}-${tail}`;
}

export interface SlugSubject {
  code: string;
  name: string;
  kecamatan: string;
  /** Present in inventories spanning several kabupaten/kota. */
  kabupatenKota?: string | undefined;
  /** A pinned slug, kept as it is. */
  slug?: string | undefined;
}

/** The candidates for one desa, most readable first; the last one is unique by construction. */
export function slugCandidates(s: SlugSubject, max = MAX_DERIVED_SLUG): string[] {
  const name = slugify(s.name) || 'desa';
  const kec = slugify(s.kecamatan);
  const kab = slugify((s.kabupatenKota ?? '').replace(/^(kabupaten|kota)\s+/i, ''));
  const digits = s.code.replaceAll('.', '');
  const out = [truncate(name, max), join(name, kec, max)];
  if (kab) out.push(join(name, `${kec}-${kab}`, max), join(name, `${kab}-${digits}`, max));
  out.push(join(name, digits, max));
  return [...new Set(out)];
}

/**
 * Assigns a slug to every subject: pinned slugs first, as they are; then the others in code order, each
 * taking its first candidate that is free. A bare name is used only when no other unpinned subject
 * shares it, so two desa called Sukamaju are both qualified rather than one of them winning by code.
 * Returns slugs keyed by code. Duplicate pinned slugs are left for the validator to report.
 */
export function assignSlugs(subjects: readonly SlugSubject[], max = MAX_DERIVED_SLUG): Map<string, string> {
  const result = new Map<string, string>();
  const taken = new Set<string>();
  const unpinned: SlugSubject[] = [];
  for (const s of subjects) {
    if (s.slug) {
      result.set(s.code, s.slug);
      taken.add(s.slug);
    } else unpinned.push(s);
  }
  // How many unpinned subjects want each candidate at each level: a candidate shared by several is
  // skipped by all of them, so that no one of them gets a name that reads as if it were the only one.
  const candidates = unpinned.map((s) => slugCandidates(s, max));
  const demand = new Map<string, number>();
  for (const list of candidates) for (const c of list) demand.set(c, (demand.get(c) ?? 0) + 1);

  const order = unpinned.map((_, i) => i).sort((a, b) => cmp(unpinned[a]!.code, unpinned[b]!.code));
  for (const i of order) {
    const list = candidates[i]!;
    const s = unpinned[i]!;
    let chosen = list.find((c) => !taken.has(c) && demand.get(c) === 1);
    // The official code makes the last candidate unique; this only runs for inventories that repeat codes.
    chosen ??= list.find((c) => !taken.has(c)) ?? `${list[list.length - 1]}-${result.size}`;
    result.set(s.code, chosen);
    taken.add(chosen);
  }
  return result;
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
