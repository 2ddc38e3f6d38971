import { sql, type RawBuilder } from 'kysely';
import { groupNamesOf } from '../../coalition/index.ts';
import { forbidden, invalidField, notFound, recordAudit, type Handle, type Viewer } from '../../platform/index.ts';
import { supportersQ, type Q } from '../tables.ts';
import { segmentQuery, type PeopleScope } from '../segments/compile-segment.ts';
import type { SegmentDefinition } from '../segments/definition.ts';
import { assertWithinReach } from '../segments/segment-reach.ts';
import { assertCanOwn, canManage } from '../ownership.ts';
import { peopleSeenBy } from '../people-pages.ts';

/**
 * Tags and static lists: named sets of people, owned by a group or by the whole coalition
 * (group_id null). They differ only in their tables and words, so one store serves both.
 */
export type CollectionKind = 'tag' | 'list';

interface Spec {
  table: 'tags' | 'lists';
  members: 'taggings' | 'list_members';
  key: 'tag_id' | 'list_id';
  addedAt: 'created_at' | 'added_at';
}

const specs: Record<CollectionKind, Spec> = {
  tag: { table: 'tags', members: 'taggings', key: 'tag_id', addedAt: 'created_at' },
  list: { table: 'lists', members: 'list_members', key: 'list_id', addedAt: 'added_at' },
};

export interface Collection {
  id: number;
  kind: CollectionKind;
  name: string;
  description: string;
  groupId: number | null;
  groupName: string | null;
  /** People in it whom the viewer may see. */
  count: number;
}

export interface Member {
  publicId: string;
  email: string | null;
  givenName: string | null;
  familyName: string | null;
  addedAt: Date;
}

/** Live people the scope may see, as a condition on `p` (parametrised). */
function visiblePerson(scope: PeopleScope): RawBuilder<boolean> {
  const live = sql<boolean>`p.merged_into_id is null and p.erased_at is null`;
  if (scope === 'all') return live;
  return sql<boolean>`${live} and exists (select 1 from person_groups pg where pg.person_id = p.id and pg.group_id = any(${scope}::int[]))`;
}

/** Collections owned by the coalition or one of these groups. */
function ownedWithin(scope: PeopleScope): RawBuilder<boolean> {
  return scope === 'all' ? sql<boolean>`true` : sql<boolean>`(c.group_id is null or c.group_id = any(${scope}::int[]))`;
}

type Row = { id: number; name: string; description: string; group_id: number | null; count: number };

function toCollection(kind: CollectionKind, row: Row, groupNames: Map<number, string>): Collection {
  const groupName = row.group_id === null ? null : (groupNames.get(row.group_id) ?? null);
  return { id: row.id, kind, name: row.name, description: row.description, groupId: row.group_id, groupName, count: Number(row.count) };
}

function selectCollections(kind: CollectionKind, scope: PeopleScope) {
  const s = specs[kind];
  const description = kind === 'list' ? sql`c.description` : sql`''`;
  return sql<Row>`
    select c.id, c.name, ${description} as description, c.group_id,
      (select count(*) from ${sql.table(s.members)} m join people p on p.id = m.person_id
        where m.${sql.ref(s.key)} = c.id and ${visiblePerson(scope)})::int as count
    from ${sql.table(s.table)} c
    where ${ownedWithin(scope)}`;
}

/** The tags or lists the viewer may see (the coalition's and their groups'), with counts. */
export async function listCollections(q: Q, kind: CollectionKind, scope: PeopleScope): Promise<Collection[]> {
  const rows = await sql<Row>`select * from (${selectCollections(kind, scope)}) x order by lower(name), id`.execute(q);
  const groupNames = await groupNamesOf(q, rows.rows.map((r) => r.group_id));
  return rows.rows.map((r) => toCollection(kind, r, groupNames));
}

export async function getCollection(handle: Handle, kind: CollectionKind, id: number, scope: PeopleScope): Promise<Collection> {
  const q = supportersQ(handle);
  const rows = await sql<Row>`select * from (${selectCollections(kind, scope)}) x where id = ${id}`.execute(q);
  const row = rows.rows[0];
  if (!row) throw notFound(kind);
  return toCollection(kind, row, await groupNamesOf(q, [row.group_id]));
}

