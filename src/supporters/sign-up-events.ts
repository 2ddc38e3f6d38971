import { sql } from 'kysely';
import type { Handle } from '../platform/index.ts';
import type { PersonRow } from './people-pages.ts';
import { supportersQ } from './tables.ts';

/** A consent given (a sign-up), with the person who gave it. */
export interface SignUpEvent extends PersonRow {
  event_id: number;
  occurred_at: Date;
  method: string;
  purpose_name: string;
  canonical_email: string | null;
}

/**
 * Sign-ups in id order after the event id `afterId`: consent given to one group's own purposes
 * (null: the coalition's), through its forms, petitions or the API, by people still on record (not
 * erased or merged away). Ids are handed out as events are written, so one that commits late can
 * carry an id below one already read: readers look back a little.
 */
export async function consentEventsAfter(handle: Handle, afterId: number, options: { groupId: number | null; limit: number }): Promise<SignUpEvent[]> {
  const purposeGroup = options.groupId === null ? sql`cp.group_id is null` : sql`cp.group_id = ${options.groupId}`;
  const rows = await sql<SignUpEvent>`
    select e.id as event_id, e.occurred_at, e.method, cp.name as purpose_name, p.canonical_email,
      p.id, p.public_id, p.email, p.email_status, p.given_name, p.family_name, p.phone, p.postcode,
      p.country_code, p.constituency_code, p.created_at, p.modified_at, p.erased_at
    from consent_events e
      join consent_purposes cp on cp.id = e.purpose_id
      join people p on p.id = e.person_id
    where e.id > ${afterId} and e.event = 'given' and ${purposeGroup}
      and p.erased_at is null and p.merged_into_id is null
    order by e.id
    limit ${options.limit}`.execute(supportersQ(handle));
  return rows.rows;
}

/** The id of the newest consent event (any kind, any purpose), or 0 when there is none. */
export async function newestConsentEventId(handle: Handle): Promise<number> {
  const newest = await sql<{ id: number }>`select coalesce(max(id), 0)::bigint as id from consent_events`.execute(supportersQ(handle));
  return newest.rows[0]?.id ?? 0;
}
