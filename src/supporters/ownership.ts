import { invalidField } from '../platform/index.ts';
import type { PeopleScope } from './segments/compile-segment.ts';

/**
 * Tags, lists, segments and imports belong to a group or to the whole coalition (group null).
 * Everyone sees the coalition's and their own groups'; only admins manage the coalition's.
 */
export function canManage(scope: PeopleScope, owned: { groupId: number | null }): boolean {
  if (scope === 'all') return true;
  return owned.groupId !== null && scope.includes(owned.groupId);
}

export function canSee(scope: PeopleScope, owned: { groupId: number | null }): boolean {
  return owned.groupId === null || canManage(scope, owned);
}

/** A new thing may be owned by the coalition (admins) or one of the viewer's groups. */
export function assertCanOwn(scope: PeopleScope, groupId: number | null): void {
  if (scope === 'all') return;
  if (groupId === null || !scope.includes(groupId)) throw invalidField('group', 'Choose one of your groups');
}
