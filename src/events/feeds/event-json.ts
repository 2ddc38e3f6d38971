/**
 * Event JSON in the petitions JSON style (petitions/petition-json.ts): a resource with `type`, `id`,
 * `links` and `attributes`; a list with `links` (self, first, last, next, prev), `meta` (total,
 * page, total_pages) and `data`.
 */
import { occurrencesOf } from '../occurrences.ts';
import { publicStatus } from '../states.ts';
import { placesLeft, placesLeftIn, type ChorusEvent } from '../store.ts';

const iso = (d: Date | null) => (d ? d.toISOString() : null);
const pounds = (pence: number) => (pence / 100).toFixed(2);

/** How many of a repeating event's next dates its JSON lists. */
const NEXT_DATES = 10;

function attributes(e: ChorusEvent, baseUrl: string, now: Date) {
  const showLink = e.onlineUrl !== null && !e.onlineUrlBookedOnly;
  return {
    title: e.title,
    description: e.description,
    type: e.type,
    state: e.state,
    status: publicStatus(e, now),
    starts_at: iso(e.startsAt),
    ends_at: iso(e.endsAt),
    repeat_rule: e.repeatRule,
    next_dates: e.repeatRule
      ? occurrencesOf(e, { from: now, to: new Date(now.getTime() + 400 * 86_400_000), limit: NEXT_DATES }).map((o) => ({ starts_at: iso(o.startsAt), ends_at: iso(o.endsAt) }))
      : [],
    venue: { name: e.venueName || null, address: e.address || null, postcode: e.postcode },
    constituency: e.constituency ? { name: e.constituency.name, ons_code: e.constituency.code } : null,
    region: e.region ? { name: e.region.name, gss_code: e.region.code } : null,
    online: e.onlineUrl !== null,
    online_url: showLink ? e.onlineUrl : null,
    access: {
      step_free: e.access.stepFree,
      hearing_loop: e.access.hearingLoop,
      bsl: e.access.bsl,
      seating: e.access.seating,
      accessible_toilets: e.access.toilets,
      quiet_room: e.access.quietRoom,
      notes: e.access.notes || null,
    },
    speakers: e.speakers,
    contact: e.contact || null,
    groups: e.groups.map((g) => ({ name: g.name, slug: g.slug, url: `${baseUrl}/groups/${g.slug}` })),
    tickets: e.tiers.map((t) => ({ name: t.name, price_pence: t.pricePence, price: pounds(t.pricePence), currency: 'GBP', places_left: placesLeftIn(e, t) })),
    capacity: e.capacity,
    places_left: placesLeft(e),
    sequence: e.sequence,
    created_at: iso(e.createdAt),
    updated_at: iso(e.updatedAt),
    published_at: iso(e.publishedAt),
    cancelled_at: iso(e.cancelledAt),
  };
}

function resource(e: ChorusEvent, baseUrl: string) {
  return { type: 'event' as const, id: e.id, links: { self: `${baseUrl}/events/${e.id}.json`, html: `${baseUrl}${e.path}`, ics: `${baseUrl}/events/${e.id}.ics` } };
}

export function eventJson(e: ChorusEvent, baseUrl: string, now = new Date()) {
  return { links: { self: `${baseUrl}/events/${e.id}.json` }, data: { ...resource(e, baseUrl), attributes: attributes(e, baseUrl, now) } };
}

export function eventListJson(page: { events: ChorusEvent[]; page: number; total: number; totalPages: number }, pageUrl: (n: number) => string, baseUrl: string, now = new Date()) {
  return {
    links: {
      self: pageUrl(page.page),
      first: pageUrl(1),
      last: pageUrl(page.totalPages),
      next: page.page < page.totalPages ? pageUrl(page.page + 1) : null,
      prev: page.page > 1 ? pageUrl(Math.min(page.page - 1, page.totalPages)) : null,
    },
    meta: { total: page.total, page: page.page, total_pages: page.totalPages },
    data: page.events.map((e) => ({ ...resource(e, baseUrl), attributes: attributes(e, baseUrl, now) })),
  };
}
