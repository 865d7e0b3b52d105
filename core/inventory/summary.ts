import type { Inventory } from './model.ts';

export interface Summary {
  units: number;
  desa: number;
  kelurahan: number;
  kecamatan: number;
  pilots: string[];
  warnings: string[];
}

export function summarize(inv: Inventory): Summary {
  const unpinned = inv.units.filter((u) => !u.slugPinned);
  const warnings: string[] = [];
  if (unpinned.length) {
    const sample = unpinned.slice(0, 3).map((u) => `${u.name} (${u.code}) → ${u.slug}`).join(', ');
    warnings.push(
      `${unpinned.length} unit(s) have no pinned slug, so their subdomain could change when desa are added: ${sample}${unpinned.length > 3 ? ', …' : ''}. Add \`slug:\` to each (desa onboard does).`,
    );
  }
  const desa = inv.units.filter((u) => u.kind === 'desa').length;
  return {
    units: inv.units.length,
    desa,
    kelurahan: inv.units.length - desa,
    kecamatan: inv.kecamatan.length,
    pilots: inv.units.filter((u) => u.programmes.length > 0).map((u) => u.slug),
    warnings,
  };
}
