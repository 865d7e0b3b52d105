// Renders an inventory (desa.yaml) from an official code list. Used once to create the shipped
// desa.yaml from data/kepmendagri-2025-bekasi.csv, and by the benchmark to build a national inventory.
// Everything not in the official list is written as `unknown`: no data is invented.
//
//   bin/node scripts/generate-inventory.ts data/kepmendagri-2025-bekasi.csv > desa.yaml
import { readFileSync } from 'node:fs';
import { relative, dirname, resolve } from 'node:path';
import { parseOfficialList, type OfficialUnit } from '../core/inventory/official.ts';
import { assignSlugs } from '../core/inventory/slug.ts';

export interface GenerateOptions {
  /** Path of the official CSV as written in the file (relative to the inventory). */
  officialFile: string;
  kabupatenName: string;
  kabupatenCode?: string;
  /** Extra lines for specific units, keyed by code (already indented YAML). */
  extra?: Record<string, string>;
  header?: string;
}

const q = (s: string) => (/^[\w][\w .'’()-]*$/.test(s) && !/^(yes|no|true|false|null|unknown|on|off)$/i.test(s) ? s : JSON.stringify(s));

export function renderInventory(units: OfficialUnit[], o: GenerateOptions): string {
  const slugs = assignSlugs(units);
  const out: string[] = [];
  if (o.header) out.push(o.header.trimEnd());
  out.push(`version: 1
kabupaten:
  name: ${o.kabupatenName}${o.kabupatenCode ? `\n  code: "${o.kabupatenCode}"` : ''}
  # Parent domain of every desa subdomain (<slug>.desa.bekasikab.go.id) and the mail domain of every
  # desa mailbox (<slug>.<role>@desa.bekasikab.go.id). One wildcard certificate covers all subdomains.
  domain: desa.bekasikab.go.id
  operator: Dinas Komunikasi, Informatika, Persandian dan Statistik (Diskominfosantik) Kabupaten Bekasi
  officialCodes:
    file: ${o.officialFile}
    source: Kepmendagri No 300.2.2-2138 Tahun 2025
  # Rollout targets as a dated history: a revision is a new entry with \`revises:\`, never an edit.
  targets:
    - id: terhubung-2023
      setOn: unknown
      due: 2023-12-31
      coverage: 100
      scope: [desa, kelurahan]
      description: Setiap desa dan kelurahan terhubung internet dan terlayani aplikasi pelayanan publik pada 2023
      source: Diskominfosantik Kabupaten Bekasi
  # Services each kind of unit gets unless its entry says otherwise (\`services:\` on the unit).
  defaults:
    desa:
      # Official mailboxes, handed out through DPMD: one per role, <slug>.<role>@desa.bekasikab.go.id.
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
    kelurahan:
      # Kelurahan are offices of the kecamatan, outside the DPMD programme that gives desa their
      # mailboxes and storage; enable them on a kelurahan's own entry when it asks.
      email:
        enabled: false
        accounts: [lurah, sekretaris-kelurahan, operator]
        quota: 2Gi
      storage:
        enabled: false
        quota: 20Gi
      subdomain:
        enabled: true
      site:
        template: profil

programmes:
  - id: desa-digital-2022
    name: Desa Digital 2022
    year: 2022
    source: Diskominfosantik Kabupaten Bekasi

# Every desa and kelurahan. Connectivity fields left out are unknown; \`desa import connectivity\`
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

const HEADER = `# desa.yaml: the inventory of every desa and kelurahan of Kabupaten Bekasi, and what each is served.
# Codes, names and kecamatan: Kepmendagri No 300.2.2-2138 Tahun 2025 (data/kepmendagri-2025-bekasi.csv).
# Where a real value is not known the file says \`unknown\` or leaves the field out: never guess.
# Check it with \`desa validate\`; add or complete a desa with \`desa onboard\`.
`;

/** The four 2022 Desa Digital pilots; Lambangsari already runs its own village app. */
const BEKASI_EXTRA: Record<string, string> = {
  '32.16.06.2002': `    programmes: [desa-digital-2022]
    services:
      site:
        # Lambangsari runs its own village app; the subdomain points there once its address is known.
        template: external
        url: unknown`,
  '32.16.06.2010': '    programmes: [desa-digital-2022]',
  '32.16.10.2005': '    programmes: [desa-digital-2022]',
  '32.16.10.2008': '    programmes: [desa-digital-2022]',
};

if (import.meta.main) {
  const csv = process.argv[2] ?? 'data/kepmendagri-2025-bekasi.csv';
  const list = parseOfficialList(readFileSync(csv, 'utf8'), csv);
  const units = [...list.units.values()].sort((a, b) => (a.code < b.code ? -1 : 1));
  process.stdout.write(
    renderInventory(units, {
      officialFile: relative(dirname(resolve('desa.yaml')), resolve(csv)),
      kabupatenName: 'Kabupaten Bekasi',
      kabupatenCode: '32.16',
      extra: BEKASI_EXTRA,
      header: HEADER,
    }),
  );
}
