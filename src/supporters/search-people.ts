import { sql } from 'kysely';
import type { Q } from './tables.ts';
import { scopeCondition, type PeopleScope } from './access.ts';
import { peopleSeenBy } from './people-pages.ts';
import { pageCount } from '../platform/index.ts';

export const PEOPLE_PER_PAGE = 50;

export interface PeopleSearch {
  /** Part of a name or email address, or a postcode (any spacing). */
  text?: string | undefined;
  groupId?: number | undefined;
  page: number;
}

export interface PersonRow {
  publicId: string;
  givenName: string | null;
  familyName: string | null;
  email: string | null;
  postcode: string | null;
  constituencyCode: string | null;
  latestActionAt: Date | null;
}

export interface PeoplePage {
  rows: PersonRow[];
  total: number;
  totalPages: number;
}

function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** Live people (not merged, not erased) the scope reaches, most recently active first. */
export async function searchPeople(q: Q, scope: PeopleScope, search: PeopleSearch): Promise<PeoplePage> {
  const text = search.text?.trim();
  const pattern = text ? likePattern(text) : null;
  const compact = text ? text.replace(/\s+/g, '').toUpperCase() : null;
  const where = sql`
    p.merged_into_id is null and p.erased_at is null and ${scopeCondition(scope)}
    and (${search.groupId ?? null}::int is null or exists (select 1 from person_groups g where g.person_id = p.id and g.group_id = ${search.groupId ?? null}::int))
    and (${pattern}::text is null
      or (coalesce(p.given_name, '') || ' ' || coalesce(p.family_name, '')) ilike ${pattern}
      or p.email ilike ${pattern}
      or replace(upper(p.postcode), ' ', '') = ${compact}::text)`;
  const people = peopleSeenBy(scope.groupIds === 'all' ? null : scope.groupIds);
  const total = await sql<{ n: number }>`select count(*)::int as n from ${people} p where ${where}`.execute(q);
  const n = total.rows[0]?.n ?? 0;
  const rows = await sql<{
    public_id: string;
    given_name: string | null;
    family_name: string | null;
    email: string | null;
    postcode: string | null;
    constituency_code: string | null;
    latest_action_at: Date | null;
  }>`
    select p.public_id, p.given_name, p.family_name, p.email, p.postcode, p.constituency_code, p.latest_action_at
    from ${people} p where ${where}
    order by p.latest_action_at desc nulls last, p.id desc
    limit ${PEOPLE_PER_PAGE} offset ${(search.page - 1) * PEOPLE_PER_PAGE}`.execute(q);
  return {
    rows: rows.rows.map((r) => ({
      publicId: r.public_id,
      givenName: r.given_name,
      familyName: r.family_name,
      email: r.email,
      postcode: r.postcode,
      constituencyCode: r.constituency_code,
      latestActionAt: r.latest_action_at,
    })),
    total: n,
    totalPages: pageCount(n, PEOPLE_PER_PAGE),
  };
}
