// One slug lookup: what a name typed by a user (on the command line, or as a stack name) designates, and
// when it designates nothing, the error with the nearest name that would have been accepted.
import { AbortError, EXIT } from '../errors.ts';
import type { Inventory, Unit } from './model.ts';
import { didYouMean } from './problems.ts';

export type Found = { unit: Unit; other?: undefined } | { unit?: undefined; other: string };

/** The nearest accepted name to `name`: one of `others`, a slug or a stack name, when close enough. */
export function nearestName(inventory: Inventory, name: string, others: readonly string[] = []): string | undefined {
  return didYouMean(name, [...new Set([...others, ...inventory.units.flatMap((u) => [u.slug, u.stack])])]);
}

export interface LookupOptions {
  /** Names accepted besides the units, looked at first: `platform`, stacks of desa no longer in desa.yaml. */
  others?: readonly string[];
  /** The flag the name came with (`--only`), for the message. */
  flag?: string;
  /** Whether stack names that are not units would have been accepted (for the message). */
  stacks?: boolean;
  /** What to do when no name is near. */
  nextStep: string;
}

/** The unit (by slug or stack name) or other name that `name` designates; a usage error otherwise. */
export function findByName(inventory: Inventory, name: string, o: LookupOptions): Found {
  if (o.others?.includes(name)) return { other: name };
  const unit = inventory.units.find((u) => u.slug === name || u.stack === name);
  if (unit) return { unit };
  const hint = nearestName(inventory, name, o.others);
  const what = `${o.flag ? `${o.flag} ` : ''}${name}`;
  throw new AbortError(`${what}: no desa or kelurahan with that slug in ${inventory.file}${o.stacks ? ', and no stack of that name' : ''}.`, {
    exitCode: EXIT.usage,
    nextStep: hint ? `Did you mean \`${hint}\`?` : o.nextStep,
  });
}
