import { decimalPrice } from '../money.ts';
import { formatSimpleText } from '../../supporters/index.ts';
import { publicStatus } from '../states.ts';
import type { EventChange } from '../event-changes.ts';
import { placesLeftIn, type ChorusEvent } from '../store.ts';

const SCHEMA = 'https://schema.org/';

/**
 * The event's schema.org status: cancelled; else rescheduled (its date or time changed since it
 * was published), with every start it had before, first first; else moved online (a venue
 * change left it with no venue, only its online link); else scheduled.
 */
export function eventStatusOf(event: ChorusEvent, changes: readonly EventChange[]): { eventStatus: string; previousStartDate?: string[] } {
  if (event.state === 'cancelled') return { eventStatus: `${SCHEMA}EventCancelled` };
  const byDate = [...changes].sort((a, b) => a.changedAt.getTime() - b.changedAt.getTime());
  const previous = [...new Set(byDate.flatMap((c) => (c.kind === 'time' && c.from.startsAt !== c.to.startsAt ? [c.from.startsAt] : [])))].filter((s) => s !== event.startsAt.toISOString());
  if (previous.length > 0) return { eventStatus: `${SCHEMA}EventRescheduled`, previousStartDate: previous };
  const inPerson = Boolean(event.postcode || event.venueName || event.address);
  const movedOnline = byDate.some((c) => c.kind === 'venue' && Boolean(c.from.venueName || c.from.address || c.from.postcode) && !(c.to.venueName || c.to.address || c.to.postcode));
  if (movedOnline && !inPerson && event.onlineUrl) return { eventStatus: `${SCHEMA}EventMovedOnline` };
  return { eventStatus: `${SCHEMA}EventScheduled` };
}

/** schema.org Event for search engines and calendars: status (with the changes it has had), attendance mode, location, offers in GBP. */
export function eventJsonLd(event: ChorusEvent, baseUrl: string, changes: readonly EventChange[] = []): Record<string, unknown> {
  const url = `${baseUrl}${event.path}`;
  const inPerson = Boolean(event.postcode || event.venueName || event.address);
  const online = Boolean(event.onlineUrl);
  const mode = inPerson && online ? 'MixedEventAttendanceMode' : online ? 'OnlineEventAttendanceMode' : 'OfflineEventAttendanceMode';
  const locations: Array<Record<string, unknown>> = [];
  if (inPerson) {
    locations.push({
      '@type': 'Place',
      name: event.venueName || event.address.split('\n')[0] || event.postcode,
      address: {
        '@type': 'PostalAddress',
        streetAddress: event.address.replace(/\s*\n\s*/g, ', '),
        ...(event.postcode ? { postalCode: event.postcode } : {}),
        ...(event.region ? { addressRegion: event.region.name } : {}),
        addressCountry: 'GB',
      },
      ...(event.latitude !== null && event.longitude !== null ? { geo: { '@type': 'GeoCoordinates', latitude: event.latitude, longitude: event.longitude } } : {}),
    });
  }
  if (online) locations.push({ '@type': 'VirtualLocation', url: event.onlineUrlBookedOnly ? url : event.onlineUrl });
  return {
    '@context': 'https://schema.org',
    '@type': 'Event',
    name: event.title,
    description: formatSimpleText(event.description).text,
    url,
    startDate: event.startsAt.toISOString(),
    endDate: event.endsAt.toISOString(),
    ...eventStatusOf(event, changes),
    eventAttendanceMode: `${SCHEMA}${mode}`,
    location: locations.length === 1 ? locations[0] : locations,
    organizer: event.groups.map((g) => ({ '@type': 'Organization', name: g.name, url: `${baseUrl}/groups/${g.slug}` })),
    ...(event.speakers.length > 0 ? { performer: event.speakers.map((name) => ({ '@type': 'Person', name })) } : {}),
    offers: event.tiers.map((t) => {
      const left = placesLeftIn(event, t);
      const open = publicStatus(event) === 'upcoming' && event.state === 'published';
      return {
        '@type': 'Offer',
        name: t.name,
        price: decimalPrice(t.pricePence),
        priceCurrency: 'GBP',
        url,
        availability: `${SCHEMA}${!open ? 'Discontinued' : left === 0 ? 'SoldOut' : 'InStock'}`,
        ...(event.publishedAt ? { validFrom: event.publishedAt.toISOString() } : {}),
      };
    }),
  };
}
