import { formatLondon, queueEmail } from '../platform/index.ts';
import { calendarEntry } from './event-calendar.ts';
import { calendar } from './ics.ts';
import type { ChorusEvent } from './store.ts';
import type { AppContext, Tx } from './tables.ts';

/**
 * The booker's copy of the event, cancelled: METHOD:CANCEL with the event's UID and a SEQUENCE
 * above the one their booking email carried, so their calendar removes the entry.
 */
export function cancelledBookingCalendar(event: ChorusEvent, baseUrl: string, now: Date = new Date()): string {
  const entry = calendarEntry(event, baseUrl, { booked: true });
  return calendar([{ ...entry, sequence: event.sequence + 1, status: 'CANCELLED' }], { method: 'CANCEL', now });
}

/** Tells the booker their booking is cancelled (by them, or by the organisers), with the calendar file that removes it. */
export async function queueBookingCancelledEmail(ctx: AppContext, tx: Tx, b: { event: ChorusEvent; email: string; reference: string; places: number; by: 'booker' | 'organiser' }) {
  const base = ctx.config.BASE_URL;
  const { event } = b;
  await queueEmail(tx, {
    kind: 'events.booking.cancelled',
    to: b.email,
    brand: ctx.brand.current(),
    baseUrl: base,
    attachments: [{ filename: 'event.ics', contentType: 'text/calendar; method=CANCEL', content: cancelledBookingCalendar(event, base) }],
    content: {
      subject: `Booking cancelled: ${event.title}`,
      heading: 'Your booking is cancelled',
      blocks: [
        {
          type: 'paragraph',
          text: b.by === 'booker'
            ? `You cancelled your booking ${b.reference} (${b.places === 1 ? '1 place' : `${b.places} places`}) at ${event.title}, ${formatLondon(event.startsAt, 'full')} (UK time). Thank you for letting us know: your places are free for someone else.`
            : `The organisers have cancelled your booking ${b.reference} (${b.places === 1 ? '1 place' : `${b.places} places`}) at ${event.title}, ${formatLondon(event.startsAt, 'full')} (UK time). ${event.contact ? `If you think this is a mistake, contact them: ${event.contact}.` : ''}`.trim(),
        },
        { type: 'paragraph', text: 'The attached calendar file (event.ics) removes the event from your calendar.' },
        { type: 'link', href: `${base}${event.path}`, label: 'See the event page' },
      ],
    },
  });
}
