import { sql, type Selectable } from 'kysely';
import { findGroupsByIds, groupNamesOf } from '../coalition/index.ts';
import type { Handle } from '../platform/index.ts';
import { supportersQ, type PeopleTable, type Q } from './tables.ts';

/** A person as the admin pages and exports see them. */
export interface Person {
  id: number;
  publicId: string;
  email: string | null;
  emailStatus: string;
  givenName: string | null;
  familyName: string | null;
  phone: string | null;
  postcode: string | null;
  constituencyCode: string | null;
  regionCode: string | null;
  countryCode: string | null;
  source: { utmSource: string | null; utmCampaign: string | null; referrer: string | null; method: string | null };
  firstActionAt: Date | null;
  latestActionAt: Date | null;
  createdAt: Date;
  modifiedAt: Date;
  mergedIntoId: number | null;
  erasedAt: Date | null;
  /** True when the viewer's groups know only what they were told about this person (see asSeenBy). */
  toldOnly?: boolean;
}

export function toPerson(row: Selectable<PeopleTable>): Person {
  return {
    id: row.id,
    publicId: row.public_id,
    email: row.email,
    emailStatus: row.email_status,
    givenName: row.given_name,
    familyName: row.family_name,
    phone: row.phone,
    postcode: row.postcode,
    constituencyCode: row.constituency_code,
    regionCode: row.region_code,
    countryCode: row.country_code,
    source: { utmSource: row.source_utm_source, utmCampaign: row.source_utm_campaign, referrer: row.source_referrer, method: row.source_method },
    firstActionAt: row.first_action_at,
    latestActionAt: row.latest_action_at,
    createdAt: row.created_at,
    modifiedAt: row.modified_at,
    mergedIntoId: row.merged_into_id,
    erasedAt: row.erased_at,
  };
}

export function displayName(person: Pick<Person, 'givenName' | 'familyName' | 'email' | 'erasedAt'>): string {
  if (person.erasedAt) return 'Erased person';
  const name = [person.givenName, person.familyName].filter(Boolean).join(' ');
  return name || person.email || 'Unnamed person';
}

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function findPersonByPublicId(q: Q, publicId: string): Promise<Person | undefined> {
  if (!uuid.test(publicId)) return undefined;
  const row = await q.selectFrom('people').selectAll().where('public_id', '=', publicId.toLowerCase()).executeTakeFirst();
  return row ? toPerson(row) : undefined;
}

export async function findPersonById(handle: Handle, id: number): Promise<Person | undefined> {
  const q = supportersQ(handle);
  const row = await q.selectFrom('people').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toPerson(row) : undefined;
}

/** Group ids a person is connected to. */
export async function groupIdsOfPerson(q: Q, personId: number): Promise<number[]> {
  const rows = await q.selectFrom('person_groups').select('group_id').where('person_id', '=', personId).execute();
  return rows.map((r) => r.group_id);
}

export interface PersonGroup {
  id: number;
  slug: string;
  name: string;
  firstAt: Date;
  /** What the group was told about the person (by its key, import or organiser), when it keeps its own view. */
  told: Record<string, string | null> | null;
}

export async function groupsOfPerson(q: Q, personId: number, visible: number[] | 'all' = 'all'): Promise<PersonGroup[]> {
  if (visible !== 'all' && visible.length === 0) return [];
  let query = q.selectFrom('person_groups').select(['group_id', 'first_at', 'facts']).where('person_id', '=', personId);
  if (visible !== 'all') query = query.where('group_id', 'in', visible);
  const rows = new Map((await query.execute()).map((r) => [r.group_id, r]));
  const groups = await findGroupsByIds(q, [...rows.keys()]);
  return groups.map((g) => {
    const row = rows.get(g.id)!;
    return { id: g.id, slug: g.slug, name: g.name, firstAt: row.first_at, told: (row.facts as Record<string, string | null> | null) ?? null };
  });
}

export interface Membership {
  id: number;
  name: string;
  groupName: string | null;
  since: Date;
}

const membershipTables = {
  tags: { join: 'taggings', key: 'tag_id', since: 'created_at' },
  lists: { join: 'list_members', key: 'list_id', since: 'added_at' },
} as const;

/** Tags or lists of a person: those shared coalition-wide or belonging to the visible groups. */
async function membershipsOf(q: Q, kind: keyof typeof membershipTables, personId: number, visible: number[] | 'all'): Promise<Membership[]> {
  const t = membershipTables[kind];
  const groups = visible === 'all' ? null : visible;
  // Table and column names come from the constant above, never from input.
  const rows = await sql<{ id: number; name: string; group_id: number | null; since: Date }>`
    select x.id, x.name, x.group_id, m.${sql.raw(t.since)} as since
    from ${sql.raw(t.join)} m
    join ${sql.raw(kind)} x on x.id = m.${sql.raw(t.key)}
    where m.person_id = ${personId}
      and (${groups}::int[] is null or x.group_id is null or x.group_id = any(${groups}::int[]))
    order by x.name`.execute(q);
  const names = await groupNamesOf(q, rows.rows.map((r) => r.group_id));
  return rows.rows.map((r) => ({ id: r.id, name: r.name, groupName: r.group_id === null ? null : (names.get(r.group_id) ?? null), since: r.since }));
}

export function tagsOfPerson(q: Q, personId: number, visible: number[] | 'all' = 'all'): Promise<Membership[]> {
  return membershipsOf(q, 'tags', personId, visible);
}

export function listsOfPerson(q: Q, personId: number, visible: number[] | 'all' = 'all'): Promise<Membership[]> {
  return membershipsOf(q, 'lists', personId, visible);
}

export interface TimelineEntry {
  kind: string;
  subjectType: string | null;
  subjectId: string | null;
  groupId: number | null;
  occurredAt: Date;
  detail: Record<string, unknown>;
}

/**
 * Everything the person did, newest first. A group organiser sees the entries that concern
 * their groups (the entry's group, or a petition of theirs listed in `detail.groupIds`).
 */
export async function timelineOf(q: Q, personId: number, visible: number[] | 'all' = 'all', limit = 200): Promise<TimelineEntry[]> {
  const groups = visible === 'all' ? null : visible;
  const rows = await sql<{
    kind: string;
    subject_type: string | null;
    subject_id: string | null;
    group_id: number | null;
    occurred_at: Date;
    detail: Record<string, unknown>;
  }>`
    select kind, subject_type, subject_id, group_id, occurred_at, detail from person_actions
    where person_id = ${personId}
      and (${groups}::int[] is null or group_id = any(${groups}::int[])
        or exists (select 1 from jsonb_array_elements_text(case when jsonb_typeof(detail->'groupIds') = 'array' then detail->'groupIds' else '[]'::jsonb end) g
                   where g::int = any(${groups}::int[])))
    order by occurred_at desc, id desc
    limit ${limit}`.execute(q);
  return rows.rows.map((r) => ({
    kind: r.kind,
    subjectType: r.subject_type,
    subjectId: r.subject_id,
    groupId: r.group_id,
    occurredAt: r.occurred_at,
    detail: r.detail,
  }));
}
