import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../errors.ts';
import { edit, INVENTORY, lineOf, shippedText, tempInventory } from '../../test/helpers/inventory.ts';
import { loadInventory } from './load.ts';
import type { Problem } from './problems.ts';

function problemsOf(text: string, opts: { maxBytes?: number } = {}): Problem[] {
  const { file } = tempInventory(text);
  try {
    loadInventory(file, opts);
  } catch (e) {
    if (e instanceof InvalidInputError) return e.problems;
    throw e;
  }
  throw new Error('expected the inventory to be invalid');
}

const SUMBERJAYA = 'code: "32.16.06.2010"';
const unitIndex = (code: string) => loadInventory(INVENTORY).inventory.units.findIndex((u) => u.code === code);

describe('the shipped desa.yaml', () => {
  const { inventory } = loadInventory(INVENTORY);

  it('holds all 187 units of Kabupaten Bekasi: 179 desa and 8 kelurahan in 23 kecamatan', () => {
    expect(inventory.units).toHaveLength(187);
    expect(inventory.units.filter((u) => u.kind === 'desa')).toHaveLength(179);
    expect(inventory.units.filter((u) => u.kind === 'kelurahan')).toHaveLength(8);
    expect(inventory.kecamatan).toHaveLength(23);
  });

  it('marks the four 2022 Desa Digital pilots, and Lambangsari runs its own app', () => {
    const pilots = inventory.units.filter((u) => u.programmes.includes('desa-digital-2022'));
    expect(pilots.map((u) => `${u.name}/${u.kecamatan}`).sort()).toEqual([
      'Karangbahagia/Karang Bahagia',
      'Karangmukti/Karang Bahagia',
      'Lambangsari/Tambun Selatan',
      'Sumberjaya/Tambun Selatan',
    ]);
    const lambangsari = inventory.units.find((u) => u.code === '32.16.06.2002')!;
    expect(lambangsari.services.site).toEqual({ enabled: true, template: 'external', url: null });
  });

  it('invents no connectivity data: every field is unknown', () => {
    for (const u of inventory.units) {
      expect(u.connectivity.status).toBe('unknown');
      expect(u.connectivity.connectedOn).toBeNull();
    }
  });

  it('derives names from pinned slugs and applies kind defaults', () => {
    const sumberjaya = inventory.units.find((u) => u.code === '32.16.06.2010')!;
    expect(sumberjaya).toMatchObject({
      slug: 'sumberjaya',
      slugPinned: true,
      namespace: 'desa-sumberjaya',
      stack: 'sumberjaya',
      services: {
        subdomain: { enabled: true, host: 'sumberjaya.desa.bekasikab.go.id' },
        storage: { enabled: true, quota: '20Gi', bucket: 'desa-sumberjaya' },
        site: { template: 'profil' },
      },
    });
    expect(sumberjaya.services.email.accounts.map((a) => a.address)).toEqual([
      'sumberjaya.kepala-desa@desa.bekasikab.go.id',
      'sumberjaya.sekretaris-desa@desa.bekasikab.go.id',
      'sumberjaya.operator@desa.bekasikab.go.id',
    ]);
    const kelurahan = inventory.units.find((u) => u.code === '32.16.01.1007')!;
    expect(kelurahan.services.email.enabled).toBe(false);
    expect(kelurahan.services.storage.enabled).toBe(false);
    expect(kelurahan.services.site.enabled).toBe(true);
  });
});

