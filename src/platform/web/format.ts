/**
 * How the hub writes numbers and moments for people: British English, and moments as UK clocks
 * show them (Europe/London is UTC in winter and UTC+1 in summer, so the offset depends on the date).
 */
const ZONE = 'Europe/London';

const london = {
  /** "Tuesday 1 December 2026 at 10:00" */
  full: new Intl.DateTimeFormat('en-GB', { timeZone: ZONE, dateStyle: 'full', timeStyle: 'short' }),
  /** "1 Dec 2026, 10:00" */
  short: new Intl.DateTimeFormat('en-GB', { timeZone: ZONE, dateStyle: 'medium', timeStyle: 'short' }),
  /** "1 December 2026" */
  date: new Intl.DateTimeFormat('en-GB', { timeZone: ZONE, dateStyle: 'long' }),
  /** "1 Dec 2026" */
  'short-date': new Intl.DateTimeFormat('en-GB', { timeZone: ZONE, day: 'numeric', month: 'short', year: 'numeric' }),
  /** "2026-12-01" */
  'iso-date': new Intl.DateTimeFormat('en-CA', { timeZone: ZONE, year: 'numeric', month: '2-digit', day: '2-digit' }),
};

export type LondonStyle = keyof typeof london;

/** The moment `date` as UK clocks show it, in one of the hub's styles (a date and time by default). */
export function formatLondon(date: Date, style: LondonStyle = 'short'): string {
  return london[style].format(date);
}

const calendarDate = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', dateStyle: 'long' });

/** A calendar date stored as YYYY-MM-DD → "31 March 2027"; a date has no time zone. */
export function formatCalendarDate(isoDate: string): string {
  const parsed = new Date(`${isoDate}T12:00:00Z`);
  return Number.isNaN(parsed.getTime()) ? isoDate : calendarDate.format(parsed);
}

/** A count as people read it: "12,345". */
export function formatNumber(n: number): string {
  return n.toLocaleString('en-GB');
}

/** Names joined as people write them: "A", "A and B", "A, B and C". */
export function andList(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}