async function assertNameFree(q: Q, kind: CollectionKind, name: string, groupId: number | null, exceptId?: number) {
  const s = specs[kind];
  const clash = await sql<{ id: number }>`
    select id from ${sql.table(s.table)}
    where group_id is not distinct from ${groupId}::int and lower(name) = lower(${name}) and id <> ${exceptId ?? 0}`.execute(q);
  if (clash.rows.length > 0) throw invalidField('name', `There is already a ${kind} called "${name}" for this owner`);
}

export interface CollectionProps {
  name: string;
  description?: string | undefined;
  groupId: number | null;
}

export async function createCollection(q: Q, kind: CollectionKind, props: CollectionProps, actor: Viewer, scope: PeopleScope): Promise<number> {
  assertCanOwn(scope, props.groupId);
  await assertNameFree(q, kind, props.name, props.groupId);
  const s = specs[kind];
  const row =
    kind === 'list'
      ? await sql<{ id: number }>`insert into lists (name, description, group_id) values (${props.name}, ${props.description ?? ''}, ${props.groupId}::int) returning id`.execute(q)
      : await sql<{ id: number }>`insert into ${sql.table(s.table)} (name, group_id) values (${props.name}, ${props.groupId}::int) returning id`.execute(q);
  const id = row.rows[0]!.id;
  await recordAudit(q, { actor, action: `${kind}.create`, subjectType: kind, subjectId: id, after: props });
  return id;
}

export async function updateCollection(q: Q, kind: CollectionKind, collection: Collection, props: Omit<CollectionProps, 'groupId'>, actor: Viewer, scope: PeopleScope) {
  if (!canManage(scope, collection)) throw forbidden();
  await assertNameFree(q, kind, props.name, collection.groupId, collection.id);
  const s = specs[kind];
  const description = kind === 'list' ? sql`, description = ${props.description ?? ''}` : sql``;
  await sql`update ${sql.table(s.table)} set name = ${props.name}${description}, modified_at = now() where id = ${collection.id}`.execute(q);
  await recordAudit(q, { actor, action: `${kind}.update`, subjectType: kind, subjectId: collection.id, before: { name: collection.name }, after: props });
}

export async function deleteCollection(q: Q, kind: CollectionKind, collection: Collection, actor: Viewer, scope: PeopleScope) {
  if (!canManage(scope, collection)) throw forbidden();
  await sql`delete from ${sql.table(specs[kind].table)} where id = ${collection.id}`.execute(q);
  await recordAudit(q, { actor, action: `${kind}.delete`, subjectType: kind, subjectId: collection.id, before: { name: collection.name } });
}

/** People in the collection whom the viewer may see, newest first, a page at a time. */
export async function listMembers(q: Q, kind: CollectionKind, id: number, scope: PeopleScope, page: number, perPage: number): Promise<Member[]> {
  const s = specs[kind];
  const rows = await sql<{ public_id: string; email: string | null; given_name: string | null; family_name: string | null; added_at: Date }>`
    select p.public_id, p.email, p.given_name, p.family_name, m.${sql.ref(s.addedAt)} as added_at
    from ${sql.table(s.members)} m join ${peopleSeenBy(scope === 'all' ? null : scope)} p on p.id = m.person_id
    where m.${sql.ref(s.key)} = ${id} and ${visiblePerson(scope)}
    order by m.${sql.ref(s.addedAt)} desc, p.id desc
    limit ${perPage} offset ${(page - 1) * perPage}`.execute(q);
  return rows.rows.map((r) => ({ publicId: r.public_id, email: r.email, givenName: r.given_name, familyName: r.family_name, addedAt: r.added_at }));
}

/** Adds one person (by public id), if the viewer may see them; false when they were already in. */
export async function addMember(handle: Handle, kind: CollectionKind, collection: Collection, personPublicId: string, scope: PeopleScope): Promise<boolean> {
  const q = supportersQ(handle);
  if (!canManage(scope, collection)) throw forbidden();
  const s = specs[kind];
  const person = await sql<{ id: number }>`select p.id from people p where p.public_id::text = ${personPublicId} and ${visiblePerson(scope)}`.execute(q);
  if (!person.rows[0]) throw invalidField('person', 'Choose a person from the search results');
  const added = await sql`
    insert into ${sql.table(s.members)} (${sql.ref(s.key)}, person_id) values (${collection.id}, ${person.rows[0].id})
    on conflict do nothing`.execute(q);
  return Number(added.numAffectedRows ?? 0) > 0;
}

