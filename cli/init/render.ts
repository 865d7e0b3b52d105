// Renders an inventory (desa.yaml) from an official code list and the kabupaten's own settings: the
// text `desa init` writes, and scripts/generate-inventory.ts for Bekasi's shipped file and the
// benchmark's national one. Everything not in the official list or the settings is written as
// `unknown` or left out: no data is invented. Pure: data in, text out.
import type { OfficialUnit } from '../../core/inventory/official.ts';
import type { Kind } from '../../core/inventory/schema.ts';
import { assignSlugs } from '../../core/inventory/slug.ts';

export interface TargetSpec {
  id: string;
  /** YYYY-MM-DD, or unknown. */
  setOn: string;
  due: string;
  coverage: number;
  scope: Kind[];
  description: string;
  source: string;
}

export interface ProgrammeSpec {
  id: string;
  name: string;
  year: number;
  source?: string;
}

export interface InventorySpec {
  /** Comment lines at the top, each starting with `#`. */
  header?: string;
  kabupaten: { name: string; code?: string; domain: string; operator: string };
  /** Path of the official CSV as written in the file (relative to the inventory), and the decree. */
  officialCodes: { file: string; source: string };
  targets: TargetSpec[];
  /** Whether kelurahan get mailboxes and storage unless their own entry says otherwise. */
  kelurahanServices: boolean;
  programmes?: ProgrammeSpec[];
  /** Extra lines for specific units, keyed by code (already indented YAML). */
  extra?: Record<string, string>;
}

const RESERVED = /^(yes|no|true|false|null|unknown|on|off|y|n|~)$/i;

/** A name as a YAML value: plain when it reads back as itself, else quoted. */
export const q = (s: string) => (/^[\w][\w .'’()-]*$/.test(s) && !RESERVED.test(s) ? s : JSON.stringify(s));

/**
 * Free text as a block-context YAML value: plain when it is letters, digits, spaces and , . ' ’ ( ) / & -
 * (what names of offices and decrees are made of), else quoted. Never `unknown`, which means "not known".
 */
export const text = (s: string) =>
  /^[\p{L}\p{N}][\p{L}\p{N} .,'’()/&-]*$/u.test(s) && !/[ ]$/.test(s) && !RESERVED.test(s) ? s : JSON.stringify(s);

const kindsOf = (units: readonly OfficialUnit[]): Kind[] => {
  const has = (k: Kind) => units.some((u) => u.kind === k);
  return [...(has('desa') || !units.length ? ['desa' as const] : []), ...(has('kelurahan') ? ['kelurahan' as const] : [])];
};

export function renderInventory(units: OfficialUnit[], o: InventorySpec): string {
  const slugs = assignSlugs(units);
  const k = o.kabupaten;
  const kinds = kindsOf(units);
  /** What a unit is called in the comments: a kota has only kelurahan. */
  const one = kinds.length === 1 && kinds[0] === 'kelurahan' ? 'kelurahan' : 'desa';
  const every = kinds.join(' and ');
  const out: string[] = [];
  if (o.header) out.push(o.header.trimEnd());
  out.push(`version: 1
kabupaten:
  name: ${text(k.name)}${k.code ? `\n  code: "${k.code}"` : ''}
  # Parent domain of every ${one} subdomain (<slug>.${k.domain}) and the mail domain of every
  # ${one} mailbox (<slug>.<role>@${k.domain}). One wildcard certificate covers all subdomains.
  domain: ${k.domain}
  operator: ${text(k.operator)}
  officialCodes:
    file: ${o.officialCodes.file}
    source: ${text(o.officialCodes.source)}
  # Rollout targets as a dated history: a revision is a new entry with \`revises:\`, never an edit.
  targets:`);
  for (const t of o.targets) {
    out.push(`    - id: ${t.id}
      setOn: ${t.setOn}
      due: ${t.due}
      coverage: ${t.coverage}
      scope: [${t.scope.join(', ')}]
      description: ${text(t.description)}
      source: ${text(t.source)}`);
  }
  out.push(`  # Services each kind of unit gets unless its entry says otherwise (\`services:\` on the unit).
  defaults:
    desa:
      # Official mailboxes, handed out through DPMD: one per role, <slug>.<role>@${k.domain}.
      email:
        accounts: [kepala-desa, sekretaris-desa, operator]
        quota: 2Gi
      # Cloud storage for archives, letters and shared documents.
      storage:
        quota: 20Gi
      subdomain:
        enabled: true
      site:
        template: profil
    kelurahan:`);
  if (o.kelurahanServices) {
    out.push(`      # Official mailboxes, one per role, <slug>.<role>@${k.domain}, and cloud storage, as for desa.
      email:
        accounts: [lurah, sekretaris-kelurahan, operator]
        quota: 2Gi
      storage:
        quota: 20Gi`);
  } else {
    out.push(`      # Kelurahan are offices of the kecamatan, outside the DPMD programme that gives desa their
      # mailboxes and storage; enable them on a kelurahan's own entry when it asks.
      email:
        enabled: false
        accounts: [lurah, sekretaris-kelurahan, operator]
        quota: 2Gi
      storage:
        enabled: false
        quota: 20Gi`);
  }
  out.push(`      subdomain:
        enabled: true
      site:
        template: profil
`);
  if (o.programmes?.length) {
    out.push('programmes:');
    for (const p of o.programmes) {
      out.push(`  - id: ${p.id}
    name: ${text(p.name)}
    year: ${p.year}${p.source ? `\n    source: ${text(p.source)}` : ''}`);
    }
    out.push('');
  }
  out.push(`# Every ${every}. Connectivity fields left out are unknown; \`desa import connectivity\`
# fills them from a survey. \`slug\` is pinned: it names the subdomain, mailboxes, namespace and stack.
units:`);
  let kecamatan = '';
  for (const u of units) {
    if (u.kecamatanCode !== kecamatan) {
      kecamatan = u.kecamatanCode;
      out.push(`  # Kecamatan ${u.kecamatan} (${u.kecamatanCode})${u.kabupatenKota ? `, ${u.kabupatenKota}` : ''}`);
    }
    out.push(`  - code: "${u.code}"
    name: ${q(u.name)}
    kind: ${u.kind}
    kecamatan: ${q(u.kecamatan)}
    slug: ${slugs.get(u.code)}${o.extra?.[u.code] ? `\n${o.extra[u.code]!.trimEnd()}` : ''}
    connectivity:
      status: unknown`);
  }
  return `${out.join('\n')}\n`;
}
