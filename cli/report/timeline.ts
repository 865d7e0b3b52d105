// Time in the report: the cumulative connections by date, each dated target met or not, and when
// every unit would be connected at the current pace. Pure functions over the unit rows.
import type { Target } from '../../core/inventory/model.ts';
import { addDays, daysBetween, DAYS_PER_MONTH, percent } from './calc.ts';
import type { Projection, ReportData, TargetRow, UnitRow } from './schema.ts';

/** Of unknown status on the report date, yet known not to have been connected then (model.ts, statusAsOf). */
export const knownUnconnected = (r: UnitRow) => r.connectivity.statusNote === 'connected-later' || r.connectivity.statusNote === 'in-progress-since-unknown';
const mayBeConnected = (r: UnitRow) => r.connectivity.status === 'unknown' && !knownUnconnected(r);

/** The pace is measured over this many days before the report date, when there is that much history. */
export const PACE_WINDOW_DAYS = 365;
/** Less history than this (since the first connection) gives no projection. */
export const MIN_HISTORY_DAYS = 30;

const connected = (rows: readonly UnitRow[]) => rows.filter((r) => r.connectivity.status === 'connected');

/** Connection dates of connected units, sorted; units without a date are left out. */
export function connectionDates(rows: readonly UnitRow[]): string[] {
  return connected(rows)
    .map((r) => r.connectivity.connectedOn)
    .filter((d): d is string => d !== null)
    .sort();
}

export function buildTimeline(rows: readonly UnitRow[]): ReportData['timeline'] {
  const dates = connectionDates(rows);
  const points: ReportData['timeline']['points'] = [];
  for (const date of dates) {
    const last = points.at(-1);
    if (last?.date === date) {
      last.added++;
      last.connected++;
    } else points.push({ date, added: 1, connected: (last?.connected ?? 0) + 1 });
  }
  return { points, connectedDateUnknown: connected(rows).length - dates.length };
}

export function buildTargets(targets: readonly Target[], rows: readonly UnitRow[], asOf: string): TargetRow[] {
  return targets.map((t) => {
    const inScope = rows.filter((r) => t.scope.includes(r.kind));
    // The small epsilon keeps 100% of 187 from becoming 188 through floating point.
    const required = Math.ceil((t.coverage * inScope.length) / 100 - 1e-9);
    const done = connected(inScope).length;
    const dates = connectionDates(inScope);
    const unknown = inScope.filter(mayBeConnected).length;
    const row: TargetRow = {
      id: t.id,
      description: t.description,
      source: t.source,
      setOn: t.setOn,
      due: t.due,
      coverage: t.coverage,
      scope: [...t.scope],
      revises: t.revises ?? null,
      revisedBy: targets.find((o) => o.revises === t.id)?.id ?? null,
      inScope: inScope.length,
      required,
      connected: done,
      unknownStatus: unknown,
      sharePercent: percent(done, inScope.length),
      outcome: 'pending',
      // Not met, but the unknowns could make it met, or are most of the scope: the data cannot tell.
      determined: done >= required || (done + unknown < required && 2 * unknown <= inScope.length),
      metOn: null,
      metOnExact: false,
      daysAfterDue: daysBetween(t.due, asOf),
      gap: Math.max(0, required - done),
    };
    if (done >= required) {
      const metOn = required > 0 ? dates[required - 1] : undefined;
      // Units connected on an unknown date may have reached the count earlier than the dated ones.
      if (metOn) Object.assign(row, { outcome: 'met', metOn, metOnExact: dates.length === done, daysAfterDue: daysBetween(t.due, metOn) });
      else Object.assign(row, { outcome: required > 0 ? 'met-date-unknown' : 'met', daysAfterDue: null });
    } else if (asOf > t.due) row.outcome = 'not-met';
    return row;
  });
}

/**
 * Linear pace: dated connections in the last 12 months (365 days) before the report date, or since
 * the first connection when that is more recent, divided by the days in that window. Full coverage
 * is every unit connected; the remaining units at that pace give the date.
 */
export function buildProjection(rows: readonly UnitRow[], asOf: string): Projection {
  const remaining = rows.length - connected(rows).length;
  const dates = connectionDates(rows);
  const first = dates[0];
  if (first === undefined) return { possible: false, reason: 'no-dated-connections', remaining };
  const yearAgo = addDays(asOf, -PACE_WINDOW_DAYS);
  const sinceFirst = first > yearAgo;
  const windowFrom = sinceFirst ? first : yearAgo;
  const days = daysBetween(windowFrom, asOf);
  const inWindow = sinceFirst ? dates.length : dates.filter((d) => d > yearAgo).length;
  if (remaining > 0 && sinceFirst && (dates.length < 2 || days < MIN_HISTORY_DAYS)) {
    return { possible: false, reason: 'too-little-history', remaining };
  }
  if (remaining > 0 && inWindow === 0) return { possible: false, reason: 'no-recent-connections', remaining };
  const perDay = days > 0 ? inWindow / days : 0;
  return {
    possible: true,
    method: sinceFirst ? 'linear-since-first-connection' : 'linear-last-12-months',
    windowFrom,
    windowTo: asOf,
    connectionsInWindow: inWindow,
    perMonth: Math.round(perDay * DAYS_PER_MONTH * 100) / 100,
    remaining,
    date: remaining === 0 ? (dates.at(-1) ?? null) : addDays(asOf, Math.ceil(remaining / perDay)),
  };
}
