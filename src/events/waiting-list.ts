import { sql } from 'kysely';
import type { AppContext as AnyAppContext } from '../context.ts';
import { formatLondon, problemsFromZod, queueEmail, type FieldProblem, type Handle } from '../platform/index.ts';
import { connectToGroups, personForUnprovenAction, recordAction, splitName } from '../supporters/index.ts';
import { bookingFormSchema, bookingRateLimit, queueBookingEmail, recordHearMore, type BookingForm } from './book-event.ts';
import { hashToken, newManageToken, newReference } from './booking-tokens.ts';
import { placeLine } from './event-calendar.ts';
import { isBookable } from './states.ts';
import { findEvent, placesLeftIn, type ChorusEvent, type TicketTier } from './store.ts';
import { eventsContext, eventsQ, type AppContext, type Q, type Tx, type WaitingStatus } from './tables.ts';

/** How long an offer holds its places. */
export const OFFER_HOURS = 24;
const OFFER_MS = OFFER_HOURS * 3_600_000;

/** The waiting-list form asks what the booking form asks. */
export const waitingListFormSchema = bookingFormSchema;

const placesWord = (n: number) => (n === 1 ? '1 place' : `${n} places`);
export const waitingListUrl = (baseUrl: string, token: string) => `${baseUrl}/waiting-list/${token}`;
export const offerUrl = (baseUrl: string, token: string) => `${baseUrl}/waiting-list/offers/${token}`;
const TOKEN = /^[A-Za-z0-9_-]{20,64}$/;

/** The tickets one can join the waiting list for now: those with no places left. */
export function fullTiers(event: ChorusEvent): TicketTier[] {
  return event.tiers.filter((t) => placesLeftIn(event, t) === 0);
}

export type JoinOutcome =
  | { kind: 'invalid'; problems: FieldProblem[] }
  | { kind: 'not-bookable' }
  | { kind: 'rate-limited'; retryAfterSeconds: number }
  | { kind: 'joined'; places: number; ahead: number };

class Refusal extends Error {
  constructor(readonly outcome: JoinOutcome) {
    super('waiting list refused');
  }
}

/** Locks the event's row and reads it as it is now (places booked and held included). */
async function lockedEvent(tx: Tx, eventId: number): Promise<ChorusEvent | undefined> {
  await sql`select id from events where id = ${eventId} for update`.execute(tx);
  return findEvent(tx, eventId);
}

/**
 * Joins the waiting list of a full event (or a full ticket): the person, their timeline entry
 * ("event.waiting-list.joined"), their groups and any "hear more" sign-up, as booking records
 * them, and an email with a link to see the entry or leave the list. Checked under the event's
 * row lock, which cancellations take too, so a place freed at the same moment is never missed:
 * when the places asked for are there, the answer is to book them instead.
 */
