import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { AS_OF, realInventory, scenario, scenarioTargets, withConnectivity } from '../../test/fixtures/report.ts';
import { messages } from './i18n.ts';
import { reportJsonSchema } from './json-schema.ts';
import { buildReport } from './model.ts';
import { renderReport, renderReportChunks, UNITS_PER_CHUNK } from './render.ts';
import { type ReportData, reportSchema } from './schema.ts';

const shipped = buildReport(realInventory(), { asOf: '2024-04-09' });
const KECAMATAN = realInventory().kecamatan.map((k) => k.name);

describe('markdown', () => {
  const md = renderReport(shipped, 'markdown', { lang: 'id' });

  it('summarises 187 units, 179 desa, 8 kelurahan, 23 kecamatan in Bahasa Indonesia', () => {
    expect(md).toMatch(/^# Laporan Konektivitas dan Layanan Digital Desa$/m);
    expect(md).toContain('per 9 April 2024');
    for (const row of ['| Unit (desa + kelurahan) | 187 |', '| Desa | 179 |', '| Kelurahan | 8 |', '| Kecamatan | 23 |', '| Tidak diketahui | 187 |']) expect(md).toContain(row);
  });

  it('has a table row for each of the 23 kecamatan, plus the total, with the columns of the HTML', () => {
    const rows = md.split('\n').filter((l) => KECAMATAN.some((k) => l.startsWith(`| ${k} |`)));
    expect(rows).toHaveLength(23);
    expect(md).toContain('| Kecamatan | Unit | Terhubung | Dalam proses | Belum terhubung | Tidak diketahui | Terhubung % |');
    expect(md).toContain('| Tarumajaya | 8 | 0 | 0 | 0 | 8 | 0% |');
    expect(md).toContain('| **Jumlah** | **187** | **0** | **0** | **0** | **187** | **0%** |');
  });

  it('says the outcome cannot be determined and why it cannot be projected, without inventing data', () => {
    expect(md).toContain('Capaian belum dapat ditentukan: 187 dari 187 unit dalam cakupan belum ada data statusnya');
    expect(md).toContain('Tidak dapat diproyeksikan: belum ada unit dengan tanggal terhubung yang diketahui');
    expect(md).toContain('Unit: semua 187 unit');
    expect(md).not.toContain('<');
  });

  it('switches every label to English with --lang en', () => {
    const en = renderReport(shipped, 'markdown', { lang: 'en' });
    expect(en).toMatch(/^# Desa Connectivity and Digital Services Report$/m);
    expect(en).toContain('as of 9 April 2024');
    expect(en).toContain('| Unknown | 187 |');
    expect(en).toContain('Achievement cannot be determined: 187 of the 187 units in scope have no status data');
    expect(en).toContain('Cannot be projected');
    for (const word of ['Ringkasan', 'Terhubung', 'Tidak diketahui', 'Belum', 'Desember', 'Proyeksi']) expect(en).not.toContain(word);
  });

  it('reports met targets, the projection method and flagged links when the data has them', () => {
    const r = buildReport(withConnectivity(scenario(), scenarioTargets()), { asOf: AS_OF });
    const text = renderReport(r, 'markdown', { lang: 'id' });
    expect(text).toContain('✅ **Tercapai paling lambat 10 Oktober 2023, 82 hari lebih awal dari tenggat**');
    expect(text).toContain('Dengan laju 0,8 unit per bulan, seluruh unit terhubung sekitar 17 Mei 2043.');
    expect(text).toContain('Metode: laju linear = 9 sambungan bertanggal dalam 12 bulan terakhir (1 Juli 2023 s.d. 30 Juni 2024)');
    expect(text).toMatch(/\| Juni 2023 \| 1 \| 6 \|/);
    expect(text).toContain('uptime rendah');
  });

  it('escapes inventory text so a name cannot break a table', () => {
    const inv = structuredClone(realInventory());
    inv.kecamatan[0]!.name = 'Taruma|jaya *x*';
    expect(renderReport(buildReport(inv, { asOf: AS_OF }), 'markdown', { lang: 'id' })).toContain('| Taruma\\|jaya \\*x\\* | 8 |');
  });
});

describe('json', () => {
  const text = renderReport(shipped, 'json', { lang: 'id' });

  it('matches the documented schema, version 1, with 187 units in 23 kecamatan', () => {
    const data = reportSchema.parse(JSON.parse(text));
    expect(data.schemaVersion).toBe(1);
    expect(data.overall).toMatchObject({ units: 187, desa: 179, kelurahan: 8, kecamatan: 23 });
    expect(data.kecamatan).toHaveLength(23);
    expect(data.units).toHaveLength(187);
    expect(data.projection).toEqual({ possible: false, reason: 'no-dated-connections', remaining: 187 });
  });

  it('matches the schema with a full scenario too (dates, projection, flags)', () => {
    const r = buildReport(withConnectivity(scenario(), scenarioTargets()), { asOf: AS_OF });
    expect(() => reportSchema.parse(JSON.parse(renderReport(r, 'json', { lang: 'en' })))).not.toThrow();
  });

  it('is data, the same in every language', () => {
    expect(renderReport(shipped, 'json', { lang: 'en' })).toBe(text);
  });

  it('has its JSON Schema checked in and up to date (regenerate with cli/report/json-schema.ts)', () => {
    const file = JSON.parse(readFileSync(new URL('./report.schema.json', import.meta.url), 'utf8'));
    expect(file).toEqual(JSON.parse(JSON.stringify(reportJsonSchema())));
    expect(file.properties.schemaVersion.const).toBe(1);
  });
});

describe('csv', () => {
  const text = renderReport(shipped, 'csv', { lang: 'id' });
  const rows: Record<string, string>[] = parse(text, { columns: true });

  it('has one row per unit: 187, 8 kelurahan, 23 kecamatan, 4 pilots', () => {
    expect(rows).toHaveLength(187);
    expect(rows.filter((r) => r.kind === 'kelurahan')).toHaveLength(8);
    expect(new Set(rows.map((r) => r.kecamatan)).size).toBe(23);
    expect(rows.filter((r) => r.pilot === 'true').map((r) => r.name)).toEqual(['Lambangsari', 'Sumberjaya', 'Karangbahagia', 'Karangmukti']);
    expect(rows[0]).toMatchObject({ code: '32.16.01.1007', name: 'Setia Asih', status: 'unknown', connectedOn: '', unknownFields: 'status;connectedOn;technology;bandwidth;provider;quality', emailEnabled: 'false', subdomainHost: 'setia-asih.desa.bekasikab.go.id' });
    expect(text.endsWith('\r\n')).toBe(true);
  });

  it('quotes per RFC 4180 so commas, quotes and line breaks survive a round trip', () => {
    const inv = structuredClone(realInventory());
    inv.units[0]!.name = 'Setia "Asih", Utara';
    inv.units[1]!.connectivity.provider = 'PT A,\nB';
    const out = renderReport(buildReport(inv, { asOf: AS_OF }), 'csv', { lang: 'id' });
    expect(out).toContain('"Setia ""Asih"", Utara"');
    const back: Record<string, string>[] = parse(out, { columns: true });
    expect(back[0]!.name).toBe('Setia "Asih", Utara');
    expect(back[1]!.provider).toBe('PT A,\nB');
    expect(back).toHaveLength(187);
  });

  it('is the same in every language', () => {
    expect(renderReport(shipped, 'csv', { lang: 'en' })).toBe(text);
  });
});

describe('html (as text; test/report-html.test.ts looks at it in a browser)', () => {
  it('is one self-contained document in Bahasa Indonesia by default, English with en', () => {
    const id = renderReport(shipped, 'html', { lang: 'id' });
    expect(id).toMatch(/^<!doctype html>\n<html lang="id">/);
    expect(id).not.toMatch(/<script|<link|<img|@import|url\(|https?:\/\/(?!www\.w3\.org\/2000\/svg)/);
    const en = renderReport(shipped, 'html', { lang: 'en' });
    expect(en).toContain('<html lang="en">');
    expect(en).toContain('Desa Connectivity and Digital Services Report');
    expect(en).not.toContain('Ringkasan');
  });

  it('escapes all inventory text', () => {
    const inv = structuredClone(realInventory());
    inv.units[0]!.name = '<script>alert(1)</script>';
    inv.kecamatan[0]!.name = 'A & "B"';
    const html = renderReport(buildReport(inv, { asOf: AS_OF }), 'html', { lang: 'id' });
    expect(html).not.toContain('<script>');
    expect(html).toContain('&#60;script&#62;alert(1)&#60;/script&#62;');
    expect(html).toContain('A &#38; &#34;B&#34;');
  });
});

describe('dates and numbers', () => {
  it('formats dates and decimals per language', () => {
    expect(messages('id').date('2023-12-31')).toBe('31 Desember 2023');
    expect(messages('en').date('2023-12-31')).toBe('31 December 2023');
    expect(messages('id').pct(12.5)).toBe('12,5%');
    expect(messages('en').pct(12.5)).toBe('12.5%');
  });
});

describe('json in pieces (a pipe or a file)', () => {
  // A report larger than one piece, with names outside Latin-1 in some pieces and not others.
  const many = Array.from({ length: 2 * UNITS_PER_CHUNK + 17 }, (_, i) => ({ ...shipped.units[i % shipped.units.length]!, name: i % 700 === 5 ? `Regapu’u ${i}` : `Desa ${i}` }));
  const big = { ...shipped, units: many };

  it('is the same bytes as one JSON text, in one piece per 1,000 units', () => {
    const chunks = renderReportChunks(big, 'json', { lang: 'id' });
    expect(chunks.length).toBe(2 + 3); // the head, three pieces of units, the end
    expect(chunks.join('')).toBe(`${JSON.stringify(big)}\n`);
    expect(JSON.parse(chunks.join('')).units).toHaveLength(many.length);
    expect(renderReport(big, 'json', { lang: 'id' })).toBe(chunks.join(''));
  });

  it('keeps the key order of data whose units are not last (one piece), and of an empty inventory', () => {
    const reordered = { ...big, extra: 1 } as unknown as ReportData;
    expect(renderReportChunks(reordered, 'json', { lang: 'id' })).toEqual([`${JSON.stringify(reordered)}\n`]);
    const empty = { ...shipped, units: [] };
    expect(renderReportChunks(empty, 'json', { lang: 'id' }).join('')).toBe(`${JSON.stringify(empty)}\n`);
  });

  it('is indented, whole, for a person at a terminal', () => {
    expect(renderReportChunks(big, 'json', { lang: 'id', pretty: true })).toEqual([`${JSON.stringify(big, null, 2)}\n`]);
  });
});
