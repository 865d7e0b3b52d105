// Which stacks a run touches: the desa named by --only (checked against the inventory, with a "did you
// mean"), and the stacks whose desa left desa.yaml. Pure.
import { findByName } from '../../core/inventory/lookup.ts';
import { PLATFORM_STACK, type Inventory } from '../../core/inventory/model.ts';

/** The desa stacks to run: every unit, or those named by `only` (slug or stack name), in inventory order. */
export function selectStacks(inventory: Inventory, only: string[], extra: readonly string[] = []): string[] {
  const all = inventory.units.map((u) => u.stack);
  if (only.length === 0) return all;
  const nextStep = 'Run `desa validate` to list the slugs, or `desa status` for the stacks.';
  for (const s of only) findByName(inventory, s, { others: extra, flag: '--only', nextStep });
  const wanted = new Set(only);
  const fromInventory = inventory.units.filter((u) => wanted.has(u.slug) || wanted.has(u.stack)).map((u) => u.stack);
  return [...fromInventory, ...extra.filter((s) => wanted.has(s))];
}

/** Stacks in the backend whose desa is no longer in the inventory (never the platform). */
export function orphanStacks(inventory: Inventory, existing: readonly string[]): string[] {
  const wanted = new Set(inventory.units.map((u) => u.stack));
  return existing.filter((s) => s !== PLATFORM_STACK && !wanted.has(s)).sort();
}
