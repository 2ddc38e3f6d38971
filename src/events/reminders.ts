/**
 * The reminder the day before: everyone booked on a published event that starts within the next
 * REMINDER_HOURS gets one email, once. "Once" is the primary key of `event_reminders`: a booking's
 * row is inserted in the transaction that queues its email, so two runs (the cron sweep twice, or
 * two worker instances at once) cannot both send it; the second waits on the first's row and then
 * finds it there. A booking made inside the window has just had its confirmation, so it is skipped.
 */
import { sql } from 'kysely';
import { z } from 'zod';
import type { AppContext as AnyAppContext } from '../context.ts';
import { defineJob, formatLondon, queueEmail, type CronEntry } from '../platform/index.ts';
import { eventCalendar, placeLine } from './event-calendar.ts';
import { ukWhen } from './london-clock.ts';
import { findEvent, type ChorusEvent } from './store.ts';
import { eventsContext } from './tables.ts';

export const REMINDER_HOURS = 24;
const BATCH = 500;

interface Due {
  booking_id: number;
  event_id: number;
  reference: string;
  name: string;
  email: string;
  places: number;
}

/**
 * Sends the reminders due at `now` (injectable, for tests), a batch per transaction. Returns how
 * many were queued by this call.
 */
export async function sendEventReminders(anyCtx: AnyAppContext<Record<never, never>>, now: Date = new Date()): Promise<number> {
  const ctx = eventsContext(anyCtx);
  const until = new Date(now.getTime() + REMINDER_HOURS * 3_600_000);
  let sent = 0;
  for (;;) {
    const queued = await ctx.db.transaction().execute(async (tx) => {
      const due = await sql<Due>`
        with due as (
          insert into event_reminders (booking_id)
          select b.id
            from bookings b
            join events e on e.id = b.event_id
           where b.status = 'booked'
             and e.state = 'published'
             and e.starts_at > ${now}
             and e.starts_at <= ${until}
             and b.created_at <= e.starts_at - make_interval(hours => ${REMINDER_HOURS})
             and not exists (select 1 from event_reminders r where r.booking_id = b.id)
           order by b.id
           limit ${BATCH}
          on conflict (booking_id) do nothing
          returning booking_id
        )
        select b.id as booking_id, b.event_id, b.reference, b.name, b.email, b.places
          from due join bookings b on b.id = due.booking_id
         order by b.id`.execute(tx);
      const events = new Map<number, ChorusEvent | undefined>();
      for (const row of due.rows) {
        if (!events.has(row.event_id)) events.set(row.event_id, await findEvent(tx, row.event_id));
        const event = events.get(row.event_id);
        if (!event) continue;
        await queueEmail(tx, {
          kind: 'events.booking.reminder',
          to: row.email,
          brand: ctx.brand.current(),
          baseUrl: ctx.config.BASE_URL,
          attachments: [{ filename: 'event.ics', contentType: 'text/calendar; method=PUBLISH', content: eventCalendar(event, ctx.config.BASE_URL, { booked: true }) }],
          content: reminderEmail(event, row, ctx.config.BASE_URL, now),
        });
      }
      return due.rows.length;
    });
    sent += queued;
    if (queued < BATCH) return sent;
  }
}

function reminderEmail(event: ChorusEvent, booking: Due, base: string, now: Date) {
  const day = formatLondon(event.startsAt, 'iso-date') === formatLondon(now, 'iso-date') ? 'today' : 'tomorrow';
  const places = booking.places === 1 ? '1 place' : `${booking.places} places`;
  return {
    subject: `Reminder: ${event.title} is ${day}`,
    heading: `See you ${day}`,
    blocks: [
      { type: 'paragraph' as const, text: `You have booked ${places} at ${event.title}, ${day}.` },
      { type: 'paragraph' as const, text: `Your booking reference is ${booking.reference}.` },
      { type: 'paragraph' as const, text: `When: ${ukWhen(event.startsAt, event.endsAt)}` },
      { type: 'paragraph' as const, text: `Where: ${placeLine(event)}` },
      ...(event.onlineUrl ? [{ type: 'link' as const, href: event.onlineUrl, label: 'Join online' }] : []),
      { type: 'paragraph' as const, text: 'If you cannot come, please cancel with the link in your booking confirmation, so someone else can have your place.' },
      { type: 'link' as const, href: `${base}${event.path}`, label: 'See the event page' },
    ],
  };
}

export const sendReminders = defineJob('events.reminders.send', z.object({}).passthrough(), async (_p, ctx) => {
  await sendEventReminders(ctx);
});

export const reminderJobs = [sendReminders];
/** Every ten minutes: each booking's reminder goes out within ten minutes of REMINDER_HOURS before the start. */
export const reminderCron: CronEntry[] = [{ job: sendReminders, match: '*/10 * * * *' }];
