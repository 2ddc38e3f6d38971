import { groupIdsFor } from '../../coalition/groups.ts';
import { notFound } from '../../platform/http/errors.ts';
import type { Viewer } from '../../platform/web/context.ts';
import type { Q } from '../../schema.ts';
import { getMailing, type Mailing } from './store.ts';

/**
 * Who may mail whom: coalition admins every purpose; group organisers only their own groups'
 * purposes (and their groups' saved segments). Mailings outside that are "not found" to them.
 */
export type GroupScope = number[] | 'all';

export function reaches(scope: GroupScope, groupId: number | null): boolean {
  return scope === 'all' || (groupId !== null && scope.includes(groupId));
}

export function scopeOf(q: Q, viewer: Viewer): Promise<GroupScope> {
  return groupIdsFor(q, viewer);
}

export interface Choice {
  id: number;
  name: string;
  groupId: number | null;
}

/** The purposes (who a mailing is from) this organiser may send as. */
export async function purposeChoices(q: Q, scope: GroupScope): Promise<Choice[]> {
  if (scope !== 'all' && scope.length === 0) return [];
  let query = q.selectFrom('consent_purposes').select(['id', 'name', 'group_id as groupId']).orderBy('group_id', 'asc').orderBy('name');
  if (scope !== 'all') query = query.where('group_id', 'in', scope);
  return query.execute();
}

/** Saved segments this organiser may send to. */
export async function segmentChoices(q: Q, scope: GroupScope): Promise<Choice[]> {
  if (scope !== 'all' && scope.length === 0) return [];
  let query = q.selectFrom('segments').select(['id', 'name', 'group_id as groupId']).orderBy('name');
  if (scope !== 'all') query = query.where('group_id', 'in', scope);
  return query.execute();
}

/** The mailing, if this organiser may see it. */
export async function findMailingFor(q: Q, scope: GroupScope, id: number): Promise<Mailing> {
  const mailing = Number.isSafeInteger(id) ? await getMailing(q, id) : undefined;
  if (!mailing || !reaches(scope, mailing.groupId)) throw notFound('mailing');
  return mailing;
}