export async function joinWaitingList(anyCtx: AnyAppContext<Record<never, never>>, props: { event: ChorusEvent; fields: unknown; ip: string | null }): Promise<JoinOutcome> {
  const ctx = eventsContext(anyCtx);
  if (!isBookable(props.event)) return { kind: 'not-bookable' };
  const parsed = waitingListFormSchema.safeParse(props.fields ?? {});
  if (!parsed.success) return { kind: 'invalid', problems: problemsFromZod(parsed.error) };
  const form = parsed.data;
  if (!props.event.tiers.some((t) => t.id === form.tier)) return { kind: 'invalid', problems: [{ field: 'tier', message: 'Choose a ticket' }] };
  const limited = await bookingRateLimit(ctx, props.ip);
  if (limited) return limited;
  try {
    return await ctx.db.transaction().execute(async (tx) => {
      const event = await lockedEvent(tx, props.event.id);
      if (!event || !isBookable(event)) throw new Refusal({ kind: 'not-bookable' });
      const tier = event.tiers.find((t) => t.id === form.tier);
      if (!tier) throw new Refusal({ kind: 'invalid', problems: [{ field: 'tier', message: 'Choose a ticket' }] });
      const left = placesLeftIn(event, tier);
      if (left === null || left >= form.places) {
        throw new Refusal({ kind: 'invalid', problems: [{ field: 'places', message: `There ${left === 1 ? 'is' : 'are'} still ${left === null ? 'places' : placesWord(left)} left${event.tiers.length > 1 ? ` for ${tier.name}` : ''}: book instead of joining the waiting list` }] });
      }
      const already = await tx
        .selectFrom('waiting_list_entries')
        .select('id')
        .where('event_id', '=', event.id)
        .where('status', 'in', ['waiting', 'offered'])
        .where(sql<boolean>`lower(email) = lower(${form.email})`)
        .executeTakeFirst();
      if (already) throw new Refusal({ kind: 'invalid', problems: [{ field: 'email', message: 'This email address is already on the waiting list for this event: the email we sent has a link to see your place in it' }] });
      const ahead = await tx
        .selectFrom('waiting_list_entries')
        .select(sql<number>`count(*)::int`.as('n'))
        .where('event_id', '=', event.id)
        .where('status', '=', 'waiting')
        .executeTakeFirstOrThrow();
      const name = form.name.replace(/\s+/g, ' ');
      const split = splitName(name);
      const person = await personForUnprovenAction(tx, { email: form.email, givenName: split.givenName || null, familyName: split.familyName, source: { method: `event:${event.id}` } });
      await recordAction(tx, person.id, {
        kind: 'event.waiting-list.joined',
        subjectType: 'event',
        subjectId: event.id,
        detail: { event: event.title, places: form.places, tier: tier.name, groupIds: event.groups.map((g) => g.id) },
      });
      await connectToGroups(tx, person.id, event.groups.map((g) => g.id));
      await recordHearMore(ctx, tx, event, form, props.ip);
      const { token, hash } = newManageToken();
      await tx
        .insertInto('waiting_list_entries')
        .values({ event_id: event.id, tier_id: tier.id, person_id: person.id, name, email: form.email, places: form.places, access_needs: form.access_needs, hear_more: form.hear_more, token_hash: hash })
        .execute();
      await queueJoinedEmail(ctx, tx, event, tier, form, token, ahead.n);
      return { kind: 'joined' as const, places: form.places, ahead: ahead.n };
    });
  } catch (error) {
    if (error instanceof Refusal) return error.outcome;
    throw error;
  }
}

function tierWords(event: ChorusEvent, tier: TicketTier) {
  return event.tiers.length > 1 ? ` (${tier.name})` : '';
}

async function queueJoinedEmail(ctx: AppContext, tx: Tx, event: ChorusEvent, tier: TicketTier, form: BookingForm, token: string, ahead: number) {
  const base = ctx.config.BASE_URL;
  await queueEmail(tx, {
    kind: 'events.waiting-list.joined',
    to: form.email,
    brand: ctx.brand.current(),
    baseUrl: base,
    secrets: [token],
    content: {
      subject: `You’re on the waiting list: ${event.title}`,
      heading: 'You’re on the waiting list',
      blocks: [
        { type: 'paragraph', text: `You are on the waiting list for ${placesWord(form.places)}${tierWords(event, tier)} at ${event.title}, ${formatLondon(event.startsAt, 'full')} (UK time).` },
        { type: 'paragraph', text: ahead === 0 ? 'You are first in the queue.' : `${ahead === 1 ? '1 person is' : `${ahead} people are`} ahead of you.` },
        { type: 'paragraph', text: `When places are freed we offer them in the order people joined, by email. An offer holds the places for you for ${OFFER_HOURS} hours; if you do not claim them in time they are offered to the next person.` },
        { type: 'button', href: waitingListUrl(base, token), label: 'See your place or leave the waiting list' },
        { type: 'small', text: 'Keep this email: the link lets you leave the waiting list without signing in, so please do not forward it.' },
      ],
    },
  });
}

