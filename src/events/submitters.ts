import { sql } from 'kysely';
import type { Q } from './tables.ts';

/** The events a person offered through "Host an event", for their subject access export. */
export async function submissionsOfPerson(q: Q, personId: number) {
  return q
    .selectFrom('event_submissions')
    .innerJoin('events', 'events.id', 'event_submissions.event_id')
    .select(['events.title as event', 'events.starts_at', 'events.state', 'event_submissions.name', 'event_submissions.email', 'event_submissions.created_at'])
    .where('event_submissions.person_id', '=', personId)
    .orderBy('event_submissions.created_at')
    .execute();
}

/** Erases who submitted a person's events: the record of the submission goes, the events stay. */
export async function eraseSubmissionsOfPerson(q: Q, personId: number): Promise<number> {
  const result = await sql`delete from event_submissions where person_id = ${personId}`.execute(q);
  return Number(result.numAffectedRows ?? 0);
}
