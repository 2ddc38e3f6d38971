import { sql } from 'kysely';
import type { Handle } from '../platform/index.ts';
import { PUBLIC_STATES } from './states.ts';
import { eventPath, type Politician } from './store.ts';
import { eventsQ, type EventType } from './tables.ts';
import { constituencyNames } from '../politics/index.ts';

/**
 * Hustings, surgeries and public meetings where an MP or a candidate will appear: the words on
 * the event page, and, for the targeting work, the opportunities for action in each seat and the
 * events and bookings per constituency.
 */

/** "Jo Bloggs, the MP for Northtown (Labour), will be there." */
export function politicianLine(p: Politician): string {
  const party = p.party ? ` (${p.party})` : '';
  if (p.kind === 'mp') return p.name ? `Your MP ${p.name}${party}, MP for ${p.constituency.name}, will be there.` : `The MP for ${p.constituency.name} will be there.`;
  return `${p.name}${party}, candidate in ${p.constituency.name}, will be there.`;
}

export interface ActionOpportunity {
  eventId: number;
  title: string;
  /** The public page: /events/<id>-<slug>. */
  path: string;
  type: EventType;
  startsAt: Date;
  endsAt: Date;
  /** The seat the politician stands for (it may differ from the venue's). */
  constituency: { code: string; name: string };
  politician: { kind: 'mp' | 'candidate'; name: string; party: string | null };
  placesBooked: number;
}

/**
 * Upcoming published events (not yet ended) where an MP or candidate will appear, soonest first:
 * in one constituency, in a list of them (a target list's seats; none for an empty list), or in
 * all. Takes any caller's handle.
 */
export async function actionOpportunities(handle: Handle, options: { constituencyCode?: string; constituencyCodes?: readonly string[]; now?: Date; limit?: number } = {}): Promise<ActionOpportunity[]> {
  const q = eventsQ(handle);
  if (options.constituencyCodes && options.constituencyCodes.length === 0) return [];
  let query = q
    .selectFrom('events')
    .select(['id', 'slug', 'title', 'type', 'starts_at', 'ends_at', 'politician', 'politician_constituency_code', 'politician_name', 'politician_party', 'places_booked'])
    .where('politician', 'is not', null)
    .where('state', '=', 'published')
    .where('ends_at', '>', options.now ?? new Date());
  if (options.constituencyCode) query = query.where('politician_constituency_code', '=', options.constituencyCode);
  if (options.constituencyCodes) query = query.where('politician_constituency_code', 'in', [...options.constituencyCodes]);
  const rows = await query.orderBy('starts_at').orderBy('id').limit(options.limit ?? 500).execute();
  const seats = await constituencyNames(q, [...new Set(rows.map((r) => r.politician_constituency_code!))]);
  return rows.map((r) => {
    const code = r.politician_constituency_code!;
    const seat = seats.get(code);
    const mp = r.politician === 'mp';
    return {
      eventId: r.id,
      title: r.title,
      path: eventPath(r.id, r.slug),
      type: r.type,
      startsAt: r.starts_at,
      endsAt: r.ends_at,
      constituency: { code, name: seat?.name ?? code },
      politician: { kind: r.politician!, name: mp ? (seat?.mp ?? '') : r.politician_name, party: mp ? (seat?.party ?? null) : r.politician_party || null },
      placesBooked: r.places_booked,
    };
  });
}

export interface ConstituencyEventCounts {
  constituencyCode: string;
  /** Public events (published or cancelled) held there, and how many are still to come. */
  events: number;
  upcoming: number;
  /** Bookings held now (not cancelled) and the places they take, and how many were checked in. */
  bookings: number;
  places: number;
  attended: number;
}

/**
 * Events and bookings per constituency of the venue (cancelled events not counted), for targeting.
 * With `since`: the events added since then and the bookings made since then (a seat's week).
 */
export async function countsByConstituency(handle: Handle, options: { now?: Date; since?: Date } = {}): Promise<ConstituencyEventCounts[]> {
  const now = options.now ?? new Date();
  const since = options.since ?? null;
  const added = sql`(${since}::timestamptz is null or e.created_at >= ${since}::timestamptz)`;
  const { rows } = await sql<ConstituencyEventCounts>`
    select e.constituency_code as "constituencyCode",
      count(*) filter (where ${added})::int as events,
      count(*) filter (where ${added} and e.ends_at > ${now})::int as upcoming,
      coalesce(sum(b.bookings), 0)::int as bookings,
      coalesce(sum(b.places), 0)::int as places,
      coalesce(sum(b.attended), 0)::int as attended
    from events e
    left join lateral (
      select count(*) as bookings, sum(places) as places, sum(places) filter (where checked_in_at is not null) as attended
      from bookings where event_id = e.id and status = 'booked' and (${since}::timestamptz is null or created_at >= ${since}::timestamptz)
    ) b on true
    where e.constituency_code is not null and e.state = any(${[...PUBLIC_STATES].filter((s) => s !== 'cancelled')}::text[])
    group by e.constituency_code
    order by e.constituency_code`.execute(eventsQ(handle));
  return rows;
}
