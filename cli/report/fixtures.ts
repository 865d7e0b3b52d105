// Test fixtures: the real desa.yaml, loaded once, and copies of it with some units' connectivity
// changed. Used by the tests only; nothing here is shipped data.
import { fileURLToPath } from 'node:url';
import { loadInventory } from '../../core/inventory/load.ts';
import type { Connectivity, Inventory, Target } from '../../core/inventory/model.ts';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const DESA_YAML = `${ROOT}desa.yaml`;
export const DESA_BIN = `${ROOT}bin/desa`;

let cached: Inventory | undefined;

/** The shipped inventory, resolved. Copy before changing it: `withConnectivity` does. */
export function realInventory(): Inventory {
  cached ??= loadInventory(DESA_YAML).inventory;
  return cached;
}

export type ConnectivityPatch = Partial<Omit<Connectivity, 'quality'>> & { quality?: Partial<Connectivity['quality']> };

/** A copy of the real inventory with the given units' connectivity (by slug) and targets changed. */
export function withConnectivity(patches: Record<string, ConnectivityPatch>, targets?: Target[]): Inventory {
  const inv = structuredClone(realInventory());
  for (const [slug, p] of Object.entries(patches)) {
    const u = inv.units.find((x) => x.slug === slug);
    if (!u) throw new Error(`no unit with slug ${slug} in desa.yaml`);
    u.connectivity = { ...u.connectivity, ...p, quality: { ...u.connectivity.quality, ...p.quality } };
  }
  if (targets) inv.targets = targets;
  return inv;
}

/** The slugs of the first `n` desa (not kelurahan) after skipping `from`, in file order. */
export function desaSlugs(from: number, n: number): string[] {
  return realInventory()
    .units.filter((u) => u.kind === 'desa')
    .slice(from, from + n)
    .map((u) => u.slug);
}

/** A connected link with every field known. */
export const fullLink = (connectedOn: string | null): ConnectivityPatch => ({
  status: 'connected',
  connectedOn,
  technology: 'fibre',
  bandwidthMbps: 20,
  provider: 'Penyedia Uji',
});

export const AS_OF = '2024-06-30';

// A rollout made up for the tests (never shipped), on the real 187 units, as of AS_OF:
// 10 desa connected monthly in 2023 (10 Jan … 10 Oct), 5 monthly in 2024 (10 Jan … 10 May),
// 2 connected on an unknown date, 3 in progress, 2 not connected, 1 connected after the report date.
export const in2023 = desaSlugs(0, 10);
export const in2024 = desaSlugs(10, 5);
export const undated = desaSlugs(15, 2);
export const inProgress = desaSlugs(17, 3);
export const notConnected = desaSlugs(20, 2);
export const afterAsOf = desaSlugs(22, 1);

export function scenario(): Record<string, ConnectivityPatch> {
  const p: Record<string, ConnectivityPatch> = {};
  in2023.forEach((s, i) => (p[s] = fullLink(`2023-${String(i + 1).padStart(2, '0')}-10`)));
  in2024.forEach((s, i) => (p[s] = fullLink(`2024-0${i + 1}-10`)));
  for (const s of undated) p[s] = fullLink(null);
  for (const s of inProgress) p[s] = { status: 'in-progress', technology: 'radio' };
  for (const s of notConnected) p[s] = { status: 'not-connected' };
  p[afterAsOf[0]!] = fullLink('2024-08-01');
  p[in2023[0]!]!.quality = { uptimePercent: 90, outages: 1, period: '2024-05-01..2024-05-31' };
  p[in2023[1]!]!.quality = { uptimePercent: 99.5, outages: 7, period: '2024-05-01..2024-05-31' };
  p[in2023[2]!]!.quality = { uptimePercent: 99.9, outages: 0, period: '2024-05-01..2024-05-31' };
  return p;
}

const target = (t: Partial<Target> & Pick<Target, 'id' | 'due' | 'coverage'>): Target => ({
  setOn: null,
  scope: ['desa', 'kelurahan'],
  description: 'target uji',
  source: 'uji',
  ...t,
});

export const scenarioTargets = (): Target[] => [
  realInventory().targets[0]!,
  target({ id: 'sebagian-2023', due: '2023-12-31', coverage: 5 }),
  target({ id: 'sebagian-2024', due: '2024-03-31', coverage: 7.5, revises: 'sebagian-2023' }),
  target({ id: 'separuh-2025', due: '2025-12-31', coverage: 50 }),
];
