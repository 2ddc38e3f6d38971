/**
 * Repeating events: the organiser's simple choices (weekly, fortnightly, monthly on the start's
 * weekday, until a date or a number of times) or an RFC 5545 RRULE typed in, checked here and
 * stored as RRULE text (without the "RRULE:" name). Dates in a rule are read in UK time against
 * the event's start (occurrences.ts), and UNTIL is kept in UTC as RFC 5545 asks when the start
 * has a time zone.
 */
import { fromLondonInput, toLondonInput } from '../supporters/index.ts';

export type RepeatChoice = 'none' | 'weekly' | 'fortnightly' | 'monthly';
export const repeatChoices: Record<RepeatChoice, string> = {
  none: 'Does not repeat',
  weekly: 'Every week, on the same weekday',
  fortnightly: 'Every two weeks, on the same weekday',
  monthly: 'Every month, on the same weekday (the 1st, 2nd, 3rd, 4th or last of the month)',
};
export const isRepeatChoice = (v: string): v is RepeatChoice => Object.hasOwn(repeatChoices, v);

export const RULE_MAX = 500;
export const REPEAT_COUNT_MAX = 520;
const DAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const;
const dayNames: Record<string, string> = { MO: 'Monday', TU: 'Tuesday', WE: 'Wednesday', TH: 'Thursday', FR: 'Friday', SA: 'Saturday', SU: 'Sunday' };

/** The weekday (MO..SU) a UK clock shows at this instant. */
function londonWeekday(date: Date): (typeof DAYS)[number] {
  const [y, m, d] = toLondonInput(date).slice(0, 10).split('-').map(Number) as [number, number, number];
  return DAYS[(new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 6) % 7]!;
}

/** Which of its weekday in the month the start is: 1 to 4, or -1 for the last (a 5th is the last). */
function weekOfMonth(date: Date): number {
  const [y, m, d] = toLondonInput(date).slice(0, 10).split('-').map(Number) as [number, number, number];
  const lastDay = new Date(Date.UTC(y, m, 0)).getUTCDate();
  if (d + 7 > lastDay) return -1;
  return Math.ceil(d / 7);
}

/** The end of a UK date (23:59:59 on the clock), in UTC: "20270301T235959Z". */
function untilOf(date: string): string | undefined {
  const end = fromLondonInput(`${date}T23:59`);
  if (!end) return undefined;
  return new Date(end.getTime() + 59_000).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}Z$/, 'Z');
}

/** The simple choices as an RRULE, the weekday taken from the start (UK time). */
export function ruleFromChoices(choice: Exclude<RepeatChoice, 'none'>, startsAt: Date, end: { until: string } | { count: number }): string {
  const day = londonWeekday(startsAt);
  const parts =
    choice === 'weekly'
      ? ['FREQ=WEEKLY', `BYDAY=${day}`]
      : choice === 'fortnightly'
        ? ['FREQ=WEEKLY', 'INTERVAL=2', `BYDAY=${day}`]
        : ['FREQ=MONTHLY', `BYDAY=${weekOfMonth(startsAt)}${day}`];
  parts.push('until' in end ? `UNTIL=${untilOf(end.until)}` : `COUNT=${end.count}`);
  return parts.join(';');
}

/** A UK date "YYYY-MM-DD" that exists. */
export function isCalendarDate(text: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}

const list = (pattern: RegExp, check: (v: string) => boolean = () => true) => (value: string) => value.split(',').every((v) => pattern.test(v) && check(v));
const between = (lo: number, hi: number) => (v: string) => Number(v) !== 0 && Math.abs(Number(v)) >= lo && Math.abs(Number(v)) <= hi;

