// What `desa init` writes for one kabupaten or kota: desa.yaml, and beside it (under data/) the extract
// of the official list it is validated against. Pure apart from the national list it is given: the
// request in, the two files' paths and text out, the inventory validated in memory before anything is
// written.
import { dirname, resolve } from 'node:path';
import { validateParsed, parseYamlText } from '../../core/inventory/load.ts';
import { InvalidInputError } from '../../core/errors.ts';
import { parseOfficialList } from '../../core/inventory/official.ts';
import type { Kind } from '../../core/inventory/schema.ts';
import { extractName, NATIONAL_LIST_NAME, OFFICIAL_SOURCE, renderExtract, shapeOf, type Region, type Shape } from './national.ts';
import { renderInventory, type TargetSpec } from './render.ts';

export interface InitRequest {
  region: Region;
  /** Path of the desa.yaml to write. */
  out: string;
  domain: string;
  operator: string;
  target: {
    due: string;
    coverage: number;
    /** YYYY-MM-DD or unknown. */
    setOn: string;
    /** Who set it; the operator when not given. */
    source?: string;
    /** Generated from the others when not given. */
    description?: string;
  };
  /** Whether kelurahan get mailboxes and storage by default; when not given, only where there are no desa (a kota). */
  kelurahanServices?: boolean;
}

export interface OutputFile {
  path: string;
  text: string;
}

export interface InitPlan {
  region: Region;
  shape: Shape;
  kelurahanServices: boolean;
  target: TargetSpec;
  inventory: OutputFile;
  /** The region's official list, and its path as desa.yaml writes it (relative to desa.yaml). */
  extract: OutputFile & { relative: string };
}

const longDate = (iso: string) => new Intl.DateTimeFormat('id-ID', { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(`${iso}T00:00:00Z`));

/** "Setiap desa dan kelurahan terhubung internet paling lambat 31 Desember 2026", or "80% desa …". */
export function describeTarget(scope: Kind[], coverage: number, due: string): string {
  const who = scope.join(' dan ');
  return `${coverage === 100 ? `Setiap ${who}` : `${coverage}% ${who}`} terhubung internet paling lambat ${longDate(due)}`;
}

const count = (n: number, word: string) => `${n.toLocaleString('en-US')} ${word}`;

/** "the 852 desa of Kabupaten Aceh Utara (11.08), in 27 kecamatan" */
export function describeShape(region: Region, shape: Shape): string {
  const units = shape.kinds.length === 2 ? `${count(shape.units, 'desa and kelurahan')} (${shape.desa} desa, ${shape.kelurahan} kelurahan)` : count(shape.units, shape.kinds[0]!);
  return `the ${units} of ${region.name} (${region.code}), in ${count(shape.kecamatan, 'kecamatan')}`;
}

function header(region: Region, shape: Shape, extract: string): string {
  return `# desa.yaml: the inventory of ${describeShape(region, shape)},
# and what each is served. Written by \`desa init\`.
# Codes, names, kinds and kecamatan: ${OFFICIAL_SOURCE},
# in ${extract}, taken from the national list of the desa project
# (${NATIONAL_LIST_NAME}), itself converted from the MIT-licensed dataset
# cahyadsn/wilayah (https://github.com/cahyadsn/wilayah, db/wilayah.sql).
# Where a real value is not known the file says \`unknown\` or leaves the field out: never guess.
# Check it with \`desa validate\`; add or complete a desa with \`desa onboard\`.
`;
}

export function planInit(req: InitRequest): InitPlan {
  const { region } = req;
  const shape = shapeOf(region);
  // One kabupaten: the kecamatan comments need not name it, and the extract has no such column either.
  const units = region.units.map(({ kabupatenKota: _k, provinsi: _p, ...u }) => u);
  const relative = extractName(region);
  const extractPath = resolve(dirname(resolve(req.out)), relative);
  const extractText = renderExtract(units);
  const kelurahanServices = req.kelurahanServices ?? shape.desa === 0;
  const t = req.target;
  const target: TargetSpec = {
    id: `terhubung-${t.due.slice(0, 4)}`,
    setOn: t.setOn,
    due: t.due,
    coverage: t.coverage,
    scope: shape.kinds,
    description: t.description ?? describeTarget(shape.kinds, t.coverage, t.due),
    source: t.source ?? req.operator,
  };
  const text = renderInventory(units, {
    header: header(region, shape, relative),
    kabupaten: { name: region.name, code: region.code, domain: req.domain, operator: req.operator },
    officialCodes: { file: relative, source: OFFICIAL_SOURCE },
    targets: [target],
    kelurahanServices,
  });
  // The request was checked flag by flag; a problem here is desa's own, not the user's.
  try {
    validateParsed(parseYamlText(text, req.out), req.out, parseOfficialList(extractText, extractPath));
  } catch (e) {
    if (e instanceof InvalidInputError) throw new Error(`desa init made an invalid inventory for ${region.name}:\n${e.render(10)}`);
    throw e;
  }
  return { region, shape, kelurahanServices, target, inventory: { path: req.out, text }, extract: { path: extractPath, relative, text: extractText } };
}
