import { forbidden, notFound, type Viewer } from '../platform/index.ts';
import type { Q, Role } from './tables.ts';
import { findGroupById, groupIdsFor, type Group } from './groups.ts';

/** Roles that manage member groups: admins every group, group organisers their own. */
export const groupManagerRoles: Role[] = ['admin', 'organiser'];

/**
 * The group, if this viewer may edit it. Admins may edit any group; a group organiser only the
 * groups they organise (403 for others, so they learn to ask an admin rather than retry).
 */
export async function groupForEditing(q: Q, viewer: Viewer, groupId: number): Promise<Group> {
  if (!groupManagerRoles.includes(viewer.role)) throw forbidden('Your role does not allow managing groups.');
  const group = await findGroupById(q, groupId);
  if (!group) throw notFound('group');
  const allowed = await groupIdsFor(q, viewer);
  if (allowed !== 'all' && !allowed.includes(groupId)) throw forbidden('You can only edit the groups you organise. Ask a coalition admin if you need to edit this one.');
  return group;
}
