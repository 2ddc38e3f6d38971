import { sql, type RawBuilder } from 'kysely';
import type { Q } from '../../schema.ts';
import { segmentPersonIds, type SegmentScope } from './segment-members.ts';

/**
 * Who a mailing goes to: the segment (or everyone) ∩ a live consent for the mailing's purpose ∩
 * an address that is not undeliverable ∩ not erased or merged away. The same rule is checked
 * again for each person at the moment their message is sent.
 */
export interface Audience {
  purposeId: number;
  /** The saved segment's definition, or null for everyone with a live consent. */
  segmentDefinition: unknown;
  scope: SegmentScope;
}

/** SQL condition on `people p`. */
export function inAudience(audience: Audience): RawBuilder<boolean> {
  const segment =
    audience.segmentDefinition === null ? sql`true` : sql`p.id in (${segmentPersonIds(audience.segmentDefinition, audience.scope)})`;
  return sql<boolean>`p.email is not null and p.email_status <> 'undeliverable' and p.erased_at is null and p.merged_into_id is null
    and exists (select 1 from consents c where c.person_id = p.id and c.purpose_id = ${audience.purposeId} and c.status = 'given')
    and ${segment}`;
}

export async function countAudience(q: Q, audience: Audience): Promise<number> {
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from people p where ${inAudience(audience)}`.execute(q);
  return rows[0]?.n ?? 0;
}

/**
 * Copies the next batch of the audience (people with ids above `after`) into the mailing's
 * recipients and moves the mailing's cursor, in one statement: a crash between batches loses
 * nothing and copies nobody twice. Returns how many people the batch held.
 */
export async function addRecipientBatch(q: Q, mailingId: number, audience: Audience, after: number, limit: number): Promise<number> {
  const { rows } = await sql<{ n: number }>`
    with batch as (
      select p.id from people p where p.id > ${after} and ${inAudience(audience)} order by p.id limit ${limit}
    ), added as (
      insert into mailing_recipients (mailing_id, person_id) select ${mailingId}, id from batch
      on conflict do nothing
    ), moved as (
      update mailings set prepared_through = (select max(id) from batch), updated_at = now()
      where id = ${mailingId} and exists (select 1 from batch)
    )
    select count(*)::int as n from batch`.execute(q);
  return rows[0]?.n ?? 0;
}
