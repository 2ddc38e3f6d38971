import { sql } from 'kysely';
import { canonicalEmail } from '../petitions/canonical-email.ts';
import type { Q } from '../schema.ts';

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

/**
 * Finds or creates the one person with this canonical email (every action lands on the same
 * record), filling in facts we did not know and keeping the latest address details.
 */
export async function upsertPerson(q: Q, facts: PersonFacts, at: Date = new Date()): Promise<PersonRef> {
  const canonical = canonicalEmail(facts.email);
  const row = await sql<{ id: number; public_id: string; created: boolean }>`
    insert into people (email, canonical_email, email_status, given_name, family_name, phone, postcode,
      constituency_code, region_code, country_code, source_utm_source, source_utm_campaign, source_referrer,
      source_method, first_action_at, latest_action_at)
    values (${facts.email.trim()}, ${canonical}, ${facts.emailVerified ? 'verified' : 'unverified'},
      ${facts.givenName ?? null}, ${facts.familyName ?? null}, ${facts.phone ?? null}, ${facts.postcode ?? null},
      ${facts.constituencyCode ?? null}, ${facts.regionCode ?? null}, ${facts.countryCode ?? null},
      ${facts.source?.utmSource ?? null}, ${facts.source?.utmCampaign ?? null}, ${facts.source?.referrer ?? null},
      ${facts.source?.method ?? null}, ${at}, ${at})
    on conflict (canonical_email) where canonical_email is not null and merged_into_id is null do update set
      given_name = coalesce(excluded.given_name, people.given_name),
      family_name = case when excluded.given_name is not null then excluded.family_name else people.family_name end,
      phone = coalesce(excluded.phone, people.phone),
      postcode = coalesce(excluded.postcode, people.postcode),
      constituency_code = case when excluded.postcode is not null then excluded.constituency_code else people.constituency_code end,
      region_code = case when excluded.postcode is not null then excluded.region_code else people.region_code end,
      country_code = coalesce(excluded.country_code, people.country_code),
      email_status = case when excluded.email_status = 'verified' and people.email_status = 'unverified' then 'verified' else people.email_status end,
      first_action_at = least(people.first_action_at, excluded.first_action_at),
      latest_action_at = greatest(people.latest_action_at, excluded.latest_action_at),
      modified_at = now()
    returning id, public_id, (xmax = 0) as created`.execute(q);
  const r = row.rows[0]!;
  return { id: r.id, publicId: r.public_id, created: r.created };
}

export interface ActionProps {
  kind: string;
  subjectType?: string | null;
  subjectId?: string | number | null;
  groupId?: number | null;
  occurredAt?: Date;
  detail?: Record<string, unknown>;
}

/** Adds an entry to a person's timeline and connects them to the action's group. */
export async function recordAction(q: Q, personId: number, action: ActionProps): Promise<void> {
  const at = action.occurredAt ?? new Date();
  await q
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
    .execute();
  if (action.groupId) await connectToGroups(q, personId, [action.groupId], at);
}

/** Connects a person to groups (group organisers then see them). */
export async function connectToGroups(q: Q, personId: number, groupIds: number[], at: Date = new Date()): Promise<void> {
  if (groupIds.length === 0) return;
  await q
    .insertInto('person_groups')
    .values(groupIds.map((group_id) => ({ person_id: personId, group_id, first_at: at })))
    .onConflict((oc) => oc.columns(['group_id', 'person_id']).doNothing())
    .execute();
}
