import { sql } from 'kysely';
import type { AppContext as AnyAppContext } from '../context.ts';
import { conflict, invalidField, notFound, recordAudit, type Viewer } from '../platform/index.ts';
import { recordAction } from '../supporters/index.ts';
import { queueBookingCancelledEmail } from './booking-cancelled-email.ts';
import { hashToken } from './booking-tokens.ts';
import { eventFor } from './event-access.ts';
import { findEvent } from './store.ts';
import { eventsContext, type AppContext, type BookingStatus, type Q, type Tx } from './tables.ts';
import { offerFreedPlaces } from './waiting-list.ts';

export interface ManagedBooking {
  id: number;
  eventId: number;
  reference: string;
  name: string;
  places: number;
  tierName: string;
  accessNeeds: string;
  status: BookingStatus;
  cancelledAt: Date | null;
}

/** The booking a manage link's token opens; undefined when no booking has that token. */
export async function findBookingByToken(q: Q, token: string): Promise<ManagedBooking | undefined> {
  if (!/^[A-Za-z0-9_-]{20,64}$/.test(token)) return undefined;
  return bookingWhere(q, hashToken(token));
}

async function bookingWhere(q: Q, tokenHash: string): Promise<ManagedBooking | undefined> {
  const row = await q
    .selectFrom('bookings')
    .innerJoin('ticket_tiers', 'ticket_tiers.id', 'bookings.tier_id')
    .select(['bookings.id', 'bookings.event_id', 'bookings.reference', 'bookings.name', 'bookings.places', 'ticket_tiers.name as tier_name', 'bookings.access_needs', 'bookings.status', 'bookings.cancelled_at'])
    .where('bookings.manage_token_hash', '=', tokenHash)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    id: row.id,
    eventId: row.event_id,
    reference: row.reference,
    name: row.name,
    places: row.places,
    tierName: row.tier_name,
    accessNeeds: row.access_needs,
    status: row.status,
    cancelledAt: row.cancelled_at,
  };
}

/**
 * Cancels a booking from its manage link (no sign-in): the places are freed under the event's
 * row lock, as bookings take them, and the person's timeline says so. Cancelling twice is refused.
 * The freed places are offered to the waiting list at once, and the booker is emailed the
 * cancellation with a calendar file that removes the event (METHOD:CANCEL).
 */
export async function cancelBooking(anyCtx: AnyAppContext<Record<never, never>>, token: string, now: Date = new Date()): Promise<ManagedBooking> {
  const ctx = eventsContext(anyCtx);
  return ctx.db.transaction().execute(async (tx) => {
    const booking = await findBookingByToken(tx, token);
    if (!booking) throw notFound('booking');
    return cancelInTransaction(ctx, tx, booking, 'booker', now);
  });
}

/**
 * An organiser (of the event's groups, or an admin) cancels a booking by its reference: the same
 * as the booker cancelling, audited, and the booker is told it was the organisers.
 */
export async function cancelBookingAsOrganiser(anyCtx: AnyAppContext<Record<never, never>>, actor: Viewer, eventId: number, reference: string, now: Date = new Date()): Promise<ManagedBooking> {
  const ctx = eventsContext(anyCtx);
  return ctx.db.transaction().execute(async (tx) => {
    await eventFor(tx, actor, eventId, 'manage');
    const row = await tx.selectFrom('bookings').select('manage_token_hash').where('event_id', '=', eventId).where('reference', '=', reference.trim().toUpperCase()).executeTakeFirst();
    if (!row) throw invalidField('reference', 'No booking on this event has that reference');
    const booking = (await bookingWhere(tx, row.manage_token_hash))!;
    const cancelled = await cancelInTransaction(ctx, tx, booking, 'organiser', now);
    await recordAudit(tx, { actor, action: 'event.booking.cancel', subjectType: 'event', subjectId: eventId, before: { reference: booking.reference, places: booking.places, status: 'booked' }, after: { reference: booking.reference, status: 'cancelled' } });
    return cancelled;
  });
}

async function cancelInTransaction(ctx: AppContext, tx: Tx, booking: ManagedBooking, by: 'booker' | 'organiser', now: Date): Promise<ManagedBooking> {
  await sql`select id from events where id = ${booking.eventId} for update`.execute(tx);
  const cancelled = await tx
    .updateTable('bookings')
    .set({ status: 'cancelled', cancelled_at: now })
    .where('id', '=', booking.id)
    .where('status', '=', 'booked')
    .returning(['tier_id', 'places', 'person_id', 'cancelled_at', 'email'])
    .executeTakeFirst();
  if (!cancelled) throw conflict('This booking is already cancelled.');
  await sql`update events set places_booked = places_booked - ${cancelled.places} where id = ${booking.eventId}`.execute(tx);
  await sql`update ticket_tiers set places_booked = places_booked - ${cancelled.places} where id = ${cancelled.tier_id}`.execute(tx);
  if (cancelled.person_id !== null) {
    await recordAction(tx, cancelled.person_id, { kind: 'event.booking-cancelled', subjectType: 'event', subjectId: booking.eventId, detail: { reference: booking.reference, places: cancelled.places, by } });
  }
  const event = await findEvent(tx, booking.eventId);
  if (event) await queueBookingCancelledEmail(ctx, tx, { event, email: cancelled.email, reference: booking.reference, places: cancelled.places, by });
  await offerFreedPlaces(ctx, tx, booking.eventId, now);
  return { ...booking, status: 'cancelled' as const, cancelledAt: cancelled.cancelled_at };
}
