import { groupIdsFor, listGroups } from '../coalition/index.ts';
import type { Option, Viewer } from '../platform/index.ts';
import type { AppContext } from './tables.ts';

/**
 * Whose a new or changed target list or letter campaign may be: coalition-wide (the empty value)
 * for admins, and the groups the viewer may manage.
 */
export async function ownerOptions(ctx: AppContext, viewer: Viewer): Promise<Option[]> {
  const groups = await listGroups(ctx.db);
  const allowed = await groupIdsFor(ctx.db, viewer);
  const own = allowed === 'all' ? groups : groups.filter((g) => allowed.includes(g.id));
  return [...(viewer.role === 'admin' ? [{ value: '', label: 'Coalition-wide' }] : []), ...own.map((g) => ({ value: String(g.id), label: g.name }))];
}
