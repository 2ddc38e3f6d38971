import { groupIdsFor } from '../coalition/index.ts';
import { forbidden, notFound, type Handle, type Viewer } from '../platform/index.ts';
import { findLink, type Link } from './store.ts';

/** Roles that add, change and delete links (moderators may look). */
export const LINK_MAKERS = ['admin', 'organiser'] as const;

/** The groups whose links the viewer may manage: 'all' for admins, their own groups for organisers. */
export async function linkGroupsOf(q: Handle, viewer: Viewer): Promise<number[] | 'all'> {
  if (viewer.role === 'admin' || viewer.role === 'moderator') return 'all';
  return groupIdsFor(q, viewer);
}

/** Whether the viewer may put a link under this group (null: the coalition's own, admins only). */
export async function mayUseGroup(q: Handle, viewer: Viewer, groupId: number | null): Promise<boolean> {
  if (viewer.role === 'admin') return true;
  if (viewer.role !== 'organiser' || groupId === null) return false;
  const allowed = await groupIdsFor(q, viewer);
  return allowed === 'all' || allowed.includes(groupId);
}

/** Loads a link for someone about to change it: 404 when missing, 403 outside their role or groups. */
export async function linkToManage(q: Handle, viewer: Viewer, id: number): Promise<Link> {
  const link = await findLink(q, id);
  if (!link) throw notFound('link');
  if (!(await mayUseGroup(q, viewer, link.groupId))) throw forbidden(link.groupId === null ? 'Only coalition admins change the coalition’s own links.' : 'This link belongs to a group you do not organise for.');
  return link;
}
