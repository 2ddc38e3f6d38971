import { sql, type RawBuilder, type SqlBool } from 'kysely';
import type { Q } from '../../schema.ts';
import type { FieldSpecs } from './filter.ts';
import { pagedQuery, whereWith } from './paged-query.ts';
import { identifier, isoDate, type Resource } from './hal.ts';
import { personHref, personInScope } from './people.ts';
import type { ApiScope } from './scope.ts';

/**
 * Tags and lists are both named sets of people: a tag's members are its taggings, a list's its
 * items. One module serves both, each described by constant table and column names.
 */
export interface PersonSetKind {
  table: 'tags' | 'lists';
  members: 'taggings' | 'list_members';
  key: 'tag_id' | 'list_id';
  addedAt: 'created_at' | 'added_at';
  /** /api/v1/<path>/<id>/<memberPath> */
  path: 'tags' | 'lists';
  memberPath: 'taggings' | 'items';
  rel: 'osdi:tags' | 'osdi:lists';
  memberRel: 'osdi:taggings' | 'osdi:items';
  ownerRel: 'osdi:tag' | 'osdi:list';
  /** Lists carry a description and a count of the people in them. */
  described: boolean;
}

export const tagKind: PersonSetKind = {
  table: 'tags',
  members: 'taggings',
  key: 'tag_id',
  addedAt: 'created_at',
  path: 'tags',
  memberPath: 'taggings',
  rel: 'osdi:tags',
  memberRel: 'osdi:taggings',
  ownerRel: 'osdi:tag',
  described: false,
};

export const listKind: PersonSetKind = {
  table: 'lists',
  members: 'list_members',
  key: 'list_id',
  addedAt: 'added_at',
  path: 'lists',
  memberPath: 'items',
  rel: 'osdi:lists',
  memberRel: 'osdi:items',
  ownerRel: 'osdi:list',
  described: true,
};

export const setFilterFields: FieldSpecs = {
  created_date: { type: 'date', column: 's.created_at' },
  modified_date: { type: 'date', column: 's.modified_at' },
  name: { type: 'text', column: 's.name', ops: ['eq', 'ne'] },
};

export const memberFilterFields = (kind: PersonSetKind): FieldSpecs => ({
  created_date: { type: 'date', column: `m.${kind.addedAt}` },
  modified_date: { type: 'date', column: `m.${kind.addedAt}` },
});

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

interface Page {
  page: number;
  perPage: number;
}

/** A group's key sees its group's tags and lists; a coalition key sees them all. */
function setInScope(scope: ApiScope): RawBuilder<SqlBool> {
  return scope.groupId === null ? sql<SqlBool>`true` : sql<SqlBool>`s.group_id = ${scope.groupId}`;
}

function memberCount(kind: PersonSetKind, scope: ApiScope) {
  if (!kind.described) return sql`0`;
  return sql`(select count(*)::int from ${sql.table(kind.members)} m join people p on p.id = m.person_id
    where m.${sql.ref(kind.key)} = s.id and ${personInScope(scope)})`;
}

function setColumns(kind: PersonSetKind, scope: ApiScope) {
  const description = kind.described ? sql`s.description` : sql`''`;
  return sql`s.id, s.name, ${description} as description, ${memberCount(kind, scope)} as total_items, s.created_at, s.modified_at`;
}

export async function listSets(q: Q, kind: PersonSetKind, scope: ApiScope, filter: RawBuilder<SqlBool> | undefined, page: Page) {
  const from = sql`${sql.table(kind.table)} s`;
  return pagedQuery<SetRow>(q, { columns: setColumns(kind, scope), from, where: whereWith(setInScope(scope), filter), orderBy: sql`s.id` }, page);
}

export async function findSet(q: Q, kind: PersonSetKind, scope: ApiScope, id: number): Promise<SetRow | undefined> {
  const rows = await sql<SetRow>`select ${setColumns(kind, scope)} from ${sql.table(kind.table)} s where s.id = ${id} and ${setInScope(scope)}`.execute(q);
  return rows.rows[0];
}

function membersWhere(kind: PersonSetKind, scope: ApiScope, setId: number) {
  return sql`m.${sql.ref(kind.key)} = ${setId} and ${personInScope(scope)}`;
}

/** The people in a set whom the key may see. */
export async function listMembers(q: Q, kind: PersonSetKind, scope: ApiScope, setId: number, filter: RawBuilder<SqlBool> | undefined, page: Page) {
  const from = sql`${sql.table(kind.members)} m join people p on p.id = m.person_id`;
  const columns = sql`p.public_id as person_public_id, m.${sql.ref(kind.addedAt)} as added_at`;
  return pagedQuery<MemberRow>(q, { columns, from, where: whereWith(membersWhere(kind, scope, setId), filter), orderBy: sql`p.id` }, page);
}

export async function findMember(q: Q, kind: PersonSetKind, scope: ApiScope, setId: number, personPublicId: string): Promise<MemberRow | undefined> {
  const rows = await sql<MemberRow>`
    select p.public_id as person_public_id, m.${sql.ref(kind.addedAt)} as added_at
    from ${sql.table(kind.members)} m join people p on p.id = m.person_id
    where ${membersWhere(kind, scope, setId)} and p.public_id = ${personPublicId}`.execute(q);
  return rows.rows[0];
}

/** The taggings of one person (by the tags the key sees). */
export async function taggingsOfPerson(q: Q, scope: ApiScope, personId: number, page: Page) {
  return pagedQuery<MemberRow & { set_id: number }>(
    q,
    {
      columns: sql`s.id as set_id, p.public_id as person_public_id, m.created_at as added_at`,
      from: sql`taggings m join tags s on s.id = m.tag_id join people p on p.id = m.person_id`,
      where: sql`m.person_id = ${personId} and ${setInScope(scope)}`,
      orderBy: sql`s.id`,
    },
    page,
  );
}

export function setHref(baseUrl: string, kind: PersonSetKind, id: number): string {
  return `${baseUrl}/api/v1/${kind.path}/${id}`;
}

export function presentSet(baseUrl: string, kind: PersonSetKind, row: SetRow): Resource {
  const href = setHref(baseUrl, kind, row.id);
  return {
    identifiers: [identifier(row.id)],
    created_date: isoDate(row.created_at),
    modified_date: isoDate(row.modified_at),
    name: row.name,
    ...(kind.described ? { description: row.description, total_items: row.total_items } : {}),
    _links: { self: { href }, [kind.memberRel]: { href: `${href}/${kind.memberPath}` } },
  };
}

/** A tagging or a list item: one person in one set. */
export function presentMember(baseUrl: string, kind: PersonSetKind, setId: number, row: MemberRow): Resource {
  const owner = setHref(baseUrl, kind, setId);
  return {
    identifiers: [identifier(`${kind.path}-${setId}-${row.person_public_id}`)],
    created_date: isoDate(row.added_at),
    modified_date: isoDate(row.added_at),
    item_type: 'osdi:person',
    _links: {
      self: { href: `${owner}/${kind.memberPath}/${row.person_public_id}` },
      [kind.ownerRel]: { href: owner },
      'osdi:person': { href: personHref(baseUrl, row.person_public_id) },
    },
  };
}
