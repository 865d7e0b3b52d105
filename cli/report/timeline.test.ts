import { describe, expect, it } from 'vitest';
import { addDays } from './calc.ts';
import { AS_OF, desaSlugs, fullLink, realInventory, scenario, scenarioTargets, withConnectivity, type ConnectivityPatch } from '../../test/fixtures/report.ts';
import { buildReport } from './model.ts';

const scenarioReport = (asOf = AS_OF) => buildReport(withConnectivity(scenario(), scenarioTargets()), { asOf });
const byId = (r: ReturnType<typeof scenarioReport>, id: string) => r.targets.find((t) => t.id === id)!;

describe('targets', () => {
  it('reports the 2023 target as not met, 182 days late on 2024-06-30, 170 units short', () => {
    expect(byId(scenarioReport(), 'terhubung-2023')).toMatchObject({
      due: '2023-12-31',
      inScope: 187,
      required: 187,
      connected: 17,
      unknownStatus: 164,
      outcome: 'not-met',
      metOn: null,
      daysAfterDue: 182,
      gap: 170,
    });
  });

  it('reports a target met early: the 10th dated connection, 82 days before the due date', () => {
    expect(byId(scenarioReport(), 'sebagian-2023')).toMatchObject({
      required: 10,
      outcome: 'met',
      metOn: '2023-10-10',
      daysAfterDue: -82,
      gap: 0,
      revisedBy: 'sebagian-2024',
      // Two units connected on unknown dates might have reached 10 sooner.
      metOnExact: false,
    });
  });

  it('reports a revision met late: ceil(7.5% of 187) = 15 units, on 2024-05-10, 40 days late', () => {
    expect(byId(scenarioReport(), 'sebagian-2024')).toMatchObject({ required: 15, outcome: 'met', metOn: '2024-05-10', daysAfterDue: 40, revises: 'sebagian-2023' });
  });

  it('reports a target not yet due as pending, with the days left and the gap', () => {
    expect(byId(scenarioReport(), 'separuh-2025')).toMatchObject({ required: 94, outcome: 'pending', daysAfterDue: -549, gap: 94 - 17 });
  });

  it('counts only the kinds in scope, and the met date is exact when every date is known', () => {
    const inv = withConnectivity({ 'setia-asih': fullLink('2023-03-01'), bahagia: fullLink('2023-05-02') }, [
      { id: 'kelurahan-2023', setOn: null, due: '2023-06-30', coverage: 25, scope: ['kelurahan'], description: 'uji', source: 'uji' },
    ]);
    expect(buildReport(inv, { asOf: AS_OF }).targets[0]).toMatchObject({ inScope: 8, required: 2, outcome: 'met', metOn: '2023-05-02', metOnExact: true, daysAfterDue: -59, sharePercent: 25 });
  });

  it('says met with an unknown date when the connected units lack dates', () => {
    const inv = withConnectivity({ 'setia-asih': fullLink(null), bahagia: fullLink(null) }, [
      { id: 'kelurahan-2023', setOn: null, due: '2023-06-30', coverage: 25, scope: ['kelurahan'], description: 'uji', source: 'uji' },
    ]);
    expect(buildReport(inv, { asOf: AS_OF }).targets[0]).toMatchObject({ outcome: 'met-date-unknown', metOn: null, daysAfterDue: null });
  });

  it('on the shipped file: not met, all 187 short, all of unknown status', () => {
    expect(buildReport(realInventory(), { asOf: '2024-01-01' }).targets).toEqual([
      expect.objectContaining({ id: 'terhubung-2023', outcome: 'not-met', daysAfterDue: 1, connected: 0, gap: 187, unknownStatus: 187 }),
    ]);
  });
});

describe('timeline', () => {
  it('accumulates dated connections up to the report date; undated ones are counted apart', () => {
    const t = scenarioReport().timeline;
    expect(t.points).toHaveLength(15);
    expect(t.points[0]).toEqual({ date: '2023-01-10', added: 1, connected: 1 });
    expect(t.points.at(-1)).toEqual({ date: '2024-05-10', added: 1, connected: 15 });
    expect(t.connectedDateUnknown).toBe(2);
  });

  it('puts connections on the same day in one point', () => {
    const [a, b] = desaSlugs(0, 2);
    const t = buildReport(withConnectivity({ [a!]: fullLink('2023-02-01'), [b!]: fullLink('2023-02-01') }), { asOf: AS_OF }).timeline;
    expect(t.points).toEqual([{ date: '2023-02-01', added: 2, connected: 2 }]);
  });
});

describe('projection', () => {
  it('extends the pace of the last 12 months: 9 connections in 365 days, 170 to go → 17 May 2043', () => {
    expect(scenarioReport().projection).toEqual({
      possible: true,
      method: 'linear-last-12-months',
      windowFrom: '2023-07-01',
      windowTo: AS_OF,
      connectionsInWindow: 9,
      perMonth: 0.75,
      remaining: 170,
      date: '2043-05-17',
    });
  });

  it('at one connection every 5 days, the 113 remaining units take 565 days', () => {
    const p: Record<string, ConnectivityPatch> = {};
    const slugs = desaSlugs(0, 74);
    p[slugs[0]!] = fullLink('2022-06-01');
    slugs.slice(1).forEach((s, i) => (p[s] = fullLink(addDays('2024-01-05', 5 * i))));
    const proj = buildReport(withConnectivity(p), { asOf: '2024-12-31' }).projection;
    expect(proj).toMatchObject({ possible: true, connectionsInWindow: 73, remaining: 113, perMonth: 6.09, date: '2026-07-19' });
  });

  it('uses the time since the first connection when that is under a year', () => {
    const p = Object.fromEntries(desaSlugs(0, 4).map((s, i) => [s, fullLink(addDays('2024-03-01', 30 * i))]));
    const proj = buildReport(withConnectivity(p), { asOf: '2024-06-30' }).projection;
    expect(proj).toMatchObject({ possible: true, method: 'linear-since-first-connection', windowFrom: '2024-03-01', connectionsInWindow: 4, remaining: 183 });
  });

  it('cannot project without dated connections (the shipped file), and says why', () => {
    expect(buildReport(realInventory(), { asOf: AS_OF }).projection).toEqual({ possible: false, reason: 'no-dated-connections', remaining: 187 });
  });

  it('cannot project from a single connection, nor when nothing was connected in a year', () => {
    const one = withConnectivity({ [desaSlugs(0, 1)[0]!]: fullLink('2024-06-01') });
    expect(buildReport(one, { asOf: AS_OF }).projection).toMatchObject({ possible: false, reason: 'too-little-history' });
    expect(scenarioReport('2026-01-01').projection).toMatchObject({ possible: false, reason: 'no-recent-connections', remaining: 169 });
  });
});
