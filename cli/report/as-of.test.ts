// A report as of a past date: desa.yaml records each unit's status today and, for a connected unit,
// the day it was connected. What that says about an earlier date is in README.md ("As of a date").
import { describe, expect, it } from 'vitest';
import { desaSlugs, fullLink, realInventory, withConnectivity, type ConnectivityPatch } from '../../test/fixtures/report.ts';
import { messages } from './i18n.ts';
import { buildReport } from './model.ts';
import { targetText } from './phrases.ts';
import { renderReport } from './render.ts';

const TODAY = '2024-06-30';
const DUE = '2023-12-31';
const [onDue, before, after, undated, undatedMeasured, inProgress, notConnected] = desaSlugs(0, 7) as [string, string, string, string, string, string, string];

const patches: Record<string, ConnectivityPatch> = {
  [onDue]: fullLink(DUE),
  [before]: fullLink('2023-06-01'),
  [after]: fullLink('2024-02-01'),
  [undated]: fullLink(null),
  // Connected on a date not recorded, but its link was measured from 2023-10-01: it was up by then.
  [undatedMeasured]: { ...fullLink(null), quality: { uptimePercent: 99, outages: 0, period: '2023-10-01..2023-12-31' } },
  [inProgress]: { status: 'in-progress' },
  [notConnected]: { status: 'not-connected' },
};
const report = (asOf: string, today = TODAY) => buildReport(withConnectivity(patches), { asOf, today });
const unit = (r: ReturnType<typeof report>, slug: string) => r.units.find((u) => u.slug === slug)!.connectivity;

describe('a report as of a past date', () => {
  it('counts a unit connected on that very day as connected, and one connected later as unknown, not in progress', () => {
    const r = report(DUE);
    expect(unit(r, onDue)).toMatchObject({ status: 'connected', recordedStatus: 'connected', statusNote: null });
    expect(unit(r, before).status).toBe('connected');
    expect(unit(r, after)).toMatchObject({ status: 'unknown', recordedStatus: 'connected', statusNote: 'connected-later' });
  });

  it('does not know whether a unit in progress today, with no date, was in progress then; one not connected today was not', () => {
    const r = report(DUE);
    expect(unit(r, inProgress)).toMatchObject({ status: 'unknown', statusNote: 'in-progress-since-unknown' });
    expect(unit(r, notConnected)).toMatchObject({ status: 'not-connected', statusNote: null });
    // As of today the statuses are desa.yaml's own.
    expect(unit(report(TODAY), inProgress)).toMatchObject({ status: 'in-progress', statusNote: null });
  });

  it('counts a unit connected on an unknown date only from the start of its measured period', () => {
    const r = report(DUE);
    expect(unit(r, undated)).toMatchObject({ status: 'unknown', statusNote: 'connected-date-unknown' });
    expect(unit(r, undatedMeasured)).toMatchObject({ status: 'connected', statusNote: null });
    expect(unit(report('2023-09-30'), undatedMeasured).status).toBe('unknown');
    expect(unit(report(TODAY), undated).status).toBe('connected');
  });

  it('adds up: the in-progress count is what desa.yaml says was in progress, the rest unknown', () => {
    const o = report(DUE).overall;
    // 180 units of unknown status in the file, plus connected later, in progress today, connected undated.
    expect(o).toMatchObject({ connected: 3, inProgress: 0, notConnected: 1, unknown: 180 + 3, unknownNotConnected: 2 });
  });

  it('counts for a target only the unknowns that may have been connected', () => {
    const [t] = report(DUE).targets;
    // 180 unknown in the file and the one connected on an unknown date; not the two known to be unconnected.
    expect(t).toMatchObject({ connected: 3, unknownStatus: 181, outcome: 'pending', daysAfterDue: 0 });
  });

  it('on the due date itself: connections that day count, and it is due today, not in -0 days', () => {
    const t = report(DUE).targets[0]!;
    expect(targetText(t, messages('id'), DUE).outcome).not.toContain('-0');
    // Every status known: 100 connected by the due date, the rest not connected.
    const known: Record<string, ConnectivityPatch> = {};
    realInventory().units.forEach((u, i) => (known[u.slug] = i < 100 ? fullLink(i === 0 ? DUE : '2023-06-01') : { status: 'not-connected' }));
    const onTheDay = buildReport(withConnectivity(known), { asOf: DUE, today: DUE });
    expect(onTheDay.targets[0]).toMatchObject({ connected: 100, outcome: 'pending', determined: true, daysAfterDue: 0 });
    const id = renderReport(onTheDay, 'markdown', { lang: 'id' });
    const en = renderReport(onTheDay, 'markdown', { lang: 'en' });
    expect(id).toContain('Belum tercapai: tenggat hari ini; kurang 87 unit');
    expect(en).toContain('Not met yet: due today; 87 units short');
    expect(`${id}${en}`).not.toMatch(/-0 (hari|days)/);
  });

  it('before any data: nothing connected, nothing in progress, no timeline; the not-connected stay so', () => {
    const r = report('2020-01-01');
    expect(r.overall).toMatchObject({ connected: 0, inProgress: 0, notConnected: 1 });
    expect(r.timeline.points).toEqual([]);
    expect(r.projection).toMatchObject({ possible: false, reason: 'no-dated-connections' });
    expect(r.targets[0]).toMatchObject({ connected: 0, outcome: 'pending' });
  });

  it('explains the unknowns of a past date in the human formats', () => {
    const md = renderReport(report(DUE), 'markdown', { lang: 'id' });
    expect(md).toContain('Status di desa.yaml adalah status hari ini; per 31 Desember 2023 hanya dihitung');
    expect(md).toContain('1 unit terhubung sesudah 31 Desember 2023');
    expect(md).toContain('1 unit yang kini dalam proses');
    expect(md).toContain('1 unit terhubung pada tanggal yang tidak tercatat');
    const en = renderReport(report(DUE), 'markdown', { lang: 'en' });
    expect(en).toContain('1 unit connected after 31 December 2023');
  });

  it('is the same report whatever day it is made, once that day is past the report date', () => {
    expect(report(DUE, '2024-06-30')).toEqual(report(DUE, '2026-12-03'));
  });
});

describe('the case of issue 10: as of 2023-12-31, 29 units connected after it and 22 in progress today', () => {
  it('counts neither as in progress on that date: the file does not say when their work began', () => {
    const slugs = desaSlugs(10, 51);
    const p: Record<string, ConnectivityPatch> = {};
    slugs.slice(0, 29).forEach((s, i) => (p[s] = fullLink(`2024-0${1 + (i % 5)}-15`)));
    for (const s of slugs.slice(29)) p[s] = { status: 'in-progress' };
    const r = buildReport(withConnectivity(p), { asOf: DUE, today: '2026-12-03' });
    expect(r.overall).toMatchObject({ connected: 0, inProgress: 0, unknownNotConnected: 51 });
    expect(r.units.filter((u) => u.connectivity.statusNote === 'connected-later')).toHaveLength(29);
    expect(r.units.filter((u) => u.connectivity.statusNote === 'in-progress-since-unknown')).toHaveLength(22);
    // As of today, the 22 are in progress.
    expect(buildReport(withConnectivity(p), { asOf: '2026-12-03', today: '2026-12-03' }).overall.inProgress).toBe(22);
  });
});
