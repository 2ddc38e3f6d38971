import { sql } from 'kysely';
import { optionalEmail, problemsFromZod, recordAudit, type FieldProblem, type Viewer } from '../platform/index.ts';
import { connectToGroups, personForUnprovenAction, recordAction, splitName } from '../supporters/index.ts';
import { newManageToken, newReference } from './booking-tokens.ts';
import { bookingFormSchema, shortfall } from './book-event.ts';
import type { ChorusEvent } from './store.ts';
import type { BookingStatus, Q, Tx } from './tables.ts';

/**
 * The door: the people booked on an event, searched by name, email or booking reference; ticking
 * them off as they arrive (and undoing a wrong tick); and people added on the door (walk-ins),
 * whose places are taken under the event's row lock as bookings' are, so capacity still holds.
 * Callers have checked the organiser may manage the event (eventFor ... 'manage').
 */

export interface Attendee {
  id: number;
  reference: string;
  name: string;
  email: string;
  places: number;
  tier: string;
  accessNeeds: string;
  status: BookingStatus;
  walkIn: boolean;
  bookedAt: Date;
  checkedInAt: Date | null;
}

export interface AttendeeCounts {
  /** Bookings not cancelled, and the places they hold. */
  bookings: number;
  places: number;
  checkedInBookings: number;
  checkedInPlaces: number;
  walkIns: number;
  cancelled: number;
}

export const SEARCH_MAX = 100;

/** Search words as a LIKE pattern that matches them literally (% and _ mean themselves). */
const likePattern = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

function attendeesQuery(q: Q, eventId: number, options: { search?: string | undefined; booked?: boolean }) {
  let query = q
    .selectFrom('bookings')
    .innerJoin('ticket_tiers', 'ticket_tiers.id', 'bookings.tier_id')
    .where('bookings.event_id', '=', eventId);
  if (options.booked) query = query.where('bookings.status', '=', 'booked');
  const search = options.search?.trim().slice(0, SEARCH_MAX);
  if (search) {
    const pattern = likePattern(search);
    // A reference read out on the door may leave off the "EV-" or the dash.
    const reference = likePattern(search.toUpperCase().replace(/[\s-]/g, '').replace(/^EV/, ''));
    query = query.where((eb) =>
      eb.or([
        eb(sql`bookings.name`, 'ilike', pattern),
        eb(sql`bookings.email`, 'ilike', pattern),
        eb(sql`replace(bookings.reference, '-', '')`, 'like', reference),
      ]),
    );
  }
  return query;
}

function toAttendee(r: {
  id: number;
  reference: string;
  name: string;
  email: string;
  places: number;
  tier: string;
  access_needs: string;
  status: BookingStatus;
  walk_in: boolean;
  created_at: Date;
  checked_in_at: Date | null;
}): Attendee {
  return {
    id: Number(r.id),
    reference: r.reference,
    name: r.name,
    email: r.email,
    places: r.places,
    tier: r.tier,
    accessNeeds: r.access_needs,
    status: r.status,
    walkIn: r.walk_in,
    bookedAt: r.created_at,
    checkedInAt: r.checked_in_at,
  };
}

const columns = [
  'bookings.id',
  'bookings.reference',
  'bookings.name',
  'bookings.email',
  'bookings.places',
  'ticket_tiers.name as tier',
  'bookings.access_needs',
  'bookings.status',
  'bookings.walk_in',
  'bookings.created_at',
  'bookings.checked_in_at',
] as const;

/** One page of an event's bookings, by name (the door's order), with how many match the search. */
export async function listAttendees(
  q: Q,
  eventId: number,
  options: { search?: string | undefined; booked?: boolean; page: number; perPage: number },
): Promise<{ attendees: Attendee[]; total: number }> {
  const base = attendeesQuery(q, eventId, options);
  const [rows, total] = await Promise.all([
    base
      .select(columns)
      .orderBy(sql`lower(bookings.name)`)
      .orderBy('bookings.id')
      .limit(options.perPage)
      .offset((options.page - 1) * options.perPage)
      .execute(),
    base.select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow(),
  ]);
  return { attendees: rows.map(toAttendee), total: total.n };
}

/** The door's figures: bookings and places, how many of them have arrived, walk-ins, cancellations. */
export async function attendeeCounts(q: Q, eventId: number): Promise<AttendeeCounts> {
  const { rows } = await sql<AttendeeCounts>`
    select
      count(*) filter (where status = 'booked')::int as bookings,
      coalesce(sum(places) filter (where status = 'booked'), 0)::int as places,
      count(*) filter (where status = 'booked' and checked_in_at is not null)::int as "checkedInBookings",
      coalesce(sum(places) filter (where status = 'booked' and checked_in_at is not null), 0)::int as "checkedInPlaces",
      count(*) filter (where status = 'booked' and walk_in)::int as "walkIns",
      count(*) filter (where status = 'cancelled')::int as cancelled
    from bookings where event_id = ${eventId}`.execute(q);
  return rows[0]!;
}

