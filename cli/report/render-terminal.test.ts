import React from 'react';
import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { AS_OF, realInventory, scenario, scenarioTargets, withConnectivity } from '../../test/fixtures/report.ts';
import { messages } from './i18n.ts';
import { buildReport } from './model.ts';
import { renderTerminal, TerminalReport } from './render-terminal.ts';

const h = React.createElement;
const shipped = buildReport(realInventory(), { asOf: '2024-04-09' });
const KECAMATAN = realInventory().kecamatan.map((k) => k.name);

describe('terminal report', () => {
  it('shows the totals, a row with a bar for each of the 23 kecamatan, and the pilots', () => {
    const { lastFrame, unmount } = render(h(TerminalReport, { data: shipped, m: messages('id') }));
    const frame = lastFrame()!;
    unmount();
    expect(frame).toContain('Laporan Konektivitas dan Layanan Digital Desa');
    expect(frame).toMatch(/Unit \(desa \+ kelurahan\)\s+187\s+\(179 desa, 8 kelurahan, 23 kecamatan\)/);
    const rows = frame.split('\n').filter((l) => KECAMATAN.some((k) => new RegExp(`^\\s+${k}(\\s+\\d+){5} ░+ 0%$`).test(l)));
    expect(rows).toHaveLength(23);
    for (const pilot of ['Lambangsari', 'Sumberjaya', 'Karangbahagia', 'Karangmukti']) expect(frame).toContain(`★ ${pilot}`);
  });

  it('keeps 187 unknown units to a few lines: counts per field, not one line per unit', () => {
    const out = renderTerminal(shipped, messages('id'), 100);
    expect(out).toMatch(/tanggal terhubung\s+187/);
    expect(out).toContain('Unit: semua 187 unit');
    expect(out).not.toContain('Setia Asih');
    expect(out.split('\n').length).toBeLessThan(90);
  });

  it('lists some unknown units by name, then says how many more', () => {
    const r = buildReport(withConnectivity(scenario(), scenarioTargets()), { asOf: AS_OF });
    const out = renderTerminal(r, messages('en'), 100);
    expect(out).toMatch(/Units: Setia Asih, .+/);
    expect(out).toContain('… and 162 more (full list: --format html, json or csv)');
    expect(out).toContain('✔ Met on 10 October 2023 at the latest, 82 days before the due date');
    expect(out).toMatch(/! .+ \(Tarumajaya\): Uptime 90%, outages 1 · low uptime/);
    expect(out).toContain('At 0.8 units per month, every unit would be connected around 17 May 2043.');
  });

  it.each([80, 100])('has every column of the HTML per kecamatan, one line each and adding up, at %i columns', (columns) => {
    const r = buildReport(withConnectivity(scenario(), scenarioTargets()), { asOf: AS_OF });
    const out = renderTerminal(r, messages('id'), columns);
    const lines = out.split('\n');
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(columns);
    const section = lines.slice(lines.findIndex((l) => l.trim() === 'Per kecamatan'));
    const head = section.slice(1, 4).join(' ');
    for (const label of ['Unit', 'Terhubung', 'Dalam', 'proses', 'Belum', 'Tidak', 'diketahui', '%']) expect(head).toContain(label);
    for (const k of r.kecamatan) {
      const row = section.find((l) => l.trimStart().startsWith(`${k.name} `))!;
      const numbers = row.slice(row.indexOf(k.name) + k.name.length).match(/\d+(,\d)?%?/g)!;
      expect(numbers.slice(0, 5).map(Number)).toEqual([k.units, k.connected, k.inProgress, k.notConnected, k.unknown]);
      expect(k.connected + k.inProgress + k.notConnected + k.unknown).toBe(k.units);
      expect(numbers.at(-1)).toBe(messages('id').pct(k.sharePercent));
    }
    const total = section.find((l) => l.trimStart().startsWith('Jumlah '))!;
    expect(total.match(/\d+(,\d)?%?/g)).toEqual(['187', '17', '3', '2', '165', '9,1%']);
  });

  it('switches labels to English', () => {
    const out = renderTerminal(shipped, messages('en'), 100);
    expect(out).toContain('Desa Connectivity and Digital Services Report');
    expect(out).toContain('as of 9 April 2024');
    expect(out).toMatch(/Connected\s+0/);
    expect(out).not.toMatch(/Ringkasan|Terhubung|Tidak diketahui/);
  });
});
