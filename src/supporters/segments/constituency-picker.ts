import { listConstituencies, lookupPostcode, normalisePostcode } from '../../politics/index.ts';
import type { Q } from '../tables.ts';
import type { Draft } from './builder-query.ts';

/**
 * The constituency condition's picker, without JavaScript: the form carries the chosen seats as
 * ticked `c<i>.codes` boxes, a search (`c<i>.find`: part of a name, or a postcode) and a region
 * to add whole (`c<i>.fromRegion`). Each submit adds the region's seats to the chosen ones and
 * answers the search with matching seats as unticked boxes on the same form; ticking one and
 * counting (or searching again) adds it. With JavaScript, public/segments.js adds a seat picked
 * from the names' <datalist> at once.
 */
export interface Seat {
  code: string;
  name: string;
  regionCode: string | null;
}

/** What a search found for one condition: seats to offer, or why there are none. */
export interface SeatSearch {
  matches: Seat[];
  message?: string;
}

const MATCHES_SHOWN = 20;

/** Every constituency loaded, by name (650 at most, in one or two pages). */
export async function allSeats(q: Q): Promise<Seat[]> {
  const seats: Seat[] = [];
  for (let page = 1; ; page++) {
    const found = await listConstituencies(q, { page, perPage: 1000, sort: 'name' });
    seats.push(...found.items.map((c) => ({ code: c.code, name: c.name, regionCode: c.regionCode })));
    if (page >= found.totalPages) return seats;
  }
}

const folded = (text: string) => text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();

async function search(q: Q, text: string, seats: Seat[]): Promise<SeatSearch> {
  if (normalisePostcode(text)) {
    const place = await lookupPostcode(q, text);
    if (place.status !== 'found') return { matches: [], message: place.message };
    const seat = seats.find((s) => s.code === place.constituencyCode);
    return seat ? { matches: [seat] } : { matches: [], message: `${place.postcode} is not in a constituency we know.` };
  }
  const wanted = folded(text.trim());
  const matches = seats.filter((s) => folded(s.name).includes(wanted) || s.code === text.trim().toUpperCase());
  if (matches.length === 0) return { matches: [], message: `No constituency’s name contains “${text.trim()}”. Try part of the name, or a postcode.` };
  if (matches.length > MATCHES_SHOWN) return { matches: matches.slice(0, MATCHES_SHOWN), message: `The first ${MATCHES_SHOWN} of ${matches.length} matches: type more of the name to narrow them.` };
  return { matches };
}

/**
 * Adds each constituency condition's chosen region to its seats (and forgets the region), and
 * answers its search. Reads the constituencies only when a condition needs them.
 */
export async function applySeatPicker(q: Q, draft: Draft, seats: () => Promise<Seat[]>): Promise<Map<number, SeatSearch>> {
  const searches = new Map<number, SeatSearch>();
  for (const [index, condition] of draft.conditions.entries()) {
    if (condition.kind !== 'constituency') continue;
    const region = condition.values.fromRegion?.[0];
    const text = condition.values.find?.[0]?.trim().slice(0, 100);
    delete condition.values.fromRegion;
    if (region) {
      const inRegion = (await seats()).filter((s) => s.regionCode === region).map((s) => s.code);
      condition.values.codes = [...new Set([...(condition.values.codes ?? []), ...inRegion])];
    }
    if (text) {
      const chosen = new Set(condition.values.codes ?? []);
      const found = await search(q, text, await seats());
      searches.set(index, { ...found, matches: found.matches.filter((s) => !chosen.has(s.code)) });
      if (found.matches.length > 0 && found.matches.every((s) => chosen.has(s.code))) searches.set(index, { matches: [], message: 'Already chosen.' });
    }
  }
  return searches;
}

/** Seats loaded once per request, however many conditions ask. */
export function seatsOnce(q: Q): () => Promise<Seat[]> {
  let loaded: Promise<Seat[]> | undefined;
  return () => (loaded ??= allSeats(q));
}
