// Kabupaten Bekasi's inventory from its official code list: used once to create the shipped desa.yaml
// from data/kepmendagri-2025-bekasi.csv, and by the benchmark to build a national inventory with the
// same settings. The text comes from cli/init/render.ts, as `desa init` writes it for any kabupaten;
// what is Bekasi's own (domain, operator, target, pilots) is here. Everything not in the official list
// is written as `unknown`: no data is invented.
//
//   bin/node scripts/generate-inventory.ts data/kepmendagri-2025-bekasi.csv > desa.yaml
import { readFileSync } from 'node:fs';
import { relative, dirname, resolve } from 'node:path';
import { parseOfficialList, type OfficialUnit } from '../core/inventory/official.ts';
import { OFFICIAL_SOURCE } from '../cli/init/national.ts';
import { renderInventory as renderSpec, type InventorySpec } from '../cli/init/render.ts';

export interface GenerateOptions {
  /** Path of the official CSV as written in the file (relative to the inventory). */
  officialFile: string;
  kabupatenName: string;
  kabupatenCode?: string;
  /** Extra lines for specific units, keyed by code (already indented YAML). */
  extra?: Record<string, string>;
  header?: string;
}

/** Kabupaten Bekasi's own settings: its domain, its Diskominfosantik, its 2023 target and its pilots. */
export const BEKASI = {
  domain: 'desa.bekasikab.go.id',
  operator: 'Dinas Komunikasi, Informatika, Persandian dan Statistik (Diskominfosantik) Kabupaten Bekasi',
  targets: [
    {
      id: 'terhubung-2023',
      setOn: 'unknown',
      due: '2023-12-31',
      coverage: 100,
      scope: ['desa', 'kelurahan'],
      description: 'Setiap desa dan kelurahan terhubung internet dan terlayani aplikasi pelayanan publik pada 2023',
      source: 'Diskominfosantik Kabupaten Bekasi',
    },
  ],
  programmes: [{ id: 'desa-digital-2022', name: 'Desa Digital 2022', year: 2022, source: 'Diskominfosantik Kabupaten Bekasi' }],
} satisfies Pick<InventorySpec, 'targets' | 'programmes'> & { domain: string; operator: string };

/** An inventory with Bekasi's settings (the shipped desa.yaml; the benchmark's national file). */
export function renderInventory(units: OfficialUnit[], o: GenerateOptions): string {
  return renderSpec(units, {
    ...(o.header ? { header: o.header } : {}),
    kabupaten: { name: o.kabupatenName, ...(o.kabupatenCode ? { code: o.kabupatenCode } : {}), domain: BEKASI.domain, operator: BEKASI.operator },
    officialCodes: { file: o.officialFile, source: OFFICIAL_SOURCE },
    targets: BEKASI.targets,
    kelurahanServices: false,
    programmes: BEKASI.programmes,
    ...(o.extra ? { extra: o.extra } : {}),
  });
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
