import { sql } from 'kysely';
import { deleteMailTo } from '../platform/index.ts';
import type { Q } from './tables.ts';
import { consentEventsOf, consentsOf } from './consent.ts';
import { findPersonById, groupsOfPerson, listsOfPerson, tagsOfPerson, timelineOf, toPerson } from './person-record.ts';

/**
 * The supporters capability's own personal data about a person: its provider in the manifest.
 */

/** The person and the records merged into them. */
async function recordIds(q: Q, personId: number): Promise<number[]> {
  const rows = await sql<{ id: number }>`
    with recursive family as (
      select id from people where id = ${personId}
      union select p.id from people p join family f on p.merged_into_id = f.id
    ) select id from family`.execute(q);
  return rows.rows.map((r) => r.id);
}

export async function exportSupporterData(q: Q, personId: number): Promise<Record<string, unknown>> {
  const person = await findPersonById(q, personId);
  if (!person) return {};
  const ids = await recordIds(q, personId);
  const merged = ids.length > 1 ? await q.selectFrom('people').selectAll().where('id', 'in', ids.filter((id) => id !== personId)).execute() : [];
  return {
    person: { ...person, id: undefined, mergedIntoId: undefined },
    mergedRecords: merged.map((row) => {
      const m = toPerson(row);
      return { publicId: m.publicId, email: m.email, givenName: m.givenName, familyName: m.familyName, phone: m.phone, postcode: m.postcode, createdAt: m.createdAt };
    }),
    consents: await consentsOf(q, personId),
    consentEvents: await consentEventsOf(q, personId),
    timeline: await timelineOf(q, personId, 'all', 100_000),
    groups: (await groupsOfPerson(q, personId)).map((g) => ({ name: g.name, since: g.firstAt, ...(g.told ? { toldToThisGroup: g.told } : {}) })),
    tags: (await tagsOfPerson(q, personId)).map((t) => ({ name: t.name, group: t.groupName, since: t.since })),
    lists: (await listsOfPerson(q, personId)).map((l) => ({ name: l.name, group: l.groupName, since: l.since })),
  };
}

/**
 * Removes the person's personal data from the supporters tables: their record (and records
 * merged into it) keeps only anonymous facts (constituency, country, dates), consents and
 * their proof are deleted, timeline entries lose their details, tags and lists let go, and
 * mail waiting to or kept for their address is deleted.
 */
export async function eraseSupporterData(q: Q, personId: number): Promise<void> {
  const ids = await recordIds(q, personId);
  const addresses = await sql<{ email: string }>`
    select email from people where id = any(${ids}::bigint[]) and email is not null`.execute(q);
  await deleteMailTo(q, addresses.rows.map((r) => r.email));
  await sql`delete from consent_events where person_id = any(${ids}::bigint[])`.execute(q);
  await sql`delete from consents where person_id = any(${ids}::bigint[])`.execute(q);
  await sql`delete from taggings where person_id = any(${ids}::bigint[])`.execute(q);
  await sql`delete from list_members where person_id = any(${ids}::bigint[])`.execute(q);
  await sql`update person_actions set detail = '{}' where person_id = any(${ids}::bigint[])`.execute(q);
  await sql`update person_groups set facts = null where person_id = any(${ids}::bigint[])`.execute(q);
  await sql`
    update people set email = null, canonical_email = null, email_status_reason = null, given_name = null, family_name = null,
      phone = null, postcode = null, source_utm_source = null, source_utm_campaign = null, source_referrer = null,
      source_method = null, erased_at = coalesce(erased_at, now()), modified_at = now()
    where id = any(${ids}::bigint[])`.execute(q);
}