/** The parts Chorus reads, each with its RFC 5545 form (3.3.10). Sub-daily repeats are refused. */
const partChecks: Record<string, { ok: (value: string) => boolean; message: string }> = {
  FREQ: { ok: (v) => ['DAILY', 'WEEKLY', 'MONTHLY', 'YEARLY'].includes(v), message: 'FREQ must be DAILY, WEEKLY, MONTHLY or YEARLY' },
  INTERVAL: { ok: (v) => /^\d{1,3}$/.test(v) && Number(v) >= 1, message: 'INTERVAL must be a whole number from 1 to 999' },
  COUNT: { ok: (v) => /^\d{1,4}$/.test(v) && Number(v) >= 1 && Number(v) <= REPEAT_COUNT_MAX, message: `COUNT must be a whole number from 1 to ${REPEAT_COUNT_MAX}` },
  UNTIL: { ok: (v) => /^\d{8}(T\d{6}Z?)?$/.test(v) && isCalendarDate(`${v.slice(0, 4)}-${v.slice(4, 6)}-${v.slice(6, 8)}`), message: 'UNTIL must be a date like 20270301 or a UTC time like 20270301T235959Z' },
  BYDAY: { ok: list(/^([+-]?([1-9]|[1-4]\d|5[0-3]))?(MO|TU|WE|TH|FR|SA|SU)$/), message: 'BYDAY must list weekdays like SA, or 2SA for the second Saturday, or -1SA for the last' },
  BYMONTHDAY: { ok: list(/^[+-]?\d{1,2}$/, between(1, 31)), message: 'BYMONTHDAY must list days of the month from 1 to 31 (or -1 for the last)' },
  BYMONTH: { ok: list(/^\d{1,2}$/, between(1, 12)), message: 'BYMONTH must list months from 1 to 12' },
  BYSETPOS: { ok: list(/^[+-]?\d{1,3}$/, between(1, 366)), message: 'BYSETPOS must list positions from 1 to 366 (or negative, from the end)' },
  WKST: { ok: (v) => (DAYS as readonly string[]).includes(v), message: 'WKST must be a weekday: MO, TU, WE, TH, FR, SA or SU' },
};

/**
 * An RRULE as typed ("RRULE:" in front is fine), checked part by part: the rule in a canonical
 * form (upper case, UNTIL in UTC), or what is wrong with it in words naming the part.
 */
export function checkRule(text: string): { rule: string } | { problem: string } {
  const bare = text.trim().replace(/^RRULE:/i, '').toUpperCase();
  if (bare.length === 0) return { problem: 'Enter a repeat rule, like FREQ=WEEKLY;BYDAY=SA;COUNT=10' };
  if (bare.length > RULE_MAX) return { problem: `The repeat rule must be ${RULE_MAX} characters or fewer` };
  const seen = new Map<string, string>();
  for (const part of bare.split(';')) {
    const match = /^([A-Z]+)=(.+)$/.exec(part);
    if (!match) return { problem: `“${part.slice(0, 40)}” is not a NAME=VALUE part: write the rule like FREQ=WEEKLY;BYDAY=SA` };
    const [, name, value] = match as unknown as [string, string, string];
    const check = partChecks[name];
    if (!check) return { problem: `${name.slice(0, 20)} is not a part Chorus can repeat by: use FREQ, INTERVAL, COUNT, UNTIL, BYDAY, BYMONTHDAY, BYMONTH, BYSETPOS or WKST` };
    if (seen.has(name)) return { problem: `${name} is given twice` };
    if (!check.ok(value)) return { problem: check.message };
    seen.set(name, value);
  }
  if (!seen.has('FREQ')) return { problem: 'The repeat rule needs a FREQ, like FREQ=WEEKLY' };
  if (seen.has('COUNT') && seen.has('UNTIL')) return { problem: 'Give COUNT or UNTIL, not both' };
  const until = seen.get('UNTIL');
  // A date alone, or a time without Z, is read as the end of that UK day / that UK time.
  if (until && !until.endsWith('Z')) {
    const date = `${until.slice(0, 4)}-${until.slice(4, 6)}-${until.slice(6, 8)}`;
    const utc = until.length === 8 ? untilOf(date) : fromLondonInput(`${date}T${until.slice(9, 11)}:${until.slice(11, 13)}`);
    if (!utc) return { problem: 'UNTIL must be a date like 20270301 or a UTC time like 20270301T235959Z' };
    seen.set('UNTIL', typeof utc === 'string' ? utc : utc.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}Z$/, 'Z'));
  }
  const order = ['FREQ', 'INTERVAL', 'BYMONTH', 'BYMONTHDAY', 'BYDAY', 'BYSETPOS', 'WKST', 'COUNT', 'UNTIL'];
  return { rule: order.filter((n) => seen.has(n)).map((n) => `${n}=${seen.get(n)}`).join(';') };
}

/** The rule back as the form's simple choices, when it is one of them (else the form shows it as text). */
export function choicesOfRule(rule: string, startsAt: Date): { repeat: RepeatChoice; until?: string; count?: string } | undefined {
  for (const choice of ['weekly', 'fortnightly', 'monthly'] as const) {
    const count = /;COUNT=(\d+)$/.exec(rule);
    const until = /;UNTIL=(\d{8}T\d{6}Z)$/.exec(rule);
    if (count && ruleFromChoices(choice, startsAt, { count: Number(count[1]) }) === rule) return { repeat: choice, count: count[1]! };
    if (until) {
      const instant = new Date(`${until[1]!.slice(0, 4)}-${until[1]!.slice(4, 6)}-${until[1]!.slice(6, 8)}T${until[1]!.slice(9, 11)}:${until[1]!.slice(11, 13)}:${until[1]!.slice(13, 15)}Z`);
      const date = toLondonInput(instant).slice(0, 10);
      if (ruleFromChoices(choice, startsAt, { until: date }) === rule) return { repeat: choice, until: date };
    }
  }
  return undefined;
}

