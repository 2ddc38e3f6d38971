import { sql, type Selectable } from 'kysely';
import { findGroupsByIds, type Group } from '../coalition/index.ts';
import { constituencyNames, regionNames } from '../politics/index.ts';
import type { Handle } from '../platform/index.ts';
import { eventsQ, type EventState, type EventType, type EventsTable, type Q, type TicketTiersTable } from './tables.ts';
import { PUBLIC_STATES } from './states.ts';

export interface TicketTier {
  id: number;
  position: number;
  name: string;
  pricePence: number;
  capacity: number | null;
  placesBooked: number;
  /** Held for waiting-list offers not yet claimed (they count against capacity). */
  placesHeld: number;
}

export interface AccessDetails {
  stepFree: boolean;
  hearingLoop: boolean;
  bsl: boolean;
  seating: boolean;
  toilets: boolean;
  quietRoom: boolean;
  notes: string;
}

export interface ChorusEvent {
  id: number;
  slug: string;
  /** The public page: /events/<id>-<slug>. */
  path: string;
  title: string;
  description: string;
  type: EventType;
  state: EventState;
  startsAt: Date;
  endsAt: Date;
  venueName: string;
  address: string;
  postcode: string | null;
  constituency: { code: string; name: string } | null;
  region: { code: string; name: string } | null;
  latitude: number | null;
  longitude: number | null;
  onlineUrl: string | null;
  onlineUrlBookedOnly: boolean;
  access: AccessDetails;
  speakers: string[];
  contact: string;
  capacity: number | null;
  placesBooked: number;
  /** Held for waiting-list offers not yet claimed (they count against capacity). */
  placesHeld: number;
  sequence: number;
  /** How the event repeats (an RFC 5545 RRULE value, read in UK time), or null for a one-off. */
  repeatRule: string | null;
  /** When its last date ends: endsAt for a one-off, null for a repeating event with no last date. */
  runsUntil: Date | null;
  groups: Group[];
  tiers: TicketTier[];
  createdAt: Date;
  updatedAt: Date;
  submittedAt: Date | null;
  publishedAt: Date | null;
  cancelledAt: Date | null;
  declinedAt: Date | null;
  /** Why a moderator declined the submitted event. */
  declineReason: string | null;
  /** An MP or candidate who will appear (hustings, surgeries, public meetings), and for which seat. */
  politician: Politician | null;
}

export interface Politician {
  kind: 'mp' | 'candidate';
  constituency: { code: string; name: string };
  /** The MP's name as politics records it now (empty if none is recorded), or the candidate's. */
  name: string;
  party: string | null;
}

type EventRow = Selectable<EventsTable>;

export const eventPath = (id: number, slug: string) => `/events/${id}${slug ? `-${slug}` : ''}`;

function toTier(row: Selectable<TicketTiersTable>): TicketTier {
  return { id: row.id, position: row.position, name: row.name, pricePence: row.price_pence, capacity: row.capacity, placesBooked: row.places_booked, placesHeld: row.places_held };
}

/** Places still free on the event as a whole (null: no overall limit). */
export function placesLeftOverall(event: Pick<ChorusEvent, 'capacity' | 'placesBooked' | 'placesHeld'>): number | null {
  return event.capacity === null ? null : Math.max(0, event.capacity - event.placesBooked - event.placesHeld);
}

/** Places still free in a tier, with the event's overall limit (null: unlimited). */
export function placesLeftIn(event: Pick<ChorusEvent, 'capacity' | 'placesBooked' | 'placesHeld'>, tier: TicketTier): number | null {
  const overall = placesLeftOverall(event);
  const own = tier.capacity === null ? null : Math.max(0, tier.capacity - tier.placesBooked - tier.placesHeld);
  if (overall === null) return own;
  if (own === null) return overall;
  return Math.min(overall, own);
}

/** Places left on the event over all its tiers (null: unlimited). */
export function placesLeft(event: Pick<ChorusEvent, 'capacity' | 'placesBooked' | 'placesHeld' | 'tiers'>): number | null {
  const perTier = event.tiers.map((t) => placesLeftIn(event, t));
  if (perTier.some((n) => n === null)) return placesLeftOverall(event);
  const sum = perTier.reduce<number>((a, n) => a + (n ?? 0), 0);
  const overall = placesLeftOverall(event);
  return overall === null ? sum : Math.min(sum, overall);
}

function politicianOf(r: EventRow, seats: Map<string, { name: string; mp: string | null; party: string | null }>): Politician | null {
  if (!r.politician || !r.politician_constituency_code) return null;
  const seat = seats.get(r.politician_constituency_code);
  const constituency = { code: r.politician_constituency_code, name: seat?.name ?? r.politician_constituency_code };
  if (r.politician === 'mp') return { kind: 'mp', constituency, name: seat?.mp ?? '', party: seat?.party ?? null };
  return { kind: 'candidate', constituency, name: r.politician_name, party: r.politician_party || null };
}

