import { groupIdsFor, listGroups } from '../../coalition/index.ts';
import { notFound, type Viewer } from '../../platform/index.ts';
import type { Q } from '../tables.ts';
import { COALITION_PURPOSE_KEY, groupPurposeKey, listPurposes, purposeFor } from '../consent.ts';
import { listSegments } from '../segments/segment-store.ts';
import { getMailing, type Mailing } from './store.ts';

/**
 * Who may mail whom: coalition admins every purpose; group organisers only their own groups'
 * purposes, to their own groups' supporters (audience.ts limits a group's mailing to people
 * connected to that group, whichever segment it uses). Mailings outside that are "not found".
 */
export type GroupScope = number[] | 'all';

export function reaches(scope: GroupScope, groupId: number | null): boolean {
  return scope === 'all' || (groupId !== null && scope.includes(groupId));
}

export function scopeOf(q: Q, viewer: Viewer): Promise<GroupScope> {
  return groupIdsFor(q, viewer);
}

const purposeKeyOf = (groupId: number | null) => (groupId === null ? COALITION_PURPOSE_KEY : groupPurposeKey(groupId));

export interface Choice {
  id: number;
  name: string;
  groupId: number | null;
}

/** The purposes (who a mailing is from) this organiser may send as. */
export async function purposeChoices(q: Q, scope: GroupScope): Promise<Choice[]> {
  if (scope !== 'all' && scope.length === 0) return [];
  let purposes = await listPurposes(q, { groupIds: scope });
  // A group nobody has signed up to yet has no purpose row: make it, so its organisers can write.
  const senders: Array<number | null> = [...(scope === 'all' ? [null] : []), ...(await listGroups(q)).map((g) => g.id).filter((id) => scope === 'all' || scope.includes(id))];
  const missing = senders.filter((groupId) => !purposes.some((p) => p.groupId === groupId && p.key === purposeKeyOf(groupId)));
  if (missing.length > 0) {
    for (const groupId of missing) await purposeFor(q, { groupId });
    purposes = await listPurposes(q, { groupIds: scope });
  }
  return purposes.map((p) => ({ id: p.id, name: p.name, groupId: p.groupId }));
}

/** Saved segments this organiser may send to: every one for admins, their own groups' for group organisers. */
export async function segmentChoices(q: Q, scope: GroupScope): Promise<Choice[]> {
  if (scope !== 'all' && scope.length === 0) return [];
  const segments = await listSegments(q, scope);
  return segments.map((s) => ({ id: s.id, name: s.groupName ? `${s.name} (${s.groupName})` : s.name, groupId: s.groupId }));
}

/**
 * A segment fits a mailing when it is the coalition's or belongs to the sender's own group: a
 * group's mailing never borrows another group's segment.
 */
export function segmentFits(segment: { groupId: number | null }, purposeGroupId: number | null): boolean {
  return segment.groupId === null || purposeGroupId === null || segment.groupId === purposeGroupId;
}

/** The mailing, if this organiser may see it. */
export async function findMailingFor(q: Q, scope: GroupScope, id: number): Promise<Mailing> {
  const mailing = Number.isSafeInteger(id) ? await getMailing(q, id) : undefined;
  if (!mailing || !reaches(scope, mailing.groupId)) throw notFound('mailing');
  return mailing;
}
