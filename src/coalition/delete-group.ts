import { forbidden, recordAudit, type Viewer } from '../platform/index.ts';
import type { Q } from './tables.ts';
import type { Group } from './groups.ts';
import { groupSnapshot } from './save-group.ts';

/**
 * Removes a member group for good (its organisers' and petitions' links to it go with it).
 * Only coalition admins may: a group organiser cannot remove a group from the coalition.
 */
export async function deleteGroup(q: Q, props: { actor: Viewer; group: Group }): Promise<void> {
  if (props.actor.role !== 'admin') throw forbidden('Only coalition admins can delete a group.');
  await q.deleteFrom('groups').where('id', '=', props.group.id).execute();
  await recordAudit(q, { actor: props.actor, action: 'group.delete', subjectType: 'group', subjectId: props.group.id, before: groupSnapshot(props.group) });
}
