import { sql, type SqlBool } from 'kysely';
import { filterWhere, pagedQuery, whereWith, type FieldSpecs, type FilterNode, type Handle, type PageRequest } from '../platform/index.ts';
import { canonicalEmail } from '../petitions/index.ts';
import { supportersQ } from './tables.ts';

/** Fields a collection of people can be filtered on (OSDI names), and their columns. */
export const personFilterFields: FieldSpecs = {
  created_date: { type: 'date', column: 'p.created_at' },
  modified_date: { type: 'date', column: 'p.modified_at' },
  email_address: { type: 'text', column: 'p.canonical_email', normalise: canonicalEmail, ops: ['eq', 'ne'] },
  given_name: { type: 'text', column: 'p.given_name', ops: ['eq', 'ne'] },
  family_name: { type: 'text', column: 'p.family_name', ops: ['eq', 'ne'] },
};

/** Whose people a reader sees: one group's, or (null) the whole coalition's. */
export interface PeopleScope {
  groupId: number | null;
}

export interface PersonRow {
  id: number;
  public_id: string;
  email: string | null;
  email_status: string;
  given_name: string | null;
  family_name: string | null;
  phone: string | null;
  postcode: string | null;
  country_code: string | null;
  constituency_code: string | null;
  created_at: Date;
  modified_at: Date;
  /** Set when the person's data was erased: the row then holds nothing personal. */
  erased_at: Date | null;
}

/** `p` is people. */
export const personColumns = sql`p.id, p.public_id, p.email, p.email_status, p.given_name, p.family_name, p.phone, p.postcode,
  p.country_code, p.constituency_code, p.created_at, p.modified_at, p.erased_at`;

/**
 * People a reader may see: live records (not merged away, not erased) connected to the scope's
 * group, or every live record for the coalition. `p` is the people table in the SQL around it.
 */
export function personInScope(scope: PeopleScope, options: { withErased?: boolean } = {}) {
  const live = options.withErased ? sql<SqlBool>`p.merged_into_id is null` : sql<SqlBool>`p.merged_into_id is null and p.erased_at is null`;
  if (scope.groupId === null) return live;
  return sql<SqlBool>`${live} and exists (select 1 from person_groups pg where pg.person_id = p.id and pg.group_id = ${scope.groupId})`;
}

/**
 * The people table as a reader sees it, to be aliased p: for a group (or an organiser's groups),
 * a person it was told about without seeing their record shows only what it was told
 * (`person_groups.facts`), with its own dates; any of the groups seeing the record shows the
 * record. Null (the coalition, admins) sees the records. `many` reads only the groups' people,
 * for queries over a whole group (see below). Every column of the people table a
 * reader may show is here (with the same names), so it can stand in for `people` in any query.
 */
export function peopleSeenBy(groupIds: readonly number[] | null, reading: 'few' | 'many' = 'few') {
  if (groupIds === null) return sql`people`;
  const fact = (name: string) => sql`case when f.facts is null then p0.${sql.ref(name)} else f.facts->>${name} end as ${sql.ref(name)}`;
  const told = sql`coalesce((f.facts->>'at')::timestamptz, f.first_at)`;
  // A told-only view changes when it is told more, or when what it sees besides (its consent, its tags, a bounce) changes.
  const modified = sql`greatest(${told}, f.changed_at)`;
  // Whether the address was confirmed is something the person did for another group: told-only
  // views show it unconfirmed (an undeliverable address stays so: nobody can mail it).
  const groups = [...groupIds];
  // Reading a few people (a page, a person): each one's connection, looked up by person. Reading
  // many (a segment count over a big group): the groups' connections once, in person order, joined
  // on; that is also the scope, since only connected people have one.
  const few = sql`people p0 left join lateral (
      select pg.facts, pg.first_at, pg.changed_at from person_groups pg where pg.person_id = p0.id and pg.group_id = any(${groups}::int[])
      order by (pg.facts is null) desc, pg.first_at limit 1) f on true`;
  const many = sql`people p0 join (
      select distinct on (pg.person_id) pg.person_id, pg.facts, pg.first_at, pg.changed_at from person_groups pg
      where pg.group_id = any(${groups}::int[]) order by pg.person_id, (pg.facts is null) desc, pg.first_at) f on f.person_id = p0.id`;
  const status = sql`case when f.facts is null or p0.email_status = 'undeliverable' then p0.email_status else 'unverified' end as email_status`;
  return sql`(select p0.id, p0.public_id, p0.email, p0.canonical_email, ${status}, p0.merged_into_id, p0.erased_at,
      ${fact('given_name')}, ${fact('family_name')}, ${fact('phone')}, ${fact('postcode')}, ${fact('country_code')},
      ${fact('constituency_code')}, ${fact('region_code')},
      case when f.facts is null then p0.created_at else f.first_at end as created_at,
      case when f.facts is null then p0.modified_at else ${modified} end as modified_at,
      case when f.facts is null then p0.first_action_at else f.first_at end as first_action_at,
      case when f.facts is null then p0.latest_action_at else ${told} end as latest_action_at
    from ${reading === 'few' ? few : many})`;
}

/**
 * One page of the people in scope, filtered, in id order, with the count of all that match.
 * `withErased`: erased people (their rows hold nothing personal, `erased_at` set) are listed too,
 * so a reader syncing changes learns of each erasure.
 */
export async function listPeoplePage(
  handle: Handle,
  options: { scope: PeopleScope; filter: FilterNode | undefined; withErased?: boolean } & PageRequest,
): Promise<{ rows: PersonRow[]; total: number }> {
  const where = whereWith(personInScope(options.scope, { withErased: options.withErased === true }), filterWhere(options.filter, personFilterFields));
  return pagedQuery<PersonRow>(supportersQ(handle), { columns: personColumns, from: sql`${peopleSeenBy(options.scope.groupId === null ? null : [options.scope.groupId])} p`, where, orderBy: sql`p.id` }, options);
}

/** A person by public id, if in scope. */
export async function findPersonInScope(handle: Handle, scope: PeopleScope, publicId: string): Promise<PersonRow | undefined> {
  const rows = await sql<PersonRow>`select ${personColumns} from ${peopleSeenBy(scope.groupId === null ? null : [scope.groupId])} p where p.public_id = ${publicId} and ${personInScope(scope)}`.execute(
    supportersQ(handle),
  );
  return rows.rows[0];
}

/** The public ids of these people (by id), whatever became of them since. */
export async function publicIdsOfPeople(handle: Handle, personIds: readonly number[]): Promise<Map<number, string>> {
  if (personIds.length === 0) return new Map();
  const rows = await supportersQ(handle)
    .selectFrom('people')
    .select(['id', 'public_id'])
    .where('id', 'in', [...new Set(personIds)])
    .execute();
  return new Map(rows.map((r) => [r.id, r.public_id]));
}
