import { sql } from 'kysely';
import { assertGroupsExist, groupIdsFor, slugify } from '../coalition/index.ts';
import { forbidden, invalidFields, notFound, type FieldProblem, type Viewer } from '../platform/index.ts';
import { constituencyNames, lookupPostcode } from '../politics/index.ts';
import { auditEvent, eventFor } from './event-access.ts';
import { recordEventChanges } from './event-changes.ts';
import type { EventInput } from './event-form.ts';
import { EDITABLE_STATES } from './states.ts';
import { lastEndOf } from './occurrences.ts';
import { findEvent } from './store.ts';
import type { Q } from './tables.ts';

/** The name of the one tier an event without tickets gets: a free place. */
export const FREE_TIER = 'Free';

interface Place {
  postcode: string | null;
  constituencyCode: string | null;
  regionCode: string | null;
  latitude: number | null;
  longitude: number | null;
}

/** The postcode's constituency, region and position (politics' postcode data), or the problem. */
export async function placeOf(q: Q, postcode: string | null): Promise<Place | FieldProblem> {
  if (!postcode) return { postcode: null, constituencyCode: null, regionCode: null, latitude: null, longitude: null };
  const found = await lookupPostcode(q, postcode);
  if (found.status !== 'found') return { field: 'postcode', message: found.message };
  return { postcode: found.postcode, constituencyCode: found.constituencyCode, regionCode: found.regionCode, latitude: found.latitude, longitude: found.longitude };
}

/** The groups chosen must exist, and an organiser may choose only groups they organise for. */
export async function checkGroups(q: Q, actor: Viewer, groupIds: number[]): Promise<void> {
  const allowed = await groupIdsFor(q, actor);
  if (allowed !== 'all' && groupIds.some((id) => !allowed.includes(id))) throw forbidden('You can only make events for groups you organise for.');
  await assertGroupsExist(q, 'groups', groupIds);
}

const GSS = /^[EWSN]\d{8}$/;

/** The seat an MP or candidate stands for: a constituency code or a postcode as typed, else the venue's. */
async function politicianColumns(q: Q, input: EventInput, place: Place): Promise<PoliticianColumns | FieldProblem> {
  const none = { politician: null, politician_constituency_code: null, politician_name: '', politician_party: '' };
  const p = input.politician;
  if (!p) return none;
  let code: string | null;
  const typed = p.seat?.trim().toUpperCase() ?? '';
  if (!typed) code = place.constituencyCode;
  else if (GSS.test(typed)) code = typed;
  else {
    const found = await lookupPostcode(q, typed);
    if (found.status !== 'found') return { field: 'politician_seat', message: 'Enter the constituency’s code (like E14001234) or a postcode in it' };
    code = found.constituencyCode;
  }
  if (!code) return { field: 'politician_seat', message: 'Enter the constituency’s code or a postcode in it (the event has no venue postcode to take it from)' };
  const seat = (await constituencyNames(q, [code])).get(code);
  if (!seat) return { field: 'politician_seat', message: 'We have no constituency with that code: enter a code like E14001234, or a postcode in it' };
  if (p.kind === 'mp' && !seat.mp) return { field: 'politician', message: `We have no MP recorded for ${seat.name}: choose a candidate and enter their name instead` };
  return { politician: p.kind, politician_constituency_code: code, politician_name: p.name, politician_party: p.party };
}

interface PoliticianColumns {
  politician: 'mp' | 'candidate' | null;
  politician_constituency_code: string | null;
  politician_name: string;
  politician_party: string;
}

export function columnsOf(input: EventInput, place: Place) {
  return {
    title: input.title,
    slug: slugify(input.title) || 'event',
    description: input.description,
    type: input.type,
    starts_at: input.startsAt,
    ends_at: input.endsAt,
    venue_name: input.venueName,
    address: input.address,
    postcode: place.postcode,
    constituency_code: place.constituencyCode,
    region_code: place.regionCode,
    latitude: place.latitude,
    longitude: place.longitude,
    online_url: input.onlineUrl,
    online_url_booked_only: input.onlineUrlBookedOnly,
    access_step_free: input.access.stepFree,
    access_hearing_loop: input.access.hearingLoop,
    access_bsl: input.access.bsl,
    access_seating: input.access.seating,
    access_toilets: input.access.toilets,
    access_quiet_room: input.access.quietRoom,
    access_notes: input.access.notes,
    speakers: input.speakers,
    contact: input.contact,
    capacity: input.capacity,
    repeat_rule: input.repeatRule,
    runs_until: lastEndOf(input),
  };
}

export async function setGroups(q: Q, eventId: number, groupIds: number[]): Promise<void> {
  await q.deleteFrom('event_groups').where('event_id', '=', eventId).execute();
  await q.insertInto('event_groups').values(groupIds.map((group_id) => ({ event_id: eventId, group_id }))).execute();
}