describe('per-unit overrides', () => {
  it('replace the kind defaults one service at a time', () => {
    const text = edit(
      shippedText(),
      '    connectivity:',
      `    services:
      email:
        accounts: [kepala-desa, { role: bendahara, aliases: [keuangan], quota: 5Gi }]
      storage:
        quota: 100Gi
      site:
        template: opensid
    connectivity:`,
      SUMBERJAYA,
    );
    const { inventory } = loadInventory(tempInventory(text).file);
    const u = inventory.units.find((x) => x.slug === 'sumberjaya')!;
    expect(u.services.email.accounts).toEqual([
      { role: 'kepala-desa', address: 'sumberjaya.kepala-desa@desa.bekasikab.go.id', aliases: [], quota: '2Gi' },
      {
        role: 'bendahara',
        address: 'sumberjaya.bendahara@desa.bekasikab.go.id',
        aliases: ['sumberjaya.keuangan@desa.bekasikab.go.id'],
        quota: '5Gi',
      },
    ]);
    expect(u.services.storage.quota).toBe('100Gi');
    expect(u.services.site.template).toBe('opensid');
    expect(u.services.subdomain.enabled).toBe(true);
  });
});

describe('bad input is reported with file, line, field and what to do', () => {
  const text = shippedText();
  const cases: { name: string; text: () => string; line: number; path: string; message: RegExp; hint?: RegExp }[] = [
    {
      name: 'an invalid enum value, with a suggestion',
      text: () => edit(text, 'status: unknown', 'status: conected', SUMBERJAYA),
      line: lineOf(text, 'status: unknown', SUMBERJAYA),
      path: 'units.48.connectivity.status',
      message: /"conected" is not allowed; expected one of connected, in-progress, not-connected, unknown/,
      hint: /did you mean "connected"/,
    },
    {
      name: 'an unknown key, with a suggestion',
      text: () => edit(text, '    connectivity:', '    conectivity: {}\n    connectivity:', SUMBERJAYA),
      line: lineOf(text, '    connectivity:', SUMBERJAYA),
      path: 'units.48.conectivity',
      message: /unknown field "conectivity"/,
      hint: /did you mean "connectivity"/,
    },
    {
      name: 'a __proto__ key',
      text: () => edit(text, '    connectivity:', '    __proto__: { kind: kelurahan }\n    connectivity:', SUMBERJAYA),
      line: lineOf(text, '    connectivity:', SUMBERJAYA),
      path: 'units.48.__proto__',
      message: /unknown field "__proto__"/,
    },
    {
      name: 'an impossible date',
      text: () => edit(text, 'status: unknown', 'status: connected\n      connectedOn: 2023-02-30', SUMBERJAYA),
      line: lineOf(text, 'status: unknown', SUMBERJAYA) + 1,
      path: 'units.48.connectivity.connectedOn',
      message: /"2023-02-30": expected a date as YYYY-MM-DD/,
    },
    {
      name: 'a connection date in the future',
      text: () => edit(text, 'status: unknown', 'status: connected\n      connectedOn: 2999-01-01', SUMBERJAYA),
      line: lineOf(text, 'status: unknown', SUMBERJAYA) + 1,
      path: 'units.48.connectivity.connectedOn',
      message: /in the future/,
    },
    {
      name: 'a kecamatan that does not match the code',
      text: () => edit(text, 'kecamatan: Tambun Selatan', 'kecamatan: Cibitung', SUMBERJAYA),
      line: lineOf(text, 'kecamatan: Tambun Selatan', SUMBERJAYA),
      path: 'units.48.kecamatan',
      message: /"Cibitung" does not match code 32.16.06.2010, which is in kecamatan Tambun Selatan/,
      hint: /Set kecamatan: Tambun Selatan/,
    },
    {
      name: 'a duplicate code',
      text: () => edit(text, 'code: "32.16.06.2010"', 'code: "32.16.06.2002"'),
      line: lineOf(text, SUMBERJAYA),
      path: 'units.48.code',
      message: new RegExp(`code 32.16.06.2002 is listed twice \\(also at line ${lineOf(text, 'code: "32.16.06.2002"')}\\)`),
    },
    {
      name: 'a duplicate slug',
      text: () => edit(text, 'slug: sumberjaya', 'slug: lambangsari'),
      line: lineOf(text, 'slug: sumberjaya'),
      path: 'units.48.slug',
      message: /slug "lambangsari" is already used by Lambangsari \(32.16.06.2002, line \d+\)/,
      hint: /^Give Sumberjaya a slug of its own, such as sumberjaya\. Keep Lambangsari's: once a desa is provisioned, its slug names its stack/,
    },
    {
      // issue 10, item 14: a copied entry placed before the desa it was copied from is the new one.
      name: 'a duplicate slug on a new entry that comes first: the error points at it, never at the provisioned one',
      text: () => edit(text, 'slug: lambangsari', 'slug: sumberjaya'),
      line: lineOf(text, 'slug: lambangsari'),
      path: `units.${unitIndex('32.16.06.2002')}.slug`,
      message: new RegExp(`slug "sumberjaya" is already used by Sumberjaya \\(32.16.06.2010, line ${lineOf(text, 'slug: sumberjaya')}\\)`),
      hint: /^Give Lambangsari a slug of its own, such as lambangsari\. Keep Sumberjaya's/,
    },
    {
      name: 'a code outside the official list',
      text: () => edit(text, SUMBERJAYA, 'code: "32.16.06.2099"'),
      line: lineOf(text, SUMBERJAYA),
      path: 'units.48.code',
      message: /not in the official list \(Kepmendagri No 300.2.2-2138 Tahun 2025\)/,
      hint: /official code of Sumberjaya is 32.16.06.2010/,
    },
    {
      name: 'a kind that contradicts the code',
      text: () => edit(text, 'kind: desa', 'kind: kelurahan', SUMBERJAYA),
      line: lineOf(text, 'kind: desa', SUMBERJAYA),
      path: 'units.48.kind',
      message: /"kelurahan" does not match code 32.16.06.2010, which is a desa/,
    },
    {
      name: 'a wrong type',
      text: () => edit(text, 'status: unknown', 'status: connected\n      bandwidthMbps: fast', SUMBERJAYA),
      line: lineOf(text, 'status: unknown', SUMBERJAYA) + 1,
      path: 'units.48.connectivity.bandwidthMbps',
      message: /"fast" is not allowed; expected a number, or "unknown"/,
    },
    {
      name: 'an undefined programme',
      text: () => edit(text, 'programmes: [desa-digital-2022]', 'programmes: [desa-digital-2021]', SUMBERJAYA),
      line: lineOf(text, 'programmes: [desa-digital-2022]', SUMBERJAYA),
      path: 'units.48.programmes.0',
      message: /programme "desa-digital-2021" is not defined/,
      hint: /did you mean "desa-digital-2022"/,
    },
    {
      name: 'a certificate share above Let\'s Encrypt\'s weekly allowance',
      text: () => edit(text, '  domain: desa.bekasikab.go.id', '  domain: desa.bekasikab.go.id\n  certificates:\n    weeklyShare: 80'),
      line: lineOf(text, '  domain: desa.bekasikab.go.id') + 2,
      path: 'kabupaten.certificates.weeklyShare',
      message: /80 is too large; expected at most 50/,
    },
    {
      name: 'malformed YAML',
      text: () => edit(text, '    name: Sumberjaya', '    name: [Sumberjaya', SUMBERJAYA),
      line: lineOf(text, '    kind: desa', SUMBERJAYA),
      path: '',
      message: /YAML syntax: Flow sequence .* end with a \]/,
      hint: /not closed/,
    },
  ];

  for (const c of cases) {
    it(c.name, () => {
      const problems = problemsOf(c.text());
      const p = problems.find((x) => x.path.join('.') === c.path);
      expect(p, JSON.stringify(problems)).toBeDefined();
      if (!p) return;
      expect(p.line).toBe(c.line);
      expect(p.message).toMatch(c.message);
      if (c.hint) expect(p.hint).toMatch(c.hint);
    });
  }

  it('reports every problem in one run, schema and cross-checks together', () => {
    let t = edit(text, 'status: unknown', 'status: conected', SUMBERJAYA);
    t = edit(t, 'kecamatan: Tarumajaya', 'kecamatan: Babelan');
    t = edit(t, 'slug: karangmukti', 'slug: lambangsari');
    t = edit(t, 'due: 2023-12-31', 'due: 2023-13-01');
    const problems = problemsOf(t);
    expect(problems.map((p) => p.path.join('.'))).toEqual([
      'kabupaten.targets.0.due',
      'units.0.kecamatan',
      'units.48.connectivity.status',
      `units.${unitIndex('32.16.10.2008')}.slug`,
    ]);
    expect(problems.map((p) => p.line)).toEqual([...problems.map((p) => p.line)].sort((a, b) => a! - b!));
    // Sorted by position, each with a line.
    expect(problems.every((p) => typeof p.line === 'number')).toBe(true);
  });

  it('refuses a mailbox whose address is longer than mail allows, for each account the unit gets', () => {
    const long = `sumberjaya-${'x'.repeat(47)}`; // 58 characters: the longest slug a namespace takes
    const problems = problemsOf(edit(text, 'slug: sumberjaya', `slug: ${long}`));
    expect(problems.map((p) => [p.path.join('.'), p.message])).toEqual([
      ['units.48.services.email.accounts.0', `the address ${long}.kepala-desa@desa.bekasikab.go.id has a local part of 70 characters; mail allows 64`],
      ['units.48.services.email.accounts.1', `the address ${long}.sekretaris-desa@desa.bekasikab.go.id has a local part of 74 characters; mail allows 64`],
      ['units.48.services.email.accounts.2', `the address ${long}.operator@desa.bekasikab.go.id has a local part of 67 characters; mail allows 64`],
    ]);
    expect(problems[0]!.line).toBe(lineOf(text, 'name: Sumberjaya') - 1);
    expect(problems[0]!.hint).toMatch(/shorter `slug:`/);
    // The unit's own accounts replace its kind's: one short role fits.
    const own = edit(edit(text, 'slug: sumberjaya', `slug: ${long}`), '    connectivity:', '    services: { email: { accounts: [op] } }\n    connectivity:', SUMBERJAYA);
    const { file } = tempInventory(own);
    expect(loadInventory(file).inventory.units[48]!.services.email.accounts.map((a) => a.address)).toEqual([`${long}.op@desa.bekasikab.go.id`]);
  });

  it('stops a YAML alias bomb before it expands', () => {
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x]'];
    for (const [prev, cur] of [['a', 'b'], ['b', 'c'], ['c', 'd'], ['d', 'e'], ['e', 'f'], ['f', 'g'], ['g', 'h']]) {
      bomb.push(`${cur}: &${cur} [${Array(9).fill(`*${prev}`).join(', ')}]`);
    }
    const started = performance.now();
    const problems = problemsOf(bomb.join('\n'));
    expect(performance.now() - started).toBeLessThan(5000); // sanity bound, not a benchmark
    expect(problems[0]!.message).toMatch(/aliases expand too much/);
    expect(problems[0]!.line).toBe(2);
  });

  it('refuses a file over the size limit before parsing it', () => {
    const problems = problemsOf(text, { maxBytes: 10_000 });
    expect(problems[0]!.message).toMatch(/the file is 0\.\d MiB; the limit is 0\.0 MiB/);
  });

  it('refuses binary and empty files', () => {
    expect(problemsOf('\0\0\0binary')[0]!.message).toMatch(/not UTF-8 text/);
    expect(problemsOf('')[0]!.message).toMatch(/the file is empty/);
  });

  it('names a missing official list', () => {
    const { file } = tempInventory(edit(text, 'file: data/kepmendagri-2025-bekasi.csv', 'file: data/missing.csv'));
    writeFileSync(file, edit(text, 'file: data/kepmendagri-2025-bekasi.csv', 'file: data/missing.csv'));
    expect(() => loadInventory(file)).toThrow(InvalidInputError);
    try {
      loadInventory(file);
    } catch (e) {
      const p = (e as InvalidInputError).problems[0]!;
      expect(p.path.join('.')).toBe('kabupaten.officialCodes.file');
      expect(p.message).toMatch(/cannot read .*data\/missing.csv/);
    }
  });
});
