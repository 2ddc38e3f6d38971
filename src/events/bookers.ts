import { sql } from 'kysely';
import type { Q } from './tables.ts';

/** A person's bookings, for their subject access export. */
export async function bookingsOfPerson(q: Q, personId: number) {
  return q
    .selectFrom('bookings')
    .innerJoin('events', 'events.id', 'bookings.event_id')
    .innerJoin('ticket_tiers', 'ticket_tiers.id', 'bookings.tier_id')
    .select([
      'bookings.reference',
      'events.title as event',
      'events.starts_at',
      'ticket_tiers.name as tier',
      'bookings.name',
      'bookings.email',
      'bookings.places',
      'bookings.access_needs',
      'bookings.status',
      'bookings.hear_more',
      'bookings.created_at',
      'bookings.cancelled_at',
    ])
    .where('bookings.person_id', '=', personId)
    .orderBy('bookings.created_at')
    .execute();
}

/**
 * Erases a person's bookings: the rows go, the events' totals stay (the places they took are
 * still counted, as the door list was). Returns how many.
 */
export async function eraseBookingsOfPerson(q: Q, personId: number): Promise<number> {
  const result = await sql`delete from bookings where person_id = ${personId}`.execute(q);
  return Number(result.numAffectedRows ?? 0);
}
