import { sql } from 'kysely';
import { personForUnprovenAction, recordAction } from '../supporters/index.ts';
import { newManageToken, newReference } from './booking-tokens.ts';
import type { Tx } from './tables.ts';

const bookers = ['Aisha Khan', 'Tom Evans', 'Maria Lopez', 'Dev Patel', 'Grace Okafor', 'Owen Hughes'];
const waiting = ['Sophie Turner', 'Ravi Sharma', 'Helen Clarke'];
const emailOf = (name: string) => `${name.toLowerCase().replace(/\s+/g, '.')}.demo@example.org`;

/**
 * Fills a demo event: every place booked (two each by six people) and three people on its waiting
 * list, as the booking and the waiting list would have left them (no emails: nobody is real).
 */
export async function fillWithWaitingList(tx: Tx, eventId: number): Promise<void> {
  const event = await tx.selectFrom('events').select(['capacity', 'title']).where('id', '=', eventId).executeTakeFirstOrThrow();
  const tier = await tx.selectFrom('ticket_tiers').select('id').where('event_id', '=', eventId).orderBy('position').executeTakeFirstOrThrow();
  const capacity = event.capacity ?? bookers.length * 2;
  let left = capacity;
  for (const [i, name] of bookers.entries()) {
    const places = i === bookers.length - 1 ? left : Math.min(2, left);
    if (places <= 0) break;
    left -= places;
    const [givenName, ...rest] = name.split(' ');
    const person = await personForUnprovenAction(tx, { email: emailOf(name), givenName: givenName ?? null, familyName: rest.join(' ') || null, source: { method: `event:${eventId}` } });
    const reference = newReference();
    await recordAction(tx, person.id, { kind: 'event.booked', subjectType: 'event', subjectId: eventId, detail: { event: event.title, reference, places } });
    await tx.insertInto('bookings').values({ event_id: eventId, tier_id: tier.id, reference, person_id: person.id, name, email: emailOf(name), places, manage_token_hash: newManageToken().hash }).execute();
    await sql`update events set places_booked = places_booked + ${places} where id = ${eventId}`.execute(tx);
    await sql`update ticket_tiers set places_booked = places_booked + ${places} where id = ${tier.id}`.execute(tx);
  }
  for (const [i, name] of waiting.entries()) {
    const [givenName, ...rest] = name.split(' ');
    const person = await personForUnprovenAction(tx, { email: emailOf(name), givenName: givenName ?? null, familyName: rest.join(' ') || null, source: { method: `event:${eventId}` } });
    await recordAction(tx, person.id, { kind: 'event.waiting-list.joined', subjectType: 'event', subjectId: eventId, detail: { event: event.title, places: i + 1 } });
    await tx.insertInto('waiting_list_entries').values({ event_id: eventId, tier_id: tier.id, person_id: person.id, name, email: emailOf(name), places: i + 1, token_hash: newManageToken().hash }).execute();
  }
}
