import { sql, type RawBuilder, type SqlBool } from 'kysely';

/** Petitions run for six months from opening unless the organiser chose a date. */
export const DEFAULT_RUN_MONTHS = 6;
import { formatLondon } from '../platform/index.ts';
/** The furthest ahead an organiser may set a closing date. */
export const MAX_RUN_MONTHS = 12;

/** Today's date in the UK (YYYY-MM-DD): closing dates are UK calendar dates. */
export function londonToday(now: Date = new Date()): string {
  return formatLondon(now, 'iso-date');
}

/** Today's date in the UK, in SQL: the database's counterpart of londonToday. */
export const londonTodaySql = sql<string>`(now() at time zone 'Europe/London')::date`;

/**
 * SQL: the closing date of `petitions` (or of the petitions row named `table`), if it has one,
 * has not passed: the database's counterpart of `!hasPassed`.
 */
export function closingDateNotPassed(table?: string): RawBuilder<SqlBool> {
  const closingDate = sql.ref(table ? `${table}.closing_date` : 'closing_date');
  return sql<SqlBool>`(${closingDate} is null or ${closingDate} >= ${londonTodaySql})`;
}

/** A real calendar date written YYYY-MM-DD (rejects 2027-02-30). */
export function isIsoDate(value: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return false;
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/** Adds calendar months, keeping to the month's last day (31 August + 6 months = 28 or 29 February). */
export function addMonths(isoDate: string, months: number): string {
  const [y, m, d] = isoDate.split('-').map(Number) as [number, number, number];
  const firstOfTarget = new Date(Date.UTC(y, m - 1 + months, 1));
  const lastDay = new Date(Date.UTC(firstOfTarget.getUTCFullYear(), firstOfTarget.getUTCMonth() + 1, 0)).getUTCDate();
  firstOfTarget.setUTCDate(Math.min(d, lastDay));
  return firstOfTarget.toISOString().slice(0, 10);
}

/** The closing date a petition opened now gets when none was chosen. */
export function defaultClosingDate(now: Date = new Date()): string {
  return addMonths(londonToday(now), DEFAULT_RUN_MONTHS);
}

/** A closing date has passed once its UK day is over (the petition is open until the end of that day). */
export function hasPassed(closingDate: string, now: Date = new Date()): boolean {
  return closingDate < londonToday(now);
}

/** Why a chosen closing date cannot be used, or undefined when it can. */
export function closingDateProblem(value: string, now: Date = new Date()): string | undefined {
  if (!isIsoDate(value)) return 'Enter the closing date as a real date, like 2027-03-31';
  const today = londonToday(now);
  if (value <= today) return 'The closing date must be in the future';
  if (value > addMonths(today, MAX_RUN_MONTHS)) return `The closing date must be within ${MAX_RUN_MONTHS} months of today`;
  return undefined;
}