async function queueOfferEmail(ctx: AppContext, tx: Tx, event: ChorusEvent, tier: TicketTier, entry: { email: string; places: number }, token: string, expires: Date) {
  const base = ctx.config.BASE_URL;
  await queueEmail(tx, {
    kind: 'events.waiting-list.offer',
    to: entry.email,
    brand: ctx.brand.current(),
    baseUrl: base,
    secrets: [token],
    content: {
      subject: `A place is free for you: ${event.title}`,
      heading: 'Places are free for you',
      blocks: [
        { type: 'paragraph', text: `${placesWord(entry.places)}${tierWords(event, tier)} at ${event.title} ${entry.places === 1 ? 'has' : 'have'} come free, and you are next on the waiting list.` },
        { type: 'paragraph', text: `We are holding ${entry.places === 1 ? 'it' : 'them'} for you until ${formatLondon(expires, 'full')} (UK time). After that ${entry.places === 1 ? 'it goes' : 'they go'} to the next person on the list.` },
        { type: 'paragraph', text: `When: ${formatLondon(event.startsAt, 'full')} (UK time). Where: ${placeLine(event)}` },
        { type: 'button', href: offerUrl(base, token), label: 'Book my places' },
        { type: 'small', text: 'If you no longer want them, the same link lets you say so, and they go to the next person at once.' },
      ],
    },
  });
}

async function queueLapsedEmail(ctx: AppContext, tx: Tx, event: ChorusEvent, email: string) {
  const base = ctx.config.BASE_URL;
  await queueEmail(tx, {
    kind: 'events.waiting-list.lapsed',
    to: email,
    brand: ctx.brand.current(),
    baseUrl: base,
    content: {
      subject: `Your held place has gone: ${event.title}`,
      heading: 'Your held place has gone',
      blocks: [
        { type: 'paragraph', text: `We held places at ${event.title} for you for ${OFFER_HOURS} hours, but they were not claimed, so they have been offered to the next person on the waiting list.` },
        { type: 'link', href: `${base}${event.path}`, label: 'See the event: you can join the waiting list again' },
      ],
    },
  });
}

/**
 * Offers the places free on an event to the people waiting, in the order they joined: each whose
 * places fit what is free (per ticket and overall) is offered them, held for 24 hours (held places
 * count against capacity, so nobody else can book them), and emailed a link to claim them. Someone
 * asking for more places than are free keeps their turn while smaller requests behind them are
 * offered what is free. Runs in the caller's transaction, under the event's row lock.
 */
export async function offerFreedPlaces(anyCtx: AnyAppContext<Record<never, never>>, tx: Tx, eventId: number, now: Date): Promise<number> {
  const ctx = eventsContext(anyCtx);
  const event = await lockedEvent(tx, eventId);
  if (!event || !isBookable(event, now)) return 0;
  const waiting = await tx
    .selectFrom('waiting_list_entries')
    .select(['id', 'tier_id', 'email', 'places'])
    .where('event_id', '=', eventId)
    .where('status', '=', 'waiting')
    .orderBy('id')
    .execute();
  let offered = 0;
  for (const entry of waiting) {
    const tier = event.tiers.find((t) => t.id === entry.tier_id);
    if (!tier) continue;
    const left = placesLeftIn(event, tier);
    if (left !== null && entry.places > left) continue;
    const { token, hash } = newManageToken();
    const expires = new Date(now.getTime() + OFFER_MS);
    await tx.updateTable('waiting_list_entries').set({ status: 'offered', offered_at: now, offer_expires_at: expires, offer_token_hash: hash }).where('id', '=', entry.id).execute();
    await hold(tx, eventId, tier.id, entry.places);
    event.placesHeld += entry.places;
    tier.placesHeld += entry.places;
    await queueOfferEmail(ctx, tx, event, tier, entry, token, expires);
    offered += 1;
  }
  return offered;
}

/** Holds (or, negative, releases) places for an offer on the event and its ticket. */
async function hold(tx: Tx, eventId: number, tierId: number, places: number) {
  await sql`update events set places_held = places_held + ${places} where id = ${eventId}`.execute(tx);
  await sql`update ticket_tiers set places_held = places_held + ${places} where id = ${tierId}`.execute(tx);
}

export interface WaitingEntry {
  id: number;
  eventId: number;
  tierId: number;
  tierName: string;
  name: string;
  email: string;
  places: number;
  status: WaitingStatus;
  offerExpiresAt: Date | null;
  /** People ahead in the queue (waiting and joined earlier); 0 when not waiting. */
  ahead: number;
}