/** Bookings held with no person behind them (walk-ins who gave no email): nobody to message. */
export async function bookingsWithoutPerson(q: Q, eventId: number): Promise<number> {
  const row = await q.selectFrom('bookings').select(sql<number>`count(*)::int`.as('n')).where('event_id', '=', eventId).where('status', '=', 'booked').where('person_id', 'is', null).executeTakeFirstOrThrow();
  return row.n;
}

const BATCH = 1000;

/** Every booking of the event in booking order, a batch at a time (keyset on id), for the CSV. */
export async function* attendeeRows(q: Q, eventId: number): AsyncGenerator<Attendee> {
  let after = 0;
  for (;;) {
    const batch = await attendeesQuery(q, eventId, {}).select(columns).where('bookings.id', '>', after).orderBy('bookings.id').limit(BATCH).execute();
    for (const row of batch) yield toAttendee(row);
    if (batch.length < BATCH) return;
    after = Number(batch.at(-1)!.id);
  }
}

/** The CSV's columns, and each attendee as a row of them. */
export const ATTENDEE_COLUMNS = ['Reference', 'Name', 'Email', 'Places', 'Ticket', 'Access needs', 'Status', 'Walk-in', 'Booked at', 'Checked in at'] as const;
export const attendeeCsvRow = (a: Attendee) => [a.reference, a.name, a.email, a.places, a.tier, a.accessNeeds, a.status, a.walkIn ? 'yes' : 'no', a.bookedAt, a.checkedInAt];

/** Each look at or download of the attendees is personal data seen by an organiser: audited. */
export async function recordAttendeesSeen(q: Q, actor: Viewer, eventId: number, kind: 'view' | 'export'): Promise<void> {
  await recordAudit(q, { actor, action: `event.attendees.${kind}`, subjectType: 'event', subjectId: eventId });
}

export type CheckInOutcome =
  | { kind: 'checked-in'; name: string; places: number; reference: string }
  | { kind: 'already'; name: string; reference: string; at: Date }
  | { kind: 'undone'; name: string; reference: string }
  | { kind: 'cancelled'; name: string; reference: string }
  | { kind: 'not-found' };

interface DoorBooking {
  id: number;
  reference: string;
  name: string;
  places: number;
  status: BookingStatus;
  person_id: number | null;
  checked_in_at: Date | null;
}

async function doorBooking(q: Q, eventId: number, find: { id: number } | { reference: string }): Promise<DoorBooking | undefined> {
  let query = q.selectFrom('bookings').select(['id', 'reference', 'name', 'places', 'status', 'person_id', 'checked_in_at']).where('event_id', '=', eventId);
  if ('id' in find) query = query.where('id', '=', find.id);
  else {
    const bare = find.reference.toUpperCase().replace(/[\s-]/g, '').replace(/^EV/, '');
    if (!/^[0-9A-Z]{8}$/.test(bare)) return undefined;
    query = query.where('reference', '=', `EV-${bare}`);
  }
  const row = await query.forUpdate().executeTakeFirst();
  return row ? { ...row, id: Number(row.id), person_id: row.person_id === null ? null : Number(row.person_id) } : undefined;
}

/**
 * Ticks a booking off on the door (by its id in the list, or by the reference the person reads
 * out), or undoes a wrong tick. Their timeline says they attended. Ticking twice says when they
 * arrived; a cancelled booking is not ticked.
 */
export async function checkIn(q: Q, actor: Viewer, event: Pick<ChorusEvent, 'id' | 'title'>, find: { id: number } | { reference: string }, undo = false): Promise<CheckInOutcome> {
  const eventId = event.id;
  const booking = await doorBooking(q, eventId, find);
  if (!booking) return { kind: 'not-found' };
  const who = { name: booking.name, reference: booking.reference };
  if (booking.status !== 'booked') return { kind: 'cancelled', ...who };
  if (undo) {
    if (booking.checked_in_at === null) return { kind: 'undone', ...who };
    await q.updateTable('bookings').set({ checked_in_at: null, checked_in_by: null }).where('id', '=', booking.id).execute();
    if (booking.person_id !== null) await recordAction(q, booking.person_id, { kind: 'event.check-in-undone', subjectType: 'event', subjectId: eventId, detail: { event: event.title, reference: booking.reference } });
    return { kind: 'undone', ...who };
  }
  if (booking.checked_in_at !== null) return { kind: 'already', ...who, at: booking.checked_in_at };
  await q
    .updateTable('bookings')
    .set({ checked_in_at: new Date(), checked_in_by: actor.id > 0 ? actor.id : null })
    .where('id', '=', booking.id)
    .execute();
  if (booking.person_id !== null) await recordAction(q, booking.person_id, { kind: 'event.attended', subjectType: 'event', subjectId: eventId, detail: { event: event.title, reference: booking.reference, places: booking.places } });
  return { kind: 'checked-in', ...who, places: booking.places };
}

