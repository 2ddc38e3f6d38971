import { describeRule } from '../repeat-rule.ts';
import { occurrencesOf } from '../occurrences.ts';
import type { ChorusEvent } from '../store.ts';

const NEXT_DATES = 6;
const dateLine = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' });
/** "Saturday 6 November 2027" (whatever punctuation the runtime's locale data adds). */
const dateOf = (d: Date) => {
  const p = Object.fromEntries(dateLine.formatToParts(d).map((x) => [x.type, x.value]));
  return `${p.weekday} ${p.day} ${p.month} ${p.year}`;
};
const clock = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });

/** A repeating event's next dates (UK time), on its page. */
export function RepeatDates({ event, now = new Date() }: { event: ChorusEvent; now?: Date }) {
  if (!event.repeatRule) return null;
  const next = occurrencesOf(event, { from: now, to: new Date(now.getTime() + 2 * 366 * 86_400_000), limit: NEXT_DATES });
  return (
    <section aria-labelledby="dates-heading" class="event-dates">
      <h2 id="dates-heading">Next dates</h2>
      <p>{describeRule(event.repeatRule)}.</p>
      {next.length > 0 ? (
        <ul class="list">
          {next.map((o) => (
            <li>
              <time datetime={o.startsAt.toISOString()}>
                {dateOf(o.startsAt)}, {clock.format(o.startsAt)} to {clock.format(o.endsAt)}
              </time>
            </li>
          ))}
        </ul>
      ) : (
        <p>No more dates are planned.</p>
      )}
    </section>
  );
}
