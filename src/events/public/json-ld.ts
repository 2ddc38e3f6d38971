import { decimalPrice } from '../money.ts';
import { formatSimpleText } from '../../supporters/index.ts';
import { publicStatus } from '../states.ts';
import { placesLeftIn, type ChorusEvent } from '../store.ts';

const SCHEMA = 'https://schema.org/';

/** schema.org Event for search engines and calendars: status, attendance mode, location, offers in GBP. */
export function eventJsonLd(event: ChorusEvent, baseUrl: string): Record<string, unknown> {
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
    eventStatus: `${SCHEMA}${event.state === 'cancelled' ? 'EventCancelled' : 'EventScheduled'}`,
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