async function entryBy(q: Q, column: 'token_hash' | 'offer_token_hash', token: string, lock = false): Promise<WaitingEntry | undefined> {
  if (!TOKEN.test(token)) return undefined;
  let query = q
    .selectFrom('waiting_list_entries')
    .innerJoin('ticket_tiers', 'ticket_tiers.id', 'waiting_list_entries.tier_id')
    .select(['waiting_list_entries.id', 'waiting_list_entries.event_id', 'waiting_list_entries.tier_id', 'ticket_tiers.name as tier_name', 'waiting_list_entries.name', 'waiting_list_entries.email', 'waiting_list_entries.places', 'waiting_list_entries.status', 'waiting_list_entries.offer_expires_at'])
    .where(`waiting_list_entries.${column}`, '=', hashToken(token));
  if (lock) query = query.forUpdate('waiting_list_entries');
  const row = await query.executeTakeFirst();
  if (!row) return undefined;
  const ahead =
    row.status === 'waiting'
      ? (await q.selectFrom('waiting_list_entries').select(sql<number>`count(*)::int`.as('n')).where('event_id', '=', row.event_id).where('status', '=', 'waiting').where('id', '<', row.id).executeTakeFirstOrThrow()).n
      : 0;
  return { id: row.id, eventId: row.event_id, tierId: row.tier_id, tierName: row.tier_name, name: row.name, email: row.email, places: row.places, status: row.status, offerExpiresAt: row.offer_expires_at, ahead };
}

/** The entry a waiting-list link's token opens. */
export const findWaitingEntry = (q: Q, token: string) => entryBy(q, 'token_hash', token);
/** The entry an offer link's token opens. */
export const findOffer = (q: Q, token: string) => entryBy(q, 'offer_token_hash', token);

/** An offer is open until its time is up. */
export const offerOpen = (entry: Pick<WaitingEntry, 'status' | 'offerExpiresAt'>, now: Date) => entry.status === 'offered' && entry.offerExpiresAt !== null && now < entry.offerExpiresAt;

export type ClaimOutcome = { kind: 'booked'; reference: string; places: number; eventId: number } | { kind: 'lapsed' } | { kind: 'already-booked' } | { kind: 'left' } | { kind: 'not-bookable' };

/**
 * Claims an offer in time: the held places become a booking (the person's timeline entry
 * "event.booked", their groups, and the confirmation email with the .ics and a manage link, as
 * any booking), under the event's row lock. An offer whose time is up lapses there and then, and
 * its places go to the next person.
 */
export async function claimOffer(anyCtx: AnyAppContext<Record<never, never>>, token: string, now: Date = new Date()): Promise<ClaimOutcome | undefined> {
  const ctx = eventsContext(anyCtx);
  return ctx.db.transaction().execute(async (tx) => {
    const first = await findOffer(tx, token);
    if (!first) return undefined;
    const event = await lockedEvent(tx, first.eventId);
    const entry = await entryBy(tx, 'offer_token_hash', token, true);
    if (!event || !entry) return undefined;
    if (entry.status === 'booked') return { kind: 'already-booked' };
    if (entry.status === 'left') return { kind: 'left' };
    if (entry.status === 'lapsed') return { kind: 'lapsed' };
    if (entry.status !== 'offered') return { kind: 'lapsed' };
    if (!offerOpen(entry, now)) {
      await lapse(ctx, tx, event, [entry], now);
      return { kind: 'lapsed' };
    }
    if (!isBookable(event, now)) return { kind: 'not-bookable' };
    const tier = event.tiers.find((t) => t.id === entry.tierId)!;
    const row = await tx.selectFrom('waiting_list_entries').select(['access_needs', 'hear_more']).where('id', '=', entry.id).executeTakeFirstOrThrow();
    const split = splitName(entry.name);
    const person = await personForUnprovenAction(tx, { email: entry.email, givenName: split.givenName || null, familyName: split.familyName, source: { method: `event:${event.id}` } });
    const reference = newReference();
    const manage = newManageToken();
    await recordAction(tx, person.id, {
      kind: 'event.booked',
      subjectType: 'event',
      subjectId: event.id,
      detail: { event: event.title, reference, places: entry.places, tier: tier.name, groupIds: event.groups.map((g) => g.id), fromWaitingList: true },
    });
    await connectToGroups(tx, person.id, event.groups.map((g) => g.id));
    await hold(tx, event.id, tier.id, -entry.places);
    await sql`update events set places_booked = places_booked + ${entry.places} where id = ${event.id}`.execute(tx);
    await sql`update ticket_tiers set places_booked = places_booked + ${entry.places} where id = ${tier.id}`.execute(tx);
    const booking = await tx
      .insertInto('bookings')
      .values({ event_id: event.id, tier_id: tier.id, reference, person_id: person.id, name: entry.name, email: entry.email, places: entry.places, access_needs: row.access_needs, manage_token_hash: manage.hash, hear_more: row.hear_more })
      .returning('id')
      .executeTakeFirstOrThrow();
    await tx.updateTable('waiting_list_entries').set({ status: 'booked', booked_at: now, booking_id: booking.id, person_id: person.id }).where('id', '=', entry.id).execute();
    const form: BookingForm = { name: entry.name, email: entry.email, tier: tier.id, places: entry.places, access_needs: row.access_needs, hear_more: row.hear_more };
    await queueBookingEmail(ctx, tx, { event, tier, form, reference, token: manage.token });
    return { kind: 'booked', reference, places: entry.places, eventId: event.id };
  });
}

