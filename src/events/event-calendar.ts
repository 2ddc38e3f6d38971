import { formatSimpleText } from '../supporters/index.ts';
import { calendar, type CalendarEntry } from './ics.ts';
import type { ChorusEvent } from './store.ts';

/** Where an event is, in one line: venue, address, postcode (or "Online"). */
export function placeLine(event: ChorusEvent): string {
  const parts = [event.venueName, event.address.replace(/\s*\n\s*/g, ', '), event.postcode].filter((p) => p && p.trim());
  return parts.length > 0 ? parts.join(', ') : 'Online';
}

/** The event as a calendar entry: the same UID for its whole life, its SEQUENCE bumped on each change. */
export function calendarEntry(event: ChorusEvent, baseUrl: string, options: { booked?: boolean } = {}): CalendarEntry {
  const showLink = event.onlineUrl && (!event.onlineUrlBookedOnly || options.booked);
  const description = [formatSimpleText(event.description).text, showLink ? `Join online: ${event.onlineUrl}` : '', `${baseUrl}${event.path}`].filter(Boolean).join('\n\n');
  return {
    uid: `event-${event.id}@${new URL(baseUrl).host}`,
    sequence: event.sequence,
    startsAt: event.startsAt,
    endsAt: event.endsAt,
    summary: event.title,
    description,
    location: event.postcode || event.venueName || event.address ? placeLine(event) : showLink ? event.onlineUrl! : 'Online',
    url: `${baseUrl}${event.path}`,
    status: event.state === 'cancelled' ? 'CANCELLED' : 'CONFIRMED',
    repeatRule: event.repeatRule,
  };
}

/** One event's calendar file (what a booking email attaches). */
export function eventCalendar(event: ChorusEvent, baseUrl: string, options: { booked?: boolean } = {}): string {
  return calendar([calendarEntry(event, baseUrl, options)], { method: 'PUBLISH' });
}
