import { sql, type Expression, type SqlBool } from 'kysely';
import { PUBLIC_STATES } from './states.ts';
import { toEvents, type ChorusEvent } from './store.ts';
import type { EventType, Q } from './tables.ts';

/** The distances "near me" may search within, in miles. */
export const NEAR_MILES = [5, 10, 25, 50, 100] as const;
export type NearMiles = (typeof NEAR_MILES)[number];
export const DEFAULT_NEAR_MILES: NearMiles = 25;

const EARTH_RADIUS_MILES = 3958.8;
const MILES_PER_DEGREE_LATITUDE = 69.0;

/** What a supporter narrowed the calendar to; every part is optional. */
export interface EventFilters {
  type?: EventType | undefined;
  groupId?: number | undefined;
  regionCode?: string | undefined;
  /** Online: has an online link; in person: has a venue postcode (an event may be both). */
  mode?: 'online' | 'in_person' | undefined;
  /** Every ticket is free. */
  free?: boolean | undefined;
  /** Words to look for in the title, description, venue and speakers. */
  text?: string | undefined;
  /** In person within `miles` of a position, nearest first. */
  near?: { latitude: number; longitude: number; miles: NearMiles } | undefined;
}

export interface FoundEvents {
  events: ChorusEvent[];
  /** Miles from the searched position, by event id (near-me searches only). */
  miles: Map<number, number>;
  total: number;
}

/** Great-circle distance in miles (haversine), as the database works it out too. */
export function milesBetween(a: { latitude: number; longitude: number }, b: { latitude: number; longitude: number }): number {
  const rad = Math.PI / 180;
  const dLat = (b.latitude - a.latitude) * rad;
  const dLon = (b.longitude - a.longitude) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.latitude * rad) * Math.cos(b.latitude * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_MILES * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** "0.4 miles", "1 mile", "1.2 miles", "12 miles". */
export function formatMiles(miles: number): string {
  if (miles < 0.1) return 'less than 0.1 miles';
  const shown = miles < 10 ? (Math.round(miles * 10) / 10).toString() : Math.round(miles).toString();
  return shown === '1' ? '1 mile' : `${shown} miles`;
}

/** The box around a point that holds every place within `miles` (so the index on latitude narrows the search). */
export function boundingBox(centre: { latitude: number; longitude: number }, miles: number) {
  const dLat = miles / MILES_PER_DEGREE_LATITUDE;
  const dLon = miles / (MILES_PER_DEGREE_LATITUDE * Math.max(0.01, Math.cos((centre.latitude * Math.PI) / 180)));
  return { south: centre.latitude - dLat, north: centre.latitude + dLat, west: centre.longitude - dLon, east: centre.longitude + dLon };
}

/** `%` and `_` typed by a person are looked for as themselves. */
const likePattern = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

function distanceSql(centre: { latitude: number; longitude: number }) {
  return sql<number>`(${2 * EARTH_RADIUS_MILES} * asin(least(1, sqrt(
    power(sin(radians(events.latitude - ${centre.latitude}) / 2), 2)
    + cos(radians(${centre.latitude})) * cos(radians(events.latitude)) * power(sin(radians(events.longitude - ${centre.longitude}) / 2), 2)))))`;
}

/**
 * Upcoming public events (not yet ended) matching the filters, a page at a time: soonest first,
 * or nearest first (then soonest) when searching near a place. A near search first keeps to the
 * bounding box (events_position index), then to the circle.
 */
export async function findEvents(q: Q, filters: EventFilters, options: { now?: Date; page: number; perPage: number }): Promise<FoundEvents> {
  const now = options.now ?? new Date();
  const near = filters.near;
  const distance = near ? distanceSql(near) : undefined;
  // A repeating event stays listed while its rule may still have dates (occurrences.ts reads them).
  let base = q.selectFrom('events').where('events.state', 'in', [...PUBLIC_STATES]).where((eb) => eb.or([eb('events.runs_until', '>', now), eb('events.runs_until', 'is', null)]));
  if (filters.type) base = base.where('events.type', '=', filters.type);
  if (filters.regionCode) base = base.where('events.region_code', '=', filters.regionCode);
  if (filters.groupId !== undefined) {
    const groupId = filters.groupId;
    base = base.where((eb) => eb.exists(eb.selectFrom('event_groups').select('event_groups.event_id').whereRef('event_groups.event_id', '=', 'events.id').where('event_groups.group_id', '=', groupId)));
  }
  if (filters.mode === 'online') base = base.where('events.online_url', 'is not', null);
  if (filters.mode === 'in_person') base = base.where('events.postcode', 'is not', null);
  if (filters.free) {
    base = base.where((eb) => eb.not(eb.exists(eb.selectFrom('ticket_tiers').select('ticket_tiers.id').whereRef('ticket_tiers.event_id', '=', 'events.id').where('ticket_tiers.price_pence', '>', 0))));
  }
  const text = filters.text?.trim();
  if (text) {
    const words: Expression<SqlBool> = sql<SqlBool>`to_tsvector('english', events.title || ' ' || events.description || ' ' || events.venue_name || ' ' || events.speakers) @@ websearch_to_tsquery('english', ${text})`;
    const pattern = likePattern(text);
    base = base.where((eb) => eb.or([words, eb('events.title', 'ilike', pattern), eb('events.venue_name', 'ilike', pattern)]));
  }
  if (near && distance) {
    const box = boundingBox(near, near.miles);
    base = base
      .where('events.latitude', 'is not', null)
      .where('events.longitude', 'is not', null)
      .where('events.latitude', '>=', box.south)
      .where('events.latitude', '<=', box.north)
      .where('events.longitude', '>=', box.west)
      .where('events.longitude', '<=', box.east)
      .where(sql<SqlBool>`${distance} <= ${near.miles}`);
  }
  const ordered = distance
    ? base.selectAll('events').select(distance.as('miles')).orderBy(sql`miles`).orderBy('events.starts_at').orderBy('events.id')
    : base.selectAll('events').select(sql<number | null>`null::float8`.as('miles')).orderBy('events.starts_at').orderBy('events.id');
  const [rows, total] = await Promise.all([
    ordered.limit(options.perPage).offset((options.page - 1) * options.perPage).execute(),
    base.select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow(),
  ]);
  const miles = new Map<number, number>();
  for (const row of rows) if (row.miles !== null) miles.set(row.id, Number(row.miles));
  const events = await toEvents(q, rows.map(({ miles: _miles, ...row }) => row));
  return { events, miles, total: total.n };
}