/** Lapses offers (already locked with their event): their places are released and offered on. Returns the new offers made. */
async function lapse(ctx: AppContext, tx: Tx, event: ChorusEvent, entries: Array<Pick<WaitingEntry, 'id' | 'tierId' | 'places' | 'email'>>, now: Date): Promise<number> {
  for (const entry of entries) {
    await tx.updateTable('waiting_list_entries').set({ status: 'lapsed', lapsed_at: now }).where('id', '=', entry.id).where('status', '=', 'offered').execute();
    await hold(tx, event.id, entry.tierId, -entry.places);
    await queueLapsedEmail(ctx, tx, event, entry.email);
  }
  return offerFreedPlaces(ctx, tx, event.id, now);
}

export type LeaveOutcome = { kind: 'left'; eventId: number } | { kind: 'not-waiting'; status: WaitingStatus; eventId: number };

/**
 * Leaves the waiting list, from the joining email's link or (declining) from an offer's link.
 * Places held for an open offer are released and offered to the next person at once.
 */
export async function leaveWaitingList(anyCtx: AnyAppContext<Record<never, never>>, token: string, via: 'entry' | 'offer', now: Date = new Date()): Promise<LeaveOutcome | undefined> {
  const ctx = eventsContext(anyCtx);
  const column = via === 'entry' ? 'token_hash' : 'offer_token_hash';
  return ctx.db.transaction().execute(async (tx) => {
    const first = await entryBy(tx, column, token);
    if (!first) return undefined;
    await lockedEvent(tx, first.eventId);
    const entry = (await entryBy(tx, column, token, true))!;
    if (entry.status !== 'waiting' && entry.status !== 'offered') return { kind: 'not-waiting', status: entry.status, eventId: entry.eventId };
    await tx.updateTable('waiting_list_entries').set({ status: 'left', left_at: now }).where('id', '=', entry.id).execute();
    const person = await tx.selectFrom('waiting_list_entries').select('person_id').where('id', '=', entry.id).executeTakeFirstOrThrow();
    if (person.person_id !== null) await recordAction(tx, person.person_id, { kind: 'event.waiting-list.left', subjectType: 'event', subjectId: entry.eventId, detail: { places: entry.places } });
    if (entry.status === 'offered') {
      await hold(tx, entry.eventId, entry.tierId, -entry.places);
      await offerFreedPlaces(ctx, tx, entry.eventId, now);
    }
    return { kind: 'left', eventId: entry.eventId };
  });
}

/**
 * The waiting-list job's work: offers whose 24 hours are up lapse (their places go to the next
 * person), and any places free on an event with people waiting (a capacity raised, a hold
 * released by erasure) are offered. `now` is the clock (injected by tests).
 */
