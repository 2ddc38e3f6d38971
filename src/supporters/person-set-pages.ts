import { sql, type SqlBool } from 'kysely';
import { filterWhere, pagedQuery, whereWith, type FieldSpecs, type FilterNode, type Handle, type PageRequest } from '../platform/index.ts';
import { personInScope, type PeopleScope } from './people-pages.ts';
import { supportersQ } from './tables.ts';

/**
 * Tags and lists are both named sets of people: a tag's members are its taggings, a list's its
 * items. One module pages through both, each described by constant table and column names.
 */
export type PersonSet = 'tag' | 'list';

interface SetTables {
  table: 'tags' | 'lists';
  members: 'taggings' | 'list_members';
  key: 'tag_id' | 'list_id';
  addedAt: 'created_at' | 'added_at';
  /** Lists carry a description and a count of the people in them. */
  described: boolean;
}

const TABLES: Record<PersonSet, SetTables> = {
  tag: { table: 'tags', members: 'taggings', key: 'tag_id', addedAt: 'created_at', described: false },
  list: { table: 'lists', members: 'list_members', key: 'list_id', addedAt: 'added_at', described: true },
};

/** Fields a collection of tags or lists can be filtered on (OSDI names), and their columns. */
export const setFilterFields: FieldSpecs = {
  created_date: { type: 'date', column: 's.created_at' },
  modified_date: { type: 'date', column: 's.modified_at' },
  name: { type: 'text', column: 's.name', ops: ['eq', 'ne'] },
};

/** Fields a set's members (taggings, list items) can be filtered on. */
export const memberFilterFields = (set: PersonSet): FieldSpecs => ({
  created_date: { type: 'date', column: `m.${TABLES[set].addedAt}` },
  modified_date: { type: 'date', column: `m.${TABLES[set].addedAt}` },
});

/** A person's taggings cannot be filtered. */
export const taggingOfPersonFilterFields: FieldSpecs = {};

export interface SetRow {
  id: number;
  name: string;
  description: string;
  total_items: number;
  created_at: Date;
  modified_at: Date;
}

export interface MemberRow {
  person_public_id: string;
  added_at: Date;
}

/** A group sees its group's tags and lists; the coalition sees them all. */
function setInScope(scope: PeopleScope) {
  return scope.groupId === null ? sql<SqlBool>`true` : sql<SqlBool>`s.group_id = ${scope.groupId}`;
}

function memberCount(t: SetTables, scope: PeopleScope) {
  if (!t.described) return sql`0`;
  return sql`(select count(*)::int from ${sql.table(t.members)} m join people p on p.id = m.person_id
    where m.${sql.ref(t.key)} = s.id and ${personInScope(scope)})`;
}

function setColumns(t: SetTables, scope: PeopleScope) {
  const description = t.described ? sql`s.description` : sql`''`;
  return sql`s.id, s.name, ${description} as description, ${memberCount(t, scope)} as total_items, s.created_at, s.modified_at`;
}

/** One page of the tags (or lists) in scope, filtered, in id order; lists count the people in scope in them. */
export async function listSetsPage(
  handle: Handle,
  set: PersonSet,
  options: { scope: PeopleScope; filter: FilterNode | undefined } & PageRequest,
): Promise<{ rows: SetRow[]; total: number }> {
  const t = TABLES[set];
  const from = sql`${sql.table(t.table)} s`;
  const where = whereWith(setInScope(options.scope), filterWhere(options.filter, setFilterFields));
  return pagedQuery<SetRow>(supportersQ(handle), { columns: setColumns(t, options.scope), from, where, orderBy: sql`s.id` }, options);
}

/** A tag (or list) by id, if in scope. */
export async function findSetInScope(handle: Handle, set: PersonSet, scope: PeopleScope, id: number): Promise<SetRow | undefined> {
  const t = TABLES[set];
  const rows = await sql<SetRow>`select ${setColumns(t, scope)} from ${sql.table(t.table)} s where s.id = ${id} and ${setInScope(scope)}`.execute(
    supportersQ(handle),
  );
  return rows.rows[0];
}

function membersWhere(t: SetTables, scope: PeopleScope, setId: number) {
  return sql`m.${sql.ref(t.key)} = ${setId} and ${personInScope(scope)}`;
}

/** One page of the people in a set whom the scope sees, filtered, in person order. */
export async function listSetMembersPage(
  handle: Handle,
  set: PersonSet,
  options: { scope: PeopleScope; setId: number; filter: FilterNode | undefined } & PageRequest,
): Promise<{ rows: MemberRow[]; total: number }> {
  const t = TABLES[set];
  const from = sql`${sql.table(t.members)} m join people p on p.id = m.person_id`;
  const columns = sql`p.public_id as person_public_id, m.${sql.ref(t.addedAt)} as added_at`;
  const where = whereWith(membersWhere(t, options.scope, options.setId), filterWhere(options.filter, memberFilterFields(set)));
  return pagedQuery<MemberRow>(supportersQ(handle), { columns, from, where, orderBy: sql`p.id` }, options);
}

/** One person in a set, if the scope sees them. */
export async function findSetMember(handle: Handle, set: PersonSet, scope: PeopleScope, setId: number, personPublicId: string): Promise<MemberRow | undefined> {
  const t = TABLES[set];
  const rows = await sql<MemberRow>`
    select p.public_id as person_public_id, m.${sql.ref(t.addedAt)} as added_at
    from ${sql.table(t.members)} m join people p on p.id = m.person_id
    where ${membersWhere(t, scope, setId)} and p.public_id = ${personPublicId}`.execute(supportersQ(handle));
  return rows.rows[0];
}

/** One page of the taggings of one person, by the tags the scope sees, in tag order. */
export async function taggingsOfPersonPage(
  handle: Handle,
  options: { scope: PeopleScope; personId: number; filter: FilterNode | undefined } & PageRequest,
): Promise<{ rows: Array<MemberRow & { set_id: number }>; total: number }> {
  const where = whereWith(sql`m.person_id = ${options.personId} and ${setInScope(options.scope)}`, filterWhere(options.filter, taggingOfPersonFilterFields));
  return pagedQuery<MemberRow & { set_id: number }>(
    supportersQ(handle),
    {
      columns: sql`s.id as set_id, p.public_id as person_public_id, m.created_at as added_at`,
      from: sql`taggings m join tags s on s.id = m.tag_id join people p on p.id = m.person_id`,
      where,
      orderBy: sql`s.id`,
    },
    options,
  );
}