/** Makes a draft event for one or more groups. Admins and group organisers only. */
export async function createEvent(q: Q, actor: Viewer, input: EventInput): Promise<number> {
  if (actor.role !== 'admin' && actor.role !== 'organiser') throw forbidden('Only group organisers and admins make events.');
  await checkGroups(q, actor, input.groupIds);
  const place = await placeOf(q, input.postcode);
  if ('field' in place) throw invalidFields([place]);
  const politician = await politicianColumns(q, input, place);
  if ('field' in politician) throw invalidFields([politician]);
  const row = await q
    .insertInto('events')
    .values({ ...columnsOf(input, place), ...politician, state: 'draft', created_by: actor.id > 0 ? actor.id : null })
    .returning('id')
    .executeTakeFirstOrThrow();
  await setGroups(q, row.id, input.groupIds);
  const tiers = input.tiers.length > 0 ? input.tiers : [{ name: FREE_TIER, pricePence: 0, capacity: null }];
  await q
    .insertInto('ticket_tiers')
    .values(tiers.map((t, i) => ({ event_id: row.id, position: i + 1, name: t.name, price_pence: t.pricePence, capacity: t.capacity })))
    .execute();
  await auditEvent(q, actor, 'event.create', undefined, await findEvent(q, row.id));
  return row.id;
}

/**
 * Changes an event, under its row lock (bookings take the same lock, so the places booked cannot
 * move meanwhile): no capacity below the places already booked, no removing a ticket people
 * booked. Every change bumps the calendar SEQUENCE. Problems are named together.
 */
export async function updateEvent(q: Q, actor: Viewer, eventId: number, input: EventInput): Promise<void> {
  await sql`select id from events where id = ${eventId} for update`.execute(q);
  const before = await eventFor(q, actor, eventId, 'manage');
  if (!EDITABLE_STATES.includes(before.state)) throw forbidden('A cancelled event can no longer be changed.');
  await checkGroups(q, actor, input.groupIds);
  const problems: FieldProblem[] = [];
  const place = input.postcode === before.postcode && before.postcode !== null
    ? { postcode: before.postcode, constituencyCode: before.constituency?.code ?? null, regionCode: before.region?.code ?? null, latitude: before.latitude, longitude: before.longitude }
    : await placeOf(q, input.postcode);
  if ('field' in place) problems.push(place);
  const politician = 'field' in place ? undefined : await politicianColumns(q, input, place);
  if (politician && 'field' in politician) problems.push(politician);
  // Places held for waiting-list offers count as booked here: capacity is never below what is promised.
  const taken = before.placesBooked + before.placesHeld;
  if (input.capacity !== null && input.capacity < taken) {
    problems.push({ field: 'capacity', message: `${taken} places are already booked${before.placesHeld > 0 ? ' or held for the waiting list' : ''}, so the capacity cannot be less than ${taken}` });
  }
  const kept = new Set<number>();
  input.tiers.forEach((tier, i) => {
    if (tier.id === undefined) return;
    const current = before.tiers.find((t) => t.id === tier.id);
    if (!current) {
      problems.push({ field: `tier_${i + 1}_name`, message: 'This ticket is no longer part of the event: reload the page and try again' });
      return;
    }
    kept.add(tier.id);
    if (tier.capacity !== null && tier.capacity < current.placesBooked + current.placesHeld) {
      problems.push({ field: `tier_${i + 1}_capacity`, message: `${current.placesBooked + current.placesHeld} places are already booked${current.placesHeld > 0 ? ' or held for the waiting list' : ''} on ${current.name}, so it cannot have fewer places than that` });
    }
  });
  before.tiers.forEach((tier, i) => {
    if (!kept.has(tier.id) && tier.placesBooked + tier.placesHeld > 0) {
      problems.push({ field: `tier_${i + 1}_name`, message: `${tier.placesBooked} places are booked on ${tier.name}, so it cannot be removed` });
    }
  });
  if (problems.length > 0 || 'field' in place || !politician || 'field' in politician) throw invalidFields(problems);

  const updated = await q
    .updateTable('events')
    .set({ ...columnsOf(input, place), ...politician, sequence: sql<number>`sequence + 1`, updated_at: new Date() })
    .where('id', '=', eventId)
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) === 0) throw notFound('event');
  await setGroups(q, eventId, input.groupIds);
  // Tiers in their new order: removed ones (none booked) go, kept ones move, new ones are added.
  const removed = before.tiers.filter((t) => !kept.has(t.id)).map((t) => t.id);
  if (removed.length > 0) await q.deleteFrom('ticket_tiers').where('id', 'in', removed).execute();
  await sql`update ticket_tiers set position = position + 1000 where event_id = ${eventId}`.execute(q);
  const tiers = input.tiers.length > 0 ? input.tiers : [{ id: undefined, name: FREE_TIER, pricePence: 0, capacity: null }];
  for (const [i, tier] of tiers.entries()) {
    if (tier.id !== undefined) {
      await q.updateTable('ticket_tiers').set({ position: i + 1, name: tier.name, price_pence: tier.pricePence, capacity: tier.capacity }).where('id', '=', tier.id).execute();
    } else {
      await q.insertInto('ticket_tiers').values({ event_id: eventId, position: i + 1, name: tier.name, price_pence: tier.pricePence, capacity: tier.capacity }).execute();
    }
  }
  const after = (await findEvent(q, eventId))!;
  await recordEventChanges(q, actor, before, after, input.changeNote);
  await auditEvent(q, actor, 'event.update', before, after);
}