export async function sweepWaitingLists(anyCtx: AnyAppContext<Record<never, never>>, now: Date = new Date()): Promise<{ lapsed: number; offered: number }> {
  const ctx = eventsContext(anyCtx);
  const due = await ctx.db.selectFrom('waiting_list_entries').select('event_id').distinct().where('status', '=', 'offered').where('offer_expires_at', '<=', now).execute();
  const waitingOn = await ctx.db
    .selectFrom('waiting_list_entries')
    .innerJoin('events', 'events.id', 'waiting_list_entries.event_id')
    .select('waiting_list_entries.event_id')
    .distinct()
    .where('waiting_list_entries.status', '=', 'waiting')
    .where('events.state', '=', 'published')
    .where('events.starts_at', '>', now)
    .execute();
  let lapsed = 0;
  let offered = 0;
  for (const eventId of new Set([...due, ...waitingOn].map((r) => r.event_id))) {
    await ctx.db.transaction().execute(async (tx) => {
      const event = await lockedEvent(tx, eventId);
      if (!event) return;
      const expired = await tx
        .selectFrom('waiting_list_entries')
        .select(['id', 'tier_id', 'places', 'email'])
        .where('event_id', '=', eventId)
        .where('status', '=', 'offered')
        .where('offer_expires_at', '<=', now)
        .orderBy('id')
        .forUpdate()
        .execute();
      if (expired.length > 0) {
        lapsed += expired.length;
        offered += await lapse(ctx, tx, event, expired.map((e) => ({ id: e.id, tierId: e.tier_id, places: e.places, email: e.email })), now);
      }
      offered += await offerFreedPlaces(ctx, tx, eventId, now);
    });
  }
  return { lapsed, offered };
}

/** Name and email of everyone waiting or holding an offer for an event (for change emails). */
export async function waitingListRecipients(handle: Handle, eventId: number): Promise<Array<{ name: string; email: string }>> {
  return eventsQ(handle).selectFrom('waiting_list_entries').select(['name', 'email']).where('event_id', '=', eventId).where('status', 'in', ['waiting', 'offered']).orderBy('id').execute();
}

/** How many are waiting and holding offers on an event, for the organisers. */
export async function waitingListCounts(q: Q, eventId: number): Promise<{ waiting: number; offered: number }> {
  const rows = await q
    .selectFrom('waiting_list_entries')
    .select(['status', sql<number>`count(*)::int`.as('n')])
    .where('event_id', '=', eventId)
    .where('status', 'in', ['waiting', 'offered'])
    .groupBy('status')
    .execute();
  return { waiting: rows.find((r) => r.status === 'waiting')?.n ?? 0, offered: rows.find((r) => r.status === 'offered')?.n ?? 0 };
}

/** A person's waiting-list entries, for their subject access export. */
export async function waitingEntriesOfPerson(q: Q, personId: number) {
  return q
    .selectFrom('waiting_list_entries')
    .innerJoin('events', 'events.id', 'waiting_list_entries.event_id')
    .innerJoin('ticket_tiers', 'ticket_tiers.id', 'waiting_list_entries.tier_id')
    .select([
      'events.title as event',
      'events.starts_at',
      'ticket_tiers.name as tier',
      'waiting_list_entries.name',
      'waiting_list_entries.email',
      'waiting_list_entries.places',
      'waiting_list_entries.access_needs',
      'waiting_list_entries.hear_more',
      'waiting_list_entries.status',
      'waiting_list_entries.created_at',
      'waiting_list_entries.offered_at',
      'waiting_list_entries.offer_expires_at',
      'waiting_list_entries.booked_at',
      'waiting_list_entries.left_at',
      'waiting_list_entries.lapsed_at',
    ])
    .where('waiting_list_entries.person_id', '=', personId)
    .orderBy('waiting_list_entries.created_at')
    .execute();
}

/**
 * Erases a person's waiting-list entries. Places held for their open offers are released (the
 * waiting-list job offers them to the next person within a minute); the events' totals stay.
 */
export async function eraseWaitingEntriesOfPerson(q: Q, personId: number): Promise<number> {
  const open = await q.selectFrom('waiting_list_entries').select(['event_id', 'tier_id', 'places']).where('person_id', '=', personId).where('status', '=', 'offered').execute();
  for (const o of open) {
    await sql`update events set places_held = greatest(0, places_held - ${o.places}) where id = ${o.event_id}`.execute(q);
    await sql`update ticket_tiers set places_held = greatest(0, places_held - ${o.places}) where id = ${o.tier_id}`.execute(q);
  }
  const result = await sql`delete from waiting_list_entries where person_id = ${personId}`.execute(q);
  return Number(result.numAffectedRows ?? 0);
}
