import { sql } from 'kysely';
import { canonicalEmail } from '../petitions/index.ts';
import type { Handle } from '../platform/index.ts';
import { supportersQ, type Q } from './tables.ts';

/** What an action tells us about a person. Missing facts never overwrite known ones. */
export interface PersonFacts {
  email: string;
  givenName?: string | null;
  familyName?: string | null;
  phone?: string | null;
  postcode?: string | null;
  constituencyCode?: string | null;
  regionCode?: string | null;
  countryCode?: string | null;
  /** Set only when the person is first seen: where they came from. */
  source?: { utmSource?: string | null; utmCampaign?: string | null; referrer?: string | null; method?: string | null };
  /** True when this action proved the person reads this mailbox (a confirmed link). */
  emailVerified?: boolean;
}

export interface PersonRef {
  id: number;
  publicId: string;
  created: boolean;
}

/** "Ada Lovelace King" → given "Ada", family "Lovelace King"; one word is a given name. */
export function splitName(name: string): { givenName: string; familyName: string | null } {
  const parts = name.trim().replace(/\s+/g, ' ').split(' ');
  const givenName = parts.shift() ?? '';
  return { givenName, familyName: parts.length > 0 ? parts.join(' ') : null };
}

/** The live (not merged, not erased) person with this canonical email, following merges. */
export async function livePersonIdFor(q: Q, canonical: string): Promise<number | undefined> {
  const row = await sql<{ id: number }>`
    with recursive chain as (
      select id, merged_into_id, 0 as depth from people where canonical_email = ${canonical}
      union all
      select p.id, p.merged_into_id, chain.depth + 1 from people p join chain on p.id = chain.merged_into_id where chain.depth < 20
    )
    select id from chain where merged_into_id is null order by depth limit 1`.execute(q);
  return row.rows[0]?.id;
}

/** Fills in what we did not know and keeps the latest address details of a known person. */
async function updateFacts(q: Q, id: number, facts: PersonFacts, at: Date): Promise<string> {
  const row = await sql<{ public_id: string }>`
    update people set
      given_name = coalesce(${facts.givenName ?? null}::text, given_name),
      family_name = case when ${facts.givenName ?? null}::text is not null then ${facts.familyName ?? null}::text else family_name end,
      phone = coalesce(${facts.phone ?? null}::text, phone),
      postcode = coalesce(${facts.postcode ?? null}::text, postcode),
      constituency_code = case when ${facts.postcode ?? null}::text is not null then ${facts.constituencyCode ?? null}::text else constituency_code end,
      region_code = case when ${facts.postcode ?? null}::text is not null then ${facts.regionCode ?? null}::text else region_code end,
      country_code = coalesce(${facts.countryCode ?? null}::text, country_code),
      email_status = case when ${facts.emailVerified ?? false} and email_status = 'unverified' then 'verified' else email_status end,
      first_action_at = least(coalesce(first_action_at, ${at}), ${at}),
      latest_action_at = greatest(coalesce(latest_action_at, ${at}), ${at}),
      modified_at = now()
    where id = ${id}
    returning public_id`.execute(q);
  return row.rows[0]!.public_id;
}

/**
 * Finds or creates the one person with this canonical email (every action lands on the same
 * record, also when that address belonged to a record since merged into another), filling in
 * facts we did not know and keeping the latest address details.
 */
export async function upsertPerson(handle: Handle, facts: PersonFacts, at: Date = new Date()): Promise<PersonRef> {
  const q = supportersQ(handle);
  const canonical = canonicalEmail(facts.email);
  for (let attempt = 0; attempt < 3; attempt++) {
    const existing = await livePersonIdFor(q, canonical);
    if (existing !== undefined) return { id: existing, publicId: await updateFacts(q, existing, facts, at), created: false };
    const inserted = await sql<{ id: number; public_id: string }>`
      insert into people (email, canonical_email, email_status, given_name, family_name, phone, postcode,
        constituency_code, region_code, country_code, source_utm_source, source_utm_campaign, source_referrer,
        source_method, first_action_at, latest_action_at)
      values (${facts.email.trim()}, ${canonical}, ${facts.emailVerified ? 'verified' : 'unverified'},
        ${facts.givenName ?? null}, ${facts.familyName ?? null}, ${facts.phone ?? null}, ${facts.postcode ?? null},
        ${facts.constituencyCode ?? null}, ${facts.regionCode ?? null}, ${facts.countryCode ?? null},
        ${facts.source?.utmSource ?? null}, ${facts.source?.utmCampaign ?? null}, ${facts.source?.referrer ?? null},
        ${facts.source?.method ?? null}, ${at}, ${at})
      on conflict (canonical_email) where canonical_email is not null and merged_into_id is null do nothing
      returning id, public_id`.execute(q);
    const row = inserted.rows[0];
    if (row) return { id: row.id, publicId: row.public_id, created: true };
    // Another request created this person a moment ago: update that record instead.
  }
  throw new Error('Could not find or create the person');
}

/**
 * The person behind an action that does not prove the address (a booking form): a new address
 * becomes a person with these facts; a known person's record is left as it is, so nobody can
 * change someone else's name or postcode by typing their address.
 */
export async function personForUnprovenAction(handle: Handle, facts: PersonFacts, at: Date = new Date()): Promise<PersonRef> {
  const q = supportersQ(handle);
  const existing = await livePersonIdFor(q, canonicalEmail(facts.email));
  if (existing === undefined) {
    const made = await upsertPerson(q, facts, at);
    if (made.created) return made;
    return personForUnprovenAction(q, facts, at);
  }
  const row = await q.selectFrom('people').select('public_id').where('id', '=', existing).executeTakeFirstOrThrow();
  return { id: existing, publicId: row.public_id, created: false };
}