export async function removeMember(q: Q, kind: CollectionKind, collection: Collection, personPublicId: string, scope: PeopleScope): Promise<void> {
  if (!canManage(scope, collection)) throw forbidden();
  const s = specs[kind];
  await sql`
    delete from ${sql.table(s.members)} m using people p
    where m.person_id = p.id and m.${sql.ref(s.key)} = ${collection.id} and p.public_id::text = ${personPublicId} and ${visiblePerson(scope)}`.execute(q);
}

/** Adds everyone in a segment (as the viewer sees it) in one statement; returns how many were new. */
export async function addSegmentMembers(
  q: Q,
  kind: CollectionKind,
  collection: Collection,
  segment: { id: number; definition: SegmentDefinition },
  scope: PeopleScope,
  actor: Viewer,
): Promise<number> {
  if (!canManage(scope, collection)) throw forbidden();
  await assertWithinReach(q, segment.definition, scope);
  const s = specs[kind];
  const people = segmentQuery(q, segment.definition, scope).select('p.id');
  const added = await sql`
    insert into ${sql.table(s.members)} (${sql.ref(s.key)}, person_id)
    select ${collection.id}::int, id from (${people}) people
    on conflict do nothing`.execute(q);
  const count = Number(added.numAffectedRows ?? 0);
  await recordAudit(q, { actor, action: `${kind}.add-segment`, subjectType: kind, subjectId: collection.id, after: { segment: segment.id, added: count } });
  return count;
}

/** People the viewer may see whose email starts with (or canonically equals) the text typed. */
export async function searchPeopleByEmail(q: Q, text: string, scope: PeopleScope, limit = 20): Promise<Member[]> {
  const typed = text.trim().toLowerCase();
  if (typed.length < 3) return [];
  const prefix = `${typed.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const rows = await sql<{ public_id: string; email: string | null; given_name: string | null; family_name: string | null; created_at: Date }>`
    select p.public_id, p.email, p.given_name, p.family_name, p.created_at from ${peopleSeenBy(scope === 'all' ? null : scope)} p
    where (lower(p.email) like ${prefix} or p.canonical_email = ${typed}) and ${visiblePerson(scope)}
    order by p.email limit ${limit}`.execute(q);
  return rows.rows.map((r) => ({ publicId: r.public_id, email: r.email, givenName: r.given_name, familyName: r.family_name, addedAt: r.created_at }));
}

/** A list by name for an owner, made if missing (imports). */
export async function ensureListNamed(handle: Handle, name: string, groupId: number | null): Promise<number> {
  const q = supportersQ(handle);
  const found = await sql<{ id: number }>`select id from lists where group_id is not distinct from ${groupId}::int and lower(name) = lower(${name}) order by id limit 1`.execute(q);
  if (found.rows[0]) return found.rows[0].id;
  const made = await sql<{ id: number }>`insert into lists (name, group_id) values (${name}, ${groupId}::int) returning id`.execute(q);
  return made.rows[0]!.id;
}

/** Tags or lists to choose from (no counts): the coalition's and the viewer's groups'. */
export async function collectionChoices(q: Q, kind: CollectionKind, scope: PeopleScope): Promise<Array<{ id: number; name: string; groupName: string | null }>> {
  const rows = await sql<{ id: number; name: string; group_id: number | null }>`
    select c.id, c.name, c.group_id from ${sql.table(specs[kind].table)} c
    where ${ownedWithin(scope)} order by lower(c.name), c.id`.execute(q);
  const groupNames = await groupNamesOf(q, rows.rows.map((r) => r.group_id));
  return rows.rows.map((r) => ({ id: r.id, name: r.name, groupName: r.group_id === null ? null : (groupNames.get(r.group_id) ?? null) }));
}

/** The kinds of action people have taken, read by skipping through the index (fast on millions of rows). */
export async function actionKinds(q: Q): Promise<string[]> {
  const rows = await sql<{ kind: string }>`
    with recursive k(kind) as (
      select min(kind) from person_actions
      union all
      select (select min(a.kind) from person_actions a where a.kind > k.kind) from k where k.kind is not null
    )
    select kind from k where kind is not null limit 200`.execute(q);
  return rows.rows.map((r) => r.kind);
}
