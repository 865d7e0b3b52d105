// What `desa validate` says of a valid file: counts, pilots, and a warning for slugs not pinned. From the
// checked file and its slugs, without resolving it (load.ts, checkInventoryFile).
import type { Checked } from './load.ts';

export interface Summary {
  units: number;
  desa: number;
  kelurahan: number;
  kecamatan: number;
  pilots: string[];
  warnings: string[];
}

export function summarize({ raw, slugs }: Pick<Checked, 'raw' | 'slugs'>): Summary {
  const units = raw.units;
  const slugOf = (u: (typeof units)[number]) => slugs.get(u.code)!;
  const unpinned = units.filter((u) => u.slug === undefined);
  const warnings: string[] = [];
  if (unpinned.length) {
    const sample = unpinned.slice(0, 3).map((u) => `${u.name} (${u.code}) → ${slugOf(u)}`).join(', ');
    warnings.push(
      `${unpinned.length} unit(s) have no pinned slug, so their subdomain could change when desa are added: ${sample}${unpinned.length > 3 ? ', …' : ''}. Add \`slug:\` to each (desa onboard does).`,
    );
  }
  const desa = units.filter((u) => u.kind === 'desa').length;
  return {
    units: units.length,
    desa,
    kelurahan: units.length - desa,
    kecamatan: new Set(units.map((u) => u.code.slice(0, 8))).size,
    pilots: units.filter((u) => (u.programmes ?? []).length > 0).map(slugOf),
    warnings,
  };
}