export interface ActionProps {
  kind: string;
  subjectType?: string | null;
  subjectId?: string | number | null;
  groupId?: number | null;
  occurredAt?: Date;
  detail?: Record<string, unknown>;
  /** False for things done to the record rather than by the person (an organiser's edit, a merge). */
  byPerson?: boolean;
}

/**
 * Adds an entry to a person's timeline, moves their first/latest action dates, and connects
 * them to the action's group. Returns the entry's id.
 */
export async function recordAction(handle: Handle, personId: number, action: ActionProps): Promise<number> {
  const q = supportersQ(handle);
  const at = action.occurredAt ?? new Date();
  const row = await q
    .insertInto('person_actions')
    .values({
      person_id: personId,
      kind: action.kind,
      subject_type: action.subjectType ?? null,
      subject_id: action.subjectId === undefined || action.subjectId === null ? null : String(action.subjectId),
      group_id: action.groupId ?? null,
      occurred_at: at,
      detail: JSON.stringify(action.detail ?? {}),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  if (action.byPerson !== false) {
    await sql`update people set first_action_at = least(coalesce(first_action_at, ${at}), ${at}),
      latest_action_at = greatest(coalesce(latest_action_at, ${at}), ${at}) where id = ${personId}`.execute(q);
  }
  if (action.groupId) await connectToGroups(q, personId, [action.groupId], at);
  return row.id;
}

/** Connects a person to groups (group organisers then see them). */
export async function connectToGroups(handle: Handle, personId: number, groupIds: number[], at: Date = new Date()): Promise<void> {
  const q = supportersQ(handle);
  if (groupIds.length === 0) return;
  await q
    .insertInto('person_groups')
    .values(groupIds.map((group_id) => ({ person_id: personId, group_id, first_at: at })))
    .onConflict((oc) => oc.columns(['group_id', 'person_id']).doNothing())
    .execute();
}

/**
 * What a group's API key or import says about a person: the rule that keeps one group from
 * reading or rewriting what a person gave another. A new address becomes a person with these
 * facts (the group made the record and sees it). A known person's own record (name, phone,
 * postcode) is never changed this way, since other groups see it too: the group is connected
 * and keeps what it sent as its own view of them, over what it could already see (the record,
 * when the person is already the group's; nothing, when they were someone else's). "created"
 * says whether the group knew them before, so the answer says nothing of other groups. A null
 * group (the whole coalition: an admin's import or a coalition key) updates the record itself.
 */
export async function upsertPersonThrough(handle: Handle, groupId: number | null, facts: PersonFacts, at: Date = new Date()): Promise<PersonRef> {
  const q = supportersQ(handle);
  if (groupId === null) return upsertPerson(q, facts, at);
  const existing = await livePersonIdFor(q, canonicalEmail(facts.email));
  if (existing === undefined) {
    const made = await upsertPerson(q, facts, at);
    if (made.created) {
      await connectToGroups(q, made.id, [groupId], at);
      return made;
    }
    return upsertPersonThrough(q, groupId, facts, at);
  }
  const sent = sentFacts(facts);
  const inserted = await sql<{ public_id: string }>`
    insert into person_groups (person_id, group_id, first_at, facts)
    values (${existing}, ${groupId}, ${at}, ${JSON.stringify({ ...sent, at: at.toISOString() })}::jsonb)
    on conflict (group_id, person_id) do nothing
    returning (select public_id from people where id = ${existing}) as public_id`.execute(q);
  const publicId = inserted.rows[0]?.public_id;
  if (publicId !== undefined) return { id: existing, publicId, created: true };
  if (Object.keys(sent).length > 0) await tellGroups(q, existing, [groupId], sent, at);
  const row = await q.selectFrom('people').select('public_id').where('id', '=', existing).executeTakeFirstOrThrow();
  return { id: existing, publicId: row.public_id, created: false };
}

/**
 * Adds what the groups were told to their own view of a person: what each saw before (its own
 * facts, or the record), with these facts over it. Records nobody else sees change nowhere else.
 */
export async function tellGroups(q: Q, personId: number, groupIds: readonly number[], facts: Record<string, string | null>, at: Date = new Date()): Promise<void> {
  await sql`
    update person_groups pg set facts = coalesce(pg.facts, jsonb_build_object(
        'given_name', p.given_name, 'family_name', p.family_name, 'phone', p.phone, 'postcode', p.postcode,
        'constituency_code', p.constituency_code, 'region_code', p.region_code, 'country_code', p.country_code))
      || ${JSON.stringify({ ...facts, at: at.toISOString() })}::jsonb
    from people p where p.id = pg.person_id and pg.person_id = ${personId} and pg.group_id = any(${[...groupIds]}::int[])`.execute(q);
}

/** The facts an action sent, as a group's view keeps them (a new postcode brings its places). */
function sentFacts(facts: PersonFacts): Record<string, string | null> {
  const sent: Record<string, string | null> = {};
  if (facts.givenName) Object.assign(sent, { given_name: facts.givenName, family_name: facts.familyName ?? null });
  if (facts.phone) sent.phone = facts.phone;
  if (facts.postcode) {
    Object.assign(sent, { postcode: facts.postcode, constituency_code: facts.constituencyCode ?? null, region_code: facts.regionCode ?? null });
  }
  if (facts.countryCode) sent.country_code = facts.countryCode;
  return sent;
}

/** The person gave these groups their own details (a confirmed sign-up): the groups see their record. */
export async function showRecordTo(handle: Handle, personId: number, groupIds: number[]): Promise<void> {
  if (groupIds.length === 0) return;
  await supportersQ(handle).updateTable('person_groups').set({ facts: null }).where('person_id', '=', personId).where('group_id', 'in', groupIds).execute();
}
