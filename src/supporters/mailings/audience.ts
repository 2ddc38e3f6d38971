import { sql } from 'kysely';
import { z } from 'zod';
import type { Q } from '../tables.ts';
import { liveConsentCondition } from '../consent.ts';
import { segmentQuery, type PeopleScope } from '../segments/compile-segment.ts';
import { definitionSchema, everyone, type SegmentDefinition } from '../segments/definition.ts';
import { getSegment } from '../segments/segment-store.ts';
import { assertWithinReach } from '../segments/segment-reach.ts';

/**
 * Who a mailing goes to: the people of its saved segment (or everyone), within the sender's
 * reach (a group's mailing reaches only that group's supporters), with a live consent for the
 * mailing's purpose and an address that is not undeliverable. The segments capability compiles
 * the segment; the consent rule is the supporters' own. The same rule is checked again for each
 * person at the moment their message is sent (recipient-rows.ts).
 */

/** The saved segment as read when the mailing was last saved or set going. */
export interface SegmentSnapshot {
  name: string;
  groupId: number | null;
  definition: SegmentDefinition;
}

const snapshotSchema = z.object({ name: z.string(), groupId: z.number().int().nullable(), definition: definitionSchema });

export function readSnapshot(stored: unknown): SegmentSnapshot | null {
  return stored === null || stored === undefined ? null : snapshotSchema.parse(stored);
}

/** Reads a saved segment now, for the mailing to keep. */
export async function snapshotSegment(q: Q, segmentId: number): Promise<SegmentSnapshot> {
  const segment = await getSegment(q, segmentId, 'all');
  return { name: segment.name, groupId: segment.groupId, definition: segment.definition };
}

export interface Audience {
  purposeId: number;
  /** The group the mailing is from (its purpose's group), or null for the coalition. */
  groupId: number | null;
  segment: SegmentSnapshot | null;
}

/** Whose people the mailing may reach: its group's; for the coalition, the segment's group's or everyone. */
export function audienceScope(audience: Audience): PeopleScope {
  if (audience.groupId !== null) return [audience.groupId];
  return audience.segment?.groupId != null ? [audience.segment.groupId] : 'all';
}

/**
 * Refuses (403) an audience whose segment names another group's tag, list, purpose or petition
 * (a segment saved before the builder checked, or a coalition segment sent by a group): call
 * before reading anyone through audienceQuery.
 */
export async function assertAudienceWithinReach(q: Q, audience: Audience): Promise<void> {
  if (audience.segment) await assertWithinReach(q, audience.segment.definition, audienceScope(audience));
}

/** The audience as a query over `people as p`, no columns chosen yet (check assertAudienceWithinReach first). */
export function audienceQuery(q: Q, audience: Audience) {
  return segmentQuery(q, audience.segment?.definition ?? everyone, audienceScope(audience))
    .where('p.email', 'is not', null)
    .where('p.email_status', '<>', 'undeliverable')
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('consents')
          .select(sql.lit(1).as('one'))
          .whereRef('consents.person_id', '=', 'p.id')
          .where('consents.purpose_id', '=', audience.purposeId)
          .where(liveConsentCondition),
      ),
    );
}

export async function countAudience(q: Q, audience: Audience): Promise<number> {
  await assertAudienceWithinReach(q, audience);
  const row = await audienceQuery(q, audience)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * Copies the next batch of the audience (people with ids above `after`) into the mailing's
 * recipients and moves the mailing's cursor, in one statement: a crash between batches loses
 * nothing and copies nobody twice. Returns how many people the batch held.
 */
export async function addRecipientBatch(q: Q, mailingId: number, audience: Audience, after: number, limit: number): Promise<number> {
  await assertAudienceWithinReach(q, audience);
  const batch = audienceQuery(q, audience).select('p.id').where('p.id', '>', after).orderBy('p.id').limit(limit);
  const { rows } = await sql<{ n: number }>`
    with batch as ${batch}, added as (
      insert into mailing_recipients (mailing_id, person_id) select ${mailingId}, id from batch
      on conflict do nothing
    ), moved as (
      update mailings set prepared_through = (select max(id) from batch), updated_at = now()
      where id = ${mailingId} and exists (select 1 from batch)
    )
    select count(*)::int as n from batch`.execute(q);
  return rows[0]?.n ?? 0;
}

/** The audience of a mailing (or anything shaped like one). */
export function audienceOf(mailing: Audience): Audience {
  return { purposeId: mailing.purposeId, groupId: mailing.groupId, segment: mailing.segment };
}
