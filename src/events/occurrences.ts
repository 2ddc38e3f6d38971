/**
 * The dates a repeating event happens on. Its RRULE is read as a UK clock reads it (as a calendar
 * does with DTSTART;TZID=Europe/London): a 10:00 stall is at 10:00 on every date, in summer time
 * and in winter time alike. rrule expands over "floating" times (UK clock readings written as if
 * they were UTC), and each reading is then turned back into the instant it names.
 */
import * as rruleModule from 'rrule';

// rrule ships CommonJS to Node (its ES build is only for bundlers), so under plain Node its named
// exports sit on the default export; under the test runner they are on the namespace itself.
const { RRule } = (rruleModule as unknown as { default?: typeof rruleModule }).default ?? rruleModule;
type RRule = InstanceType<typeof RRule>;
import { fromLondonInput, toLondonInput } from '../supporters/index.ts';
import type { ChorusEvent } from './store.ts';

export interface Occurrence {
  startsAt: Date;
  endsAt: Date;
}

/** What a UK clock reads at this instant, as a floating time. */
function floating(instant: Date): Date {
  return new Date(`${toLondonInput(instant)}:00Z`);
}

/** The instant a UK clock reads this floating time; a reading the spring change skips is an hour later. */
function instantOf(reading: Date): Date {
  const text = reading.toISOString().slice(0, 16);
  return fromLondonInput(text) ?? new Date(reading.getTime());
}

/** Upper bound on dates read from one rule (a daily rule for years must not cost a request). */
const MAX_OCCURRENCES = 1000;

/**
 * The event's occurrences that end after `from` and start before `to`, soonest first, at most
 * `limit`. A one-off event has its one date; a rule that does not parse has the first date only.
 */
export function occurrencesOf(event: Pick<ChorusEvent, 'startsAt' | 'endsAt' | 'repeatRule'>, window: { from: Date; to: Date; limit?: number }): Occurrence[] {
  const limit = Math.min(window.limit ?? MAX_OCCURRENCES, MAX_OCCURRENCES);
  const first = { startsAt: event.startsAt, endsAt: event.endsAt };
  const inWindow = (o: Occurrence) => o.endsAt.getTime() > window.from.getTime() && o.startsAt.getTime() < window.to.getTime();
  if (!event.repeatRule) return inWindow(first) ? [first] : [];
  let rule: RRule;
  try {
    const options = RRule.parseString(event.repeatRule);
    // UNTIL is stored in UTC; the expansion compares it with floating UK readings.
    if (options.until) options.until = floating(options.until);
    rule = new RRule({ ...options, dtstart: floating(event.startsAt) });
  } catch {
    return inWindow(first) ? [first] : [];
  }
  const length = floating(event.endsAt).getTime() - floating(event.startsAt).getTime();
  const out: Occurrence[] = [];
  // Readings from a little before the window (an occurrence may have started and not yet ended).
  const after = new Date(floating(window.from).getTime() - Math.max(length, 0) - 86_400_000);
  const before = new Date(floating(window.to).getTime() + 86_400_000);
  rule.between(after, before, true, (reading, i) => {
    const occurrence = { startsAt: instantOf(reading), endsAt: instantOf(new Date(reading.getTime() + length)) };
    if (inWindow(occurrence)) out.push(occurrence);
    return out.length < limit && i < MAX_OCCURRENCES;
  });
  return out;
}

/** The most dates counted to find a rule's last (COUNT is at most 520 from the form; a typed rule may ask more). */
const MAX_COUNTED = 10_000;

/**
 * When the event's last date ends: its end for a one-off or a rule that does not parse; null for
 * a rule with no UNTIL or COUNT (it runs on); otherwise the end of the rule's last occurrence.
 */
export function lastEndOf(event: Pick<ChorusEvent, 'startsAt' | 'endsAt' | 'repeatRule'>): Date | null {
  if (!event.repeatRule) return event.endsAt;
  let rule: RRule;
  try {
    const options = RRule.parseString(event.repeatRule);
    if (!options.until && !options.count) return null;
    if (options.until) options.until = floating(options.until);
    rule = new RRule({ ...options, dtstart: floating(event.startsAt) });
  } catch {
    return event.endsAt;
  }
  let last: Date | undefined;
  let counted = 0;
  rule.all((reading) => {
    last = reading;
    counted++;
    return counted < MAX_COUNTED;
  });
  if (!last || counted >= MAX_COUNTED) return last ? null : event.endsAt;
  const length = floating(event.endsAt).getTime() - floating(event.startsAt).getTime();
  return instantOf(new Date(last.getTime() + length));
}

/** A calendar's events with each repeating one as its occurrences in the window, soonest first. */
export function withOccurrences(events: ChorusEvent[], window: { from: Date; to: Date; perEvent?: number }): ChorusEvent[] {
  const listed = events.flatMap((event) =>
    event.repeatRule ? occurrencesOf(event, { from: window.from, to: window.to, limit: window.perEvent ?? 60 }).map((o) => ({ ...event, startsAt: o.startsAt, endsAt: o.endsAt })) : [event],
  );
  return listed.sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime() || a.id - b.id);
}
