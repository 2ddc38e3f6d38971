/**
 * Event times as UK clocks read them, right across the clock changes. Organisers type UK time;
 * Chorus stores UTC. Twice a year the clocks misbehave:
 *
 * - last Sunday of March, 01:00 GMT: the clocks go forward to 02:00 BST, so 01:00–01:59 never
 *   happens. Such a time is refused, saying so.
 * - last Sunday of October, 02:00 BST: the clocks go back to 01:00 GMT, so 01:00–01:59 happens
 *   twice. Such a time is refused until the organiser says which (BST, the first, or GMT, the
 *   second); the form then shows a BST/GMT choice beside it, and shows it again when editing, so
 *   saving an event again never moves it by an hour.
 *
 * Pages and emails show "(UK time)" after an ordinary event's times, and BST or GMT after each
 * time when the event is in the repeated hour or the clocks change during it.
 */
import { formatLondon } from '../platform/index.ts';
import { toLondonInput } from '../supporters/index.ts';

export type UkZone = 'BST' | 'GMT';

const zoneName = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', timeZoneName: 'short' });
const clock = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
const dayName = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', weekday: 'short', day: 'numeric', month: 'short' });
const longDate = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', day: 'numeric', month: 'long', year: 'numeric' });

/** Which clock the UK keeps at this instant. */
export function ukZone(date: Date): UkZone {
  return zoneName.formatToParts(date).find((p) => p.type === 'timeZoneName')?.value === 'BST' ? 'BST' : 'GMT';
}

interface Parsed {
  text: string;
  /** The instants a UK clock reads `text` at: none (spring gap), one, or two (autumn's repeated hour). */
  candidates: Date[];
  /** "25 October 2026" */
  day: string;
  /** "01:30" */
  time: string;
}

function parse(text: string): Parsed | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})$/.exec(text.trim());
  if (!match) return undefined;
  const [year, month, day, hour, minute] = match.slice(1).map(Number) as [number, number, number, number, number];
  const asUtc = Date.UTC(year, month - 1, day, hour, minute);
  if (year < 1000 || new Date(asUtc).getUTCDate() !== day || new Date(asUtc).getUTCMonth() !== month - 1 || hour > 23 || minute > 59) return undefined;
  const wanted = `${match[1]}-${match[2]}-${match[3]}T${match[4]}:${match[5]}`;
  // BST first (UTC+1), then GMT: every instant that a UK clock shows as the typed time.
  const candidates = [1, 0].map((offset) => new Date(asUtc - offset * 3_600_000)).filter((d) => toLondonInput(d) === wanted);
  return { text: wanted, candidates, day: longDate.format(new Date(Date.UTC(year, month - 1, day))), time: `${match[4]}:${match[5]}` };
}

export type UkTimeReading = { at: Date } | { problem: string; ambiguous: boolean };

/**
 * The instant a UK clock reads "YYYY-MM-DDTHH:MM", or what is wrong with it. `zone` ('BST' or
 * 'GMT', from the form's choice) is needed only in October's repeated hour and ignored otherwise.
 * `badFormat` is the message for text that is not a date and time at all.
 */
export function readUkTime(text: string, zone: unknown, badFormat: string): UkTimeReading {
  const parsed = parse(text);
  if (!parsed) return { problem: badFormat, ambiguous: false };
  const [first, second] = parsed.candidates;
  if (!first) {
    return { problem: `There is no ${parsed.time} on ${parsed.day} in the UK: the clocks go forward an hour at 01:00. Enter a time from 02:00`, ambiguous: false };
  }
  if (!second) return { at: first };
  if (zone === 'BST') return { at: first };
  if (zone === 'GMT') return { at: second };
  return {
    problem: `${parsed.time} happens twice on ${parsed.day}, as the clocks go back at 02:00: choose BST (the first ${parsed.time}) or GMT (an hour later)`,
    ambiguous: true,
  };
}

/** True when a UK clock shows this typed time twice (October's repeated hour), so the form asks BST or GMT. */
export function isRepeatedHour(text: string | undefined): boolean {
  return text !== undefined && (parse(text)?.candidates.length ?? 0) === 2;
}

/** The BST/GMT choice the edit form carries for a stored instant: set only in the repeated hour. */
export function zoneChoiceFor(date: Date): UkZone | '' {
  return isRepeatedHour(toLondonInput(date)) ? ukZone(date) : '';
}

/** Whether an event's times need BST/GMT beside them: in the repeated hour, or the clocks change during it. */
export function needsZones(startsAt: Date, endsAt: Date): boolean {
  return ukZone(startsAt) !== ukZone(endsAt) || zoneChoiceFor(startsAt) !== '' || zoneChoiceFor(endsAt) !== '';
}

const sameUkDay = (a: Date, b: Date) => formatLondon(a, 'iso-date') === formatLondon(b, 'iso-date');

/**
 * "Thursday, 10 June 2027 at 18:30 to 20:30 (UK time)"; "Saturday, 13 March 2027 at 23:30 to
 * Sunday, 14 March 2027 at 01:00 (UK time)"; "Sunday, 25 October 2026 at 01:30 BST to 02:30 GMT".
 */
export function ukWhen(startsAt: Date, endsAt: Date): string {
  const zones = needsZones(startsAt, endsAt);
  const z = (d: Date) => (zones ? ` ${ukZone(d)}` : '');
  const end = sameUkDay(startsAt, endsAt) ? clock.format(endsAt) : formatLondon(endsAt, 'full');
  return `${formatLondon(startsAt, 'full')}${z(startsAt)} to ${end}${z(endsAt)}${zones ? '' : ' (UK time)'}`;
}

/** "Thu 10 Jun, 18:30 to 20:30"; the end's day too when it ends on another day; BST/GMT when needed. */
export function ukWhenShort(startsAt: Date, endsAt: Date): string {
  const z = needsZones(startsAt, endsAt) ? (d: Date) => ` ${ukZone(d)}` : () => '';
  return `${dayName.format(startsAt)}, ${clock.format(startsAt)}${z(startsAt)} to ${sameUkDay(startsAt, endsAt) ? '' : `${dayName.format(endsAt)}, `}${clock.format(endsAt)}${z(endsAt)}`;
}

/** One moment with its clock when it needs one: "Sunday, 25 October 2026 at 01:30 BST", else "... at 18:30". */
export function ukMoment(date: Date): string {
  return `${formatLondon(date, 'full')}${zoneChoiceFor(date) ? ` ${ukZone(date)}` : ''}`;
}