/** Someone added on the door: name, an email if they give one, places and ticket. */
export const walkInSchema = bookingFormSchema.pick({ name: true, tier: true, places: true }).extend({ email: optionalEmail() });

export type WalkInOutcome = { kind: 'invalid'; problems: FieldProblem[] } | { kind: 'cancelled' } | { kind: 'added'; reference: string; name: string; places: number };

/**
 * Adds a walk-in, already checked in. The places are taken under the event's row lock, checked
 * against the event's and the ticket's capacity as they are then (a full event is full on the
 * door too). Given an email, the person is recorded through supporters with their timeline
 * (booked, attended) and the organising groups, with no consent assumed.
 */
export async function addWalkIn(tx: Tx, actor: Viewer, event: ChorusEvent, fields: unknown): Promise<WalkInOutcome> {
  const parsed = walkInSchema.safeParse(fields ?? {});
  if (!parsed.success) return { kind: 'invalid', problems: problemsFromZod(parsed.error) };
  const form = parsed.data;
  const locked = await sql<{ state: ChorusEvent['state']; capacity: number | null; places_booked: number; places_held: number }>`
    select state, capacity, places_booked, places_held from events where id = ${event.id} for update`.execute(tx);
  const row = locked.rows[0];
  if (!row || row.state === 'cancelled') return { kind: 'cancelled' };
  const tiers = await tx.selectFrom('ticket_tiers').select(['id', 'position', 'name', 'price_pence', 'capacity', 'places_booked', 'places_held']).where('event_id', '=', event.id).orderBy('position').execute();
  const current: ChorusEvent = {
    ...event,
    capacity: row.capacity,
    placesBooked: row.places_booked,
    placesHeld: row.places_held,
    tiers: tiers.map((t) => ({ id: t.id, position: t.position, name: t.name, pricePence: t.price_pence, capacity: t.capacity, placesBooked: t.places_booked, placesHeld: t.places_held })),
  };
  const tier = current.tiers.find((t) => t.id === form.tier);
  if (!tier) return { kind: 'invalid', problems: [{ field: 'tier', message: 'Choose a ticket' }] };
  const problem = shortfall(current, tier, form.places);
  if (problem) return { kind: 'invalid', problems: [problem] };

  const name = form.name.replace(/\s+/g, ' ');
  const reference = newReference();
  let personId: number | null = null;
  if (form.email) {
    const split = splitName(name);
    const person = await personForUnprovenAction(tx, { email: form.email, givenName: split.givenName || null, familyName: split.familyName, source: { method: `event:${event.id}:door` } });
    personId = person.id;
    const detail = { event: event.title, reference, places: form.places, tier: tier.name, walkIn: true, groupIds: event.groups.map((g) => g.id) };
    await recordAction(tx, person.id, { kind: 'event.booked', subjectType: 'event', subjectId: event.id, detail });
    await recordAction(tx, person.id, { kind: 'event.attended', subjectType: 'event', subjectId: event.id, detail: { event: event.title, reference, places: form.places } });
    await connectToGroups(tx, person.id, event.groups.map((g) => g.id));
  }
  await sql`update events set places_booked = places_booked + ${form.places} where id = ${event.id}`.execute(tx);
  await sql`update ticket_tiers set places_booked = places_booked + ${form.places} where id = ${tier.id}`.execute(tx);
  await tx
    .insertInto('bookings')
    .values({
      event_id: event.id,
      tier_id: tier.id,
      reference,
      person_id: personId,
      name,
      email: form.email ?? '',
      places: form.places,
      // Nobody has the manage link of a walk-in: the hash is of a token thrown away.
      manage_token_hash: newManageToken().hash,
      walk_in: true,
      checked_in_at: new Date(),
      checked_in_by: actor.id > 0 ? actor.id : null,
    })
    .execute();
  await recordAudit(tx, { actor, action: 'event.walk-in', subjectType: 'event', subjectId: event.id, after: { reference, places: form.places, tier: tier.name } });
  return { kind: 'added', reference, name, places: form.places };
}
