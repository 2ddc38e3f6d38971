import { invalidField, organiserAccessRemoved, recordAudit, type Viewer } from '../platform/index.ts';
import type { Q, Role } from './tables.ts';
import { assertGroupsExist, groupNamesById } from './groups.ts';
import type { Organiser } from './organisers.ts';

/** What the audit log shows of an organiser's access: role and groups by name. */
export async function accessSnapshot(q: Q, role: Role, groupIds: number[]) {
  const names = await groupNamesById(q);
  return { role, groups: groupIds.map((id) => names.get(id) ?? `group ${id}`).sort() };
}

/**
 * Changes an organiser's role and, for group organisers, their groups (other roles have none).
 * An admin cannot take away their own admin role, so the coalition always keeps an admin. What the
 * organiser made for groups they no longer manage is withdrawn by its owners (the api revokes
 * those keys and webhooks), in the same transaction.
 */
export async function changeOrganiserAccess(q: Q, props: { actor: Viewer; organiser: Organiser; role: Role; groupIds: number[] }): Promise<void> {
  const { actor, organiser, role } = props;
  if (actor.id === organiser.id && role !== 'admin') {
    throw invalidField('role', 'You cannot remove your own admin role. Ask another admin to do it.');
  }
  const groupIds = role === 'organiser' ? props.groupIds : [];
  await assertGroupsExist(q, 'groups', groupIds);
  const before = await accessSnapshot(q, organiser.role, organiser.groupIds);
  await q.updateTable('organisers').set({ role }).where('id', '=', organiser.id).execute();
  await q.deleteFrom('organiser_groups').where('organiser_id', '=', organiser.id).execute();
  if (groupIds.length > 0) {
    await q
      .insertInto('organiser_groups')
      .values(groupIds.map((group_id) => ({ organiser_id: organiser.id, group_id })))
      .execute();
  }
  await recordAudit(q, {
    actor,
    action: 'organiser.access.change',
    subjectType: 'organiser',
    subjectId: organiser.id,
    before,
    after: await accessSnapshot(q, role, groupIds),
  });
  const keeps = role === 'admin' ? 'all' : role === 'organiser' ? groupIds : [];
  const lost = organiser.role === 'admin' ? keeps !== 'all' : keeps !== 'all' && organiser.groupIds.some((id) => !keeps.includes(id));
  if (lost) await organiserAccessRemoved(q, { organiserId: organiser.id, keeps, reason: 'access-changed', actor });
}
