// Arithmetic of the report: calendar days on YYYY-MM-DD strings (in UTC, so a report does not depend
// on the time zone) and percentages.
const DAY_MS = 86_400_000;

const ms = (d: string): number => Date.parse(`${d}T00:00:00Z`);

/** Whole days from `a` to `b` (negative when b is earlier). */
export function daysBetween(a: string, b: string): number {
  return Math.round((ms(b) - ms(a)) / DAY_MS);
}

export function addDays(d: string, n: number): string {
  return new Date(ms(d) + n * DAY_MS).toISOString().slice(0, 10);
}

/** Average days in a month, for a pace per month. */
export const DAYS_PER_MONTH = 365.25 / 12;

/** n of d as a percentage rounded to two decimals; null when d is 0. */
export function percent(n: number, d: number): number | null {
  return d === 0 ? null : Math.round((10_000 * n) / d) / 100;
}