/** Rows to events, with their groups, tiers and places, in the rows' order. */
export async function toEvents(q: Q, rows: EventRow[]): Promise<ChorusEvent[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const [links, tiers, seats, regions] = await Promise.all([
    q.selectFrom('event_groups').select(['event_id', 'group_id']).where('event_id', 'in', ids).execute(),
    q.selectFrom('ticket_tiers').selectAll().where('event_id', 'in', ids).orderBy('event_id').orderBy('position').execute(),
    constituencyNames(q, rows.flatMap((r) => [r.constituency_code, r.politician_constituency_code].filter((c): c is string => !!c))),
    rows.some((r) => r.region_code) ? regionNames(q) : Promise.resolve(new Map<string, string>()),
  ]);
  const groups = new Map((await findGroupsByIds(q, [...new Set(links.map((l) => l.group_id))])).map((g) => [g.id, g]));
  return rows.map((r) => {
    const seat = r.constituency_code ? seats.get(r.constituency_code) : undefined;
    const regionName = r.region_code ? regions.get(r.region_code) : undefined;
    return {
      id: r.id,
      slug: r.slug,
      path: eventPath(r.id, r.slug),
      title: r.title,
      description: r.description,
      type: r.type,
      state: r.state,
      startsAt: r.starts_at,
      endsAt: r.ends_at,
      venueName: r.venue_name,
      address: r.address,
      postcode: r.postcode,
      constituency: r.constituency_code && seat ? { code: r.constituency_code, name: seat.name } : null,
      region: r.region_code && regionName ? { code: r.region_code, name: regionName } : null,
      latitude: r.latitude,
      longitude: r.longitude,
      onlineUrl: r.online_url,
      onlineUrlBookedOnly: r.online_url_booked_only,
      access: {
        stepFree: r.access_step_free,
        hearingLoop: r.access_hearing_loop,
        bsl: r.access_bsl,
        seating: r.access_seating,
        toilets: r.access_toilets,
        quietRoom: r.access_quiet_room,
        notes: r.access_notes,
      },
      speakers: r.speakers.split('\n').map((s) => s.trim()).filter(Boolean),
      contact: r.contact,
      capacity: r.capacity,
      placesBooked: r.places_booked,
      placesHeld: r.places_held,
      sequence: r.sequence,
      repeatRule: r.repeat_rule,
      runsUntil: r.runs_until ?? (r.repeat_rule ? null : r.ends_at),
      groups: links
        .filter((l) => l.event_id === r.id)
        .flatMap((l) => (groups.has(l.group_id) ? [groups.get(l.group_id)!] : []))
        .sort((a, b) => a.name.localeCompare(b.name)),
      tiers: tiers.filter((t) => t.event_id === r.id).map(toTier),
      createdAt: r.created_at,
      updatedAt: r.updated_at,
      submittedAt: r.submitted_at,
      publishedAt: r.published_at,
      cancelledAt: r.cancelled_at,
      politician: politicianOf(r, seats),
      declinedAt: r.declined_at,
      declineReason: r.decline_reason,
    };
  });
}

/** Takes any handle: other capabilities (stories' training sessions) call it through index.ts. */
export async function findEvent(handle: Handle, id: number): Promise<ChorusEvent | undefined> {
  const q = eventsQ(handle);
  const row = await q.selectFrom('events').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? (await toEvents(q, [row]))[0] : undefined;
}

/** Upcoming public events (not yet ended), soonest first. */
export async function listUpcomingEvents(q: Q, options: { now?: Date; limit?: number } = {}): Promise<ChorusEvent[]> {
  const rows = await q
    .selectFrom('events')
    .selectAll()
    .where('state', 'in', [...PUBLIC_STATES])
    // A repeating event stays listed while its rule may still have dates (occurrences.ts reads them).
    .where((eb) => eb.or([eb('runs_until', '>', options.now ?? new Date()), eb('runs_until', 'is', null)]))
    .orderBy('starts_at')
    .orderBy('id')
    .limit(options.limit ?? 500)
    .execute();
  return toEvents(q, rows);
}

/** Past public events (ended), latest first, a page at a time. */
export async function listPastEvents(q: Q, options: { now?: Date; page: number; perPage: number }): Promise<{ events: ChorusEvent[]; total: number }> {
  const now = options.now ?? new Date();
  const base = q.selectFrom('events').where('state', 'in', [...PUBLIC_STATES]).where('runs_until', '<=', now);
  const [rows, total] = await Promise.all([
    base
      .selectAll()
      .orderBy('starts_at', 'desc')
      .orderBy('id', 'desc')
      .limit(options.perPage)
      .offset((options.page - 1) * options.perPage)
      .execute(),
    base.select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow(),
  ]);
  return { events: await toEvents(q, rows), total: total.n };
}

/** Events for the organiser pages, soonest first; organisers see their groups' only. */
export async function listEventsForAdmin(q: Q, options: { groupIds: number[] | 'all'; page: number; perPage: number }): Promise<{ events: ChorusEvent[]; total: number }> {
  if (options.groupIds !== 'all' && options.groupIds.length === 0) return { events: [], total: 0 };
  let base = q.selectFrom('events');
  if (options.groupIds !== 'all') {
    const groupIds = options.groupIds;
    base = base.where((eb) => eb.exists(eb.selectFrom('event_groups').select('event_groups.event_id').whereRef('event_groups.event_id', '=', 'events.id').where('event_groups.group_id', 'in', groupIds)));
  }
  const [rows, total] = await Promise.all([
    base
      .selectAll('events')
      .orderBy('events.starts_at', 'desc')
      .orderBy('events.id', 'desc')
      .limit(options.perPage)
      .offset((options.page - 1) * options.perPage)
      .execute(),
    base.select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow(),
  ]);
  return { events: await toEvents(q, rows), total: total.n };
}
