import { sql } from 'kysely';
import { conflict, notFound } from '../platform/index.ts';
import { recordAction } from '../supporters/index.ts';
import { hashToken } from './booking-tokens.ts';
import type { BookingStatus, Db, Q } from './tables.ts';

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
  const row = await q
    .selectFrom('bookings')
    .innerJoin('ticket_tiers', 'ticket_tiers.id', 'bookings.tier_id')
    .select(['bookings.id', 'bookings.event_id', 'bookings.reference', 'bookings.name', 'bookings.places', 'ticket_tiers.name as tier_name', 'bookings.access_needs', 'bookings.status', 'bookings.cancelled_at'])
    .where('bookings.manage_token_hash', '=', hashToken(token))
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
 */
export async function cancelBooking(db: Db, token: string): Promise<ManagedBooking> {
  return db.transaction().execute(async (tx) => {
    const booking = await findBookingByToken(tx, token);
    if (!booking) throw notFound('booking');
    await sql`select id from events where id = ${booking.eventId} for update`.execute(tx);
    const cancelled = await tx
      .updateTable('bookings')
      .set({ status: 'cancelled', cancelled_at: new Date() })
      .where('id', '=', booking.id)
      .where('status', '=', 'booked')
      .returning(['tier_id', 'places', 'person_id', 'cancelled_at'])
      .executeTakeFirst();
    if (!cancelled) throw conflict('This booking is already cancelled.');
    await sql`update events set places_booked = places_booked - ${cancelled.places} where id = ${booking.eventId}`.execute(tx);
    await sql`update ticket_tiers set places_booked = places_booked - ${cancelled.places} where id = ${cancelled.tier_id}`.execute(tx);
    if (cancelled.person_id !== null) {
      await recordAction(tx, cancelled.person_id, { kind: 'event.booking-cancelled', subjectType: 'event', subjectId: booking.eventId, detail: { reference: booking.reference, places: cancelled.places } });
    }
    return { ...booking, status: 'cancelled' as const, cancelledAt: cancelled.cancelled_at };
  });
}
