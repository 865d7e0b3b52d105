// The headline of a target, which an official skimming the report quotes: it must not say "not met,
// 187 short" (read as "0% connected") when nothing is known.
import { describe, expect, it } from 'vitest';
import { desaSlugs, fullLink, realInventory, withConnectivity, type ConnectivityPatch } from '../../test/fixtures/report.ts';
import { messages } from './i18n.ts';
import { buildReport } from './model.ts';
import { targetText } from './phrases.ts';
import { renderReport } from './render.ts';
import { renderTerminal } from './render-terminal.ts';

const AS_OF = '2024-04-09';
const shipped = buildReport(realInventory(), { asOf: AS_OF });

describe('a target whose outcome the data cannot tell', () => {
  it('with the shipped file (every status unknown): the headline says it cannot be determined, and how many units lack data', () => {
    const [t] = shipped.targets;
    expect(t).toMatchObject({ outcome: 'not-met', determined: false, unknownStatus: 187 });
    const id = targetText(t!, messages('id'), AS_OF);
    expect(id.outcome).toBe('Capaian belum dapat ditentukan: 187 dari 187 unit dalam cakupan belum ada data statusnya (tenggat 31 Desember 2023)');
    expect(id.outcome).not.toMatch(/Belum tercapai|kurang 187/);
    expect(targetText(t!, messages('en'), AS_OF).outcome).toBe('Achievement cannot be determined: 187 of the 187 units in scope have no status data (due 31 December 2023)');
  });

  it('shows it in every human format, not as a red cross', () => {
    const md = renderReport(shipped, 'markdown', { lang: 'id' });
    expect(md).toContain('- ❔ **Capaian belum dapat ditentukan: 187 dari 187 unit');
    expect(md).not.toContain('❌');
    const term = renderTerminal(shipped, messages('id'), 100);
    expect(term).toContain('? Capaian belum dapat ditentukan: 187 dari 187 unit');
    expect(term).not.toContain('✘');
    const html = renderReport(shipped, 'html', { lang: 'id' });
    expect(html).toContain('<article class="target undetermined">');
    expect(html).toContain('Capaian belum dapat ditentukan');
  });

  it('when most of the scope is unknown, even if it certainly was not met: says both', () => {
    const p: Record<string, ConnectivityPatch> = {};
    for (const s of desaSlugs(0, 10)) p[s] = fullLink('2023-05-01');
    for (const s of desaSlugs(10, 60)) p[s] = { status: 'not-connected' };
    const [t] = buildReport(withConnectivity(p), { asOf: AS_OF }).targets;
    // 117 unknown of 187: more than half; 10 + 117 < 187 required, so certainly not met.
    expect(t).toMatchObject({ determined: false, unknownStatus: 117, connected: 10 });
    expect(targetText(t!, messages('id'), AS_OF).outcome).toBe(
      'Capaian belum dapat ditentukan: 117 dari 187 unit dalam cakupan belum ada data statusnya; yang pasti belum tercapai: terlambat 100 hari per 9 April 2024, kurang paling sedikit 60 unit',
    );
  });

  it('when a few unknowns could still make it met: cannot be determined either', () => {
    const p: Record<string, ConnectivityPatch> = {};
    for (const u of realInventory().units.slice(0, 185)) p[u.slug] = fullLink('2023-05-01');
    const [t] = buildReport(withConnectivity(p), { asOf: AS_OF }).targets;
    expect(t).toMatchObject({ determined: false, unknownStatus: 2, connected: 185, required: 187 });
    expect(targetText(t!, messages('en'), AS_OF).outcome).toMatch(/^Achievement cannot be determined: 2 of the 187 units/);
  });

  it('when the unknowns cannot change it: not met, with a caveat that says so', () => {
    const p: Record<string, ConnectivityPatch> = {};
    for (const s of desaSlugs(0, 100)) p[s] = fullLink('2023-05-01');
    for (const s of desaSlugs(100, 60)) p[s] = { status: 'not-connected' };
    const [t] = buildReport(withConnectivity(p), { asOf: AS_OF }).targets;
    expect(t).toMatchObject({ determined: true, unknownStatus: 27 });
    const x = targetText(t!, messages('id'), AS_OF);
    expect(x.outcome).toBe('Belum tercapai: terlambat 100 hari per 9 April 2024; kurang 87 unit');
    expect(x.caveat).toBe('27 unit dalam cakupan belum diketahui statusnya; kalaupun semuanya terhubung, target ini tetap belum tercapai');
  });
});
