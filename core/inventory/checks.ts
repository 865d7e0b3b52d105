// Checks across fields and entries that a schema cannot express: duplicates, the official list,
// kecamatan against code, references between sections, dates that contradict each other.
import { PLATFORM_STACK } from './model.ts';
import { kindOfCode, type OfficialList } from './official.ts';
import type { Locator, Problem } from './problems.ts';
import { didYouMean } from './problems.ts';
import type { InventoryFile, UnitEntry } from './schema.ts';
import { slugify } from './slug.ts';

/** Longest pinned slug: `desa-<slug>` must still be a 63-character Kubernetes namespace. */
export const MAX_PINNED_SLUG = 58;

export function today(): string {
  return process.env.DESA_TODAY ?? new Date().toISOString().slice(0, 10);
}

/**
 * `units` is checked against `raw`'s kabupaten and programmes; an undefined entry is a unit that failed
 * the schema (already reported) and is skipped while keeping the indices of the others.
 */
export function checkInventory(
  raw: InventoryFile,
  units: readonly (UnitEntry | undefined)[],
  official: OfficialList,
  at: Locator,
): Problem[] {
  const problems: Problem[] = [];
  const push = (p: Problem) => problems.push(p);
  const now = today();

  // Targets: unique ids, revisions that point at earlier targets.
  const targetIds = new Map<string, number>();
  raw.kabupaten.targets.forEach((t, i) => {
    const path = ['kabupaten', 'targets', i];
    if (targetIds.has(t.id)) push(at.at([...path, 'id'], `target id "${t.id}" is used twice`, 'Give each target its own id.'));
    targetIds.set(t.id, i);
    if (t.revises !== undefined && !targetIds.has(t.revises)) {
      const near = didYouMean(t.revises, [...targetIds.keys()]);
      push(at.at([...path, 'revises'], `"${t.revises}" is not an earlier target`, near ? `did you mean "${near}"?` : 'List the revised target first, then the revision.'));
    }
    if (t.setOn !== 'unknown' && t.setOn > t.due) push(at.at([...path, 'setOn'], `set on ${t.setOn}, after its due date ${t.due}`));
  });

  const programmes = new Set((raw.programmes ?? []).map((p) => p.id));
  const prefix = raw.kabupaten.code ? `${raw.kabupaten.code}.` : '';
  const codes = new Map<string, number>();
  const slugs = new Map<string, number>();
  const lineOf = (path: (string | number)[]) => at.at(path, '').line;

  units.forEach((u, i) => {
    if (!u) return;
    const path = ['units', i];
    const first = codes.get(u.code);
    if (first !== undefined) {
      push(at.at([...path, 'code'], `code ${u.code} is listed twice (also at line ${lineOf(['units', first, 'code'])})`, 'Keep one entry per code and merge the two.'));
    } else codes.set(u.code, i);

    if (prefix && !u.code.startsWith(prefix)) {
      push(at.at([...path, 'code'], `${u.code} is not in ${raw.kabupaten.name} (codes here start with ${prefix})`));
    }
    const impliedKind = kindOfCode(u.code);
    if (impliedKind && impliedKind !== u.kind) {
      push(at.at([...path, 'kind'], `"${u.kind}" does not match code ${u.code}, which is a ${impliedKind}`, `A fourth segment starting with 1 is a kelurahan, with 2 a desa (3: a desa adat): set kind: ${impliedKind}.`));
    }

    const off = official.units.get(u.code);
    const kecamatanCode = u.code.slice(0, 8);
    const officialKecamatan = official.kecamatan.get(kecamatanCode);
    if (!off && u.source === undefined) {
      const sameName = [...official.units.values()].find((o) => o.name === u.name && o.code.startsWith(prefix));
      push(
        at.at([...path, 'code'], `${u.code} is not in the official list (${raw.kabupaten.officialCodes.source})`,
          sameName
            ? `The official code of ${u.name} is ${sameName.code}.`
            : 'If a newer decree created it, name that decree in `source:`; otherwise correct the code.'),
      );
    }
    if (off && off.name !== u.name && u.source === undefined) {
      push(at.at([...path, 'name'], `"${u.name}" is not the official name of ${u.code}; expected "${off.name}"`, 'Use the official name, or name the decree that renamed it in `source:`.'));
    }
    if (officialKecamatan === undefined) {
      push(at.at([...path, 'code'], `kecamatan ${kecamatanCode} of code ${u.code} is not in the official list`));
    } else if (officialKecamatan !== u.kecamatan) {
      push(at.at([...path, 'kecamatan'], `"${u.kecamatan}" does not match code ${u.code}, which is in kecamatan ${officialKecamatan}`, `Set kecamatan: ${officialKecamatan}, or correct the code.`));
    }

    if (u.slug !== undefined) {
      const other = slugs.get(u.slug);
      if (other !== undefined) {
        const [fresh, owner] = newEntryOf([other, units[other]!], [i, u]);
        const taken = new Set(units.flatMap((x) => (x?.slug ? [x.slug] : [])));
        push(
          at.at(
            ['units', fresh[0], 'slug'],
            `slug "${u.slug}" is already used by ${owner[1].name} (${owner[1].code}, line ${lineOf(['units', owner[0], 'slug'])})`,
            `Give ${fresh[1].name} a slug of its own, such as ${freeSlug(fresh[1], taken)}. Keep ${owner[1].name}'s: once a desa is provisioned, its slug names its stack, subdomain, mailboxes and bucket, and must not change.`,
          ),
        );
      } else slugs.set(u.slug, i);
      if (u.slug.length > MAX_PINNED_SLUG) push(at.at([...path, 'slug'], `slug is ${u.slug.length} characters; at most ${MAX_PINNED_SLUG} fit in the namespace desa-<slug>`));
      if (u.slug === PLATFORM_STACK) push(at.at([...path, 'slug'], `"${PLATFORM_STACK}" is reserved for the shared platform stack`));
    }

    for (const [j, p] of (u.programmes ?? []).entries()) {
      if (!programmes.has(p)) {
        const near = didYouMean(p, [...programmes]);
        push(at.at([...path, 'programmes', j], `programme "${p}" is not defined`, near ? `did you mean "${near}"?` : 'Define it under the top-level `programmes:`.'));
      }
    }

    const c = u.connectivity;
    const cpath = [...path, 'connectivity'];
    if (c.connectedOn !== undefined && c.connectedOn !== 'unknown') {
      if (c.status !== 'connected') push(at.at([...cpath, 'connectedOn'], `a connection date is given but status is "${c.status}"`, 'Set status: connected, or remove connectedOn.'));
      if (c.connectedOn > now) push(at.at([...cpath, 'connectedOn'], `${c.connectedOn} is in the future (today is ${now})`));
    }
    const period = c.quality?.period;
    if (period) {
      const [from, to] = period.split('..') as [string, string];
      if (from > to) push(at.at([...cpath, 'quality', 'period'], `the period starts (${from}) after it ends (${to})`));
    }
    const site = u.services?.site;
    if (site?.url !== undefined && (site.template ?? 'profil') !== 'external') {
      push(at.at([...path, 'services', 'site', 'url'], 'url is only for template: external (a site the desa runs elsewhere)'));
    }
  });
  return problems;
}

type Indexed = [number, UnitEntry];

/** The slug looks made from the unit's own name ("sukamaju", "sukamaju-babelan" for Sukamaju). */
const slugOfItsName = (u: UnitEntry) => u.slug !== undefined && (u.slug === slugify(u.name) || u.slug.startsWith(`${slugify(u.name)}-`));

/**
 * Of two entries with the same slug, the new one (the one to change) and the one that holds it: the
 * slug belongs to the entry whose name it is made from when only one is (a copied entry keeps the slug of
 * the desa it was copied from); otherwise the later entry is taken as the new one.
 */
export function newEntryOf(earlier: Indexed, later: Indexed): [fresh: Indexed, owner: Indexed] {
  return slugOfItsName(later[1]) && !slugOfItsName(earlier[1]) ? [earlier, later] : [later, earlier];
}

/** A slug for the new entry that no other entry uses: its name, else its name and kecamatan. */
function freeSlug(u: UnitEntry, taken: ReadonlySet<string>): string {
  const own = slugify(u.name);
  return own && !taken.has(own) ? own : `${own}-${slugify(u.kecamatan)}`;
}