const ordinals: Record<string, string> = { '1': 'first', '2': 'second', '3': 'third', '4': 'fourth', '-1': 'last' };

/** The rule in words when it is a simple one ("Every week on Saturday"), else "Repeats". */
export function describeRule(rule: string): string {
  const weekly = /^FREQ=WEEKLY(?:;INTERVAL=(2))?;BYDAY=(MO|TU|WE|TH|FR|SA|SU)(;|$)/.exec(rule);
  if (weekly) return `${weekly[1] ? 'Every two weeks' : 'Every week'} on ${dayNames[weekly[2]!]}`;
  const monthly = /^FREQ=MONTHLY;BYDAY=(-1|[1-4])(MO|TU|WE|TH|FR|SA|SU)(;|$)/.exec(rule);
  if (monthly) return `Every month on the ${ordinals[monthly[1]!]} ${dayNames[monthly[2]!]}`;
  return 'Repeats';
}

/** How far ahead a simple repeat may run. */
const REPEAT_YEARS_MAX = 5;

/**
 * The form's repeat fields (repeat, repeat_end, repeat_until, repeat_count, and rrule for the
 * advanced rule, which wins when filled in) as a stored rule, or the problems, each naming its
 * field. The start is needed for the simple choices' weekday; without one (its own problem is
 * shown) only the typed rule is checked.
 */
export function readRepeat(raw: Record<string, unknown>, startsAt: Date | undefined): { rule: string | null; problems: Array<{ field: string; message: string }> } {
  const str = (v: unknown) => (typeof v === 'string' ? v.trim() : '');
  const problems: Array<{ field: string; message: string }> = [];
  const typed = str(raw.rrule);
  if (typed) {
    const checked = checkRule(typed);
    if ('problem' in checked) return { rule: null, problems: [{ field: 'rrule', message: checked.problem }] };
    return { rule: checked.rule, problems };
  }
  const choice = str(raw.repeat) || 'none';
  if (!isRepeatChoice(choice)) return { rule: null, problems: [{ field: 'repeat', message: 'Choose how the event repeats' }] };
  if (choice === 'none') return { rule: null, problems };
  const until = str(raw.repeat_until);
  const count = str(raw.repeat_count);
  const end = str(raw.repeat_end) || (until ? 'until' : count ? 'count' : '');
  if (end === 'until') {
    if (!until) problems.push({ field: 'repeat_until', message: 'Enter the date of the last repeat, like 2027-06-30' });
    else if (!isCalendarDate(until)) problems.push({ field: 'repeat_until', message: 'Enter the date of the last repeat as a real date, like 2027-06-30' });
    else if (startsAt) {
      const startDate = toLondonInput(startsAt).slice(0, 10);
      const latest = `${Number(startDate.slice(0, 4)) + REPEAT_YEARS_MAX}${startDate.slice(4)}`;
      if (until < startDate) problems.push({ field: 'repeat_until', message: 'The last repeat must be on or after the first date' });
      else if (until > latest) problems.push({ field: 'repeat_until', message: `The repeats can run for ${REPEAT_YEARS_MAX} years at most` });
    }
  } else if (end === 'count') {
    if (!/^\d{1,4}$/.test(count) || Number(count) < 2 || Number(count) > REPEAT_COUNT_MAX) problems.push({ field: 'repeat_count', message: `Enter how many times the event happens, from 2 to ${REPEAT_COUNT_MAX}` });
  } else {
    problems.push({ field: 'repeat_end', message: 'Choose when the repeats end: on a date, or after a number of times' });
  }
  if (problems.length > 0 || !startsAt) return { rule: null, problems };
  return { rule: ruleFromChoices(choice, startsAt, end === 'until' ? { until } : { count: Number(count) }), problems };
}

/** A stored rule as the form shows it again: the simple choices when it is one, else the rule text. */
export function repeatFormValues(rule: string | null, startsAt: Date): Record<string, string> {
  if (!rule) return {};
  const simple = choicesOfRule(rule, startsAt);
  if (!simple) return { rrule: rule };
  return simple.until ? { repeat: simple.repeat, repeat_end: 'until', repeat_until: simple.until } : { repeat: simple.repeat, repeat_end: 'count', repeat_count: simple.count ?? '' };
}
