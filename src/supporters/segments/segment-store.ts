import { sql } from 'kysely';
import { groupNamesOf } from '../../coalition/index.ts';
import { forbidden, notFound, recordAudit, type Viewer } from '../../platform/index.ts';
import type { Q } from '../tables.ts';
import type { PeopleScope } from './compile-segment.ts';
import { definitionSchema, type SegmentDefinition } from './definition.ts';
import { assertCanOwn, canManage } from '../ownership.ts';

export interface SavedSegment {
  id: number;
  name: string;
  groupId: number | null;
  groupName: string | null;
  definition: SegmentDefinition;
  modifiedAt: Date;
}

/**
 * Whose people a saved segment covers for this viewer: a group's segment covers that group's
 * people (for its organisers and for admins alike); a coalition-wide one, whoever the viewer sees.
 */
export function segmentScope(viewerScope: PeopleScope, segment: { groupId: number | null }): PeopleScope {
  return segment.groupId === null ? viewerScope : [segment.groupId];
}

function baseQuery(q: Q, scope: PeopleScope) {
  let query = q
    .selectFrom('segments as s')
    .select(['s.id', 's.name', 's.group_id', 's.definition', 's.modified_at']);
  // A group organiser uses their groups' segments only: a coalition segment is the coalition's to
  // send to, and within a group it would count (and mail) only that group's people anyway.
  if (scope !== 'all') query = query.where(sql<boolean>`s.group_id = any(${scope}::int[])`);
  return query;
}

type Row = { id: number; name: string; group_id: number | null; definition: unknown; modified_at: Date };

function toSegment(row: Row, groupNames: Map<number, string>): SavedSegment {
  const groupName = row.group_id === null ? null : (groupNames.get(row.group_id) ?? null);
  // Stored definitions were validated when saved; parsing again keeps the compiler's input typed.
  return { id: row.id, name: row.name, groupId: row.group_id, groupName, definition: definitionSchema.parse(row.definition), modifiedAt: row.modified_at };
}

/** The segments the viewer may see and use: every one for admins, their groups' for group organisers. */
export async function listSegments(q: Q, scope: PeopleScope): Promise<SavedSegment[]> {
  const rows = await baseQuery(q, scope).orderBy(sql`lower(s.name)`).orderBy('s.id').execute();
  const groupNames = await groupNamesOf(q, rows.map((r) => r.group_id));
  return rows.map((r) => toSegment(r, groupNames));
}

export async function getSegment(q: Q, id: number, scope: PeopleScope): Promise<SavedSegment> {
  const row = await baseQuery(q, scope).where('s.id', '=', id).executeTakeFirst();
  if (!row) throw notFound('segment');
  return toSegment(row, await groupNamesOf(q, [row.group_id]));
}

export interface SegmentProps {
  name: string;
  groupId: number | null;
  definition: SegmentDefinition;
}

export async function createSegment(q: Q, props: SegmentProps, actor: Viewer, scope: PeopleScope): Promise<number> {
  assertCanOwn(scope, props.groupId);
  const row = await q
    .insertInto('segments')
    .values({ name: props.name, group_id: props.groupId, definition: JSON.stringify(props.definition), created_by: actor.id })
    .returning('id')
    .executeTakeFirstOrThrow();
  await recordAudit(q, { actor, action: 'segment.create', subjectType: 'segment', subjectId: row.id, after: props });
  return row.id;
}

export async function updateSegment(q: Q, segment: SavedSegment, props: SegmentProps, actor: Viewer, scope: PeopleScope): Promise<void> {
  if (!canManage(scope, segment)) throw forbidden('Only its group’s organisers (or an admin) can change this segment.');
  assertCanOwn(scope, props.groupId);
  await q
    .updateTable('segments')
    .set({ name: props.name, group_id: props.groupId, definition: JSON.stringify(props.definition), modified_at: new Date() })
    .where('id', '=', segment.id)
    .execute();
  await recordAudit(q, {
    actor,
    action: 'segment.update',
    subjectType: 'segment',
    subjectId: segment.id,
    before: { name: segment.name, groupId: segment.groupId, definition: segment.definition },
    after: props,
  });
}

export async function deleteSegment(q: Q, segment: SavedSegment, actor: Viewer, scope: PeopleScope): Promise<void> {
  if (!canManage(scope, segment)) throw forbidden('Only its group’s organisers (or an admin) can delete this segment.');
  await q.deleteFrom('segments').where('id', '=', segment.id).execute();
  await recordAudit(q, { actor, action: 'segment.delete', subjectType: 'segment', subjectId: segment.id, before: { name: segment.name, definition: segment.definition } });
}
